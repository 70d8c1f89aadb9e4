/* SPDX-License-Identifier: MIT */
/* eBPF programs from a process, over the bpf_* system calls: find the
 * grant kernel code gave the process, load an ELF object on a hook, read
 * and write the program's maps, read its stats, unload it. Errors are
 * negative errno values, as the kernel returns them. Linked from an
 * archive, so only processes that load programs carry it
 * (cmake/pica-user.cmake). Declared in <pica/user/pica_user.h>. */
#include <errno.h>

#include "sdk.h"

int
sys_bpf_grant(void)
{
    /* The table's size is the kernel's (PICA_CFG_CAP_SLOTS, at most 256):
     * a slot past it is -EBADF, as an empty one. */
    for (int slot = 0; slot < 256; slot++) {
        int info = pica_sys_cap_info((uint32_t)slot);
        if (info > 0 && PICA_USER_CAP_INFO_TYPE(info) == PICA_USER_CAP_BPF &&
            (PICA_USER_CAP_INFO_RIGHTS(info) & PICA_USER_RIGHT_WRITE)) {
            return slot;
        }
    }
    return -ENOENT;
}

int
sys_bpf_load(int grant_slot, const void *elf, size_t len, const char *hook)
{
    return pica_sys_bpf_load(grant_slot, elf, (uint32_t)len, hook);
}

int
sys_bpf_map_lookup(int prog_slot, const char *map, const void *key, size_t key_size, void *value,
                   size_t value_size)
{
    return pica_sys_bpf_map_lookup(prog_slot, map, key, (uint32_t)key_size, value,
                                   (uint32_t)value_size);
}

int
sys_bpf_map_update(int prog_slot, const char *map, const void *key, size_t key_size,
                   const void *value, size_t value_size)
{
    return pica_sys_bpf_map_update(prog_slot, map, key, (uint32_t)key_size, value,
                                   (uint32_t)value_size);
}

int
sys_bpf_prog_stats(int prog_slot, struct pica_user_bpf_stats *st)
{
    return pica_sys_bpf_prog_stats(prog_slot, st, sizeof(*st));
}

int
sys_bpf_unload(int prog_slot)
{
    int info = pica_sys_cap_info((uint32_t)prog_slot);
    if (info < 0) {
        return info;
    }
    /* Only a program: any other slot is left as it is. */
    if (PICA_USER_CAP_INFO_TYPE(info) != PICA_USER_CAP_BPF_PROG) {
        return -EBADF;
    }
    return pica_sys_cap_delete((uint32_t)prog_slot);
}
