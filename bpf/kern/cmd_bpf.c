/* SPDX-License-Identifier: MIT */
/* The shell's `bpf` command: list, stats, detach, maps, dump, load and
 * hooks, over the registry (include/pica/bpf_hook.h) under its lock. A
 * failure says why and returns its negative errno (not PICA_SHELL_USAGE:
 * the usage would not help). */
#include "bpf_kern_priv.h"

#include <errno.h>
#include <pica/errno.h>
#include <pica/fs.h>
#include <pica/heap.h>
#include <pica/shell.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Referenced by pica_link_bpf() so that the linker keeps this file's
 * command whenever eBPF is linked. */
const char pica_bpf_shell_commands[] = "bpf";

#pragma weak pica_fs_open
#pragma weak pica_fs_read
#pragma weak pica_fs_close
#pragma weak pica_fs_stat

static bool
parse_id(const char *s, uint32_t *id)
{
    char *end;
    unsigned long v = strtoul(s, &end, 10);
    if (*s == '\0' || *end != '\0' || v == 0 || v > UINT32_MAX) {
        printf("bpf: '%s' is not a program id\n", s);
        return false;
    }
    *id = (uint32_t)v;
    return true;
}

static const char *
state_of(const struct bpf_loaded *l)
{
    if (l->att.disabled) {
        return "overrun";
    }
    return l->att.hook != NULL ? "attached" : "detached";
}

static int
cmd_list(void)
{
    struct bpf_registry *r = pica_bpf_registry();
    printf(" id name            hook          owner insns   mem state\n");
    pica_bpf_lock();
    for (unsigned i = 0;; i++) {
        const struct bpf_loaded *l = bpf_registry_at(r, i);
        if (l == NULL) {
            break;
        }
        char hook[24];
        bpf_registry_hook_spec(l, hook, sizeof(hook));
        char owner[16];
        if (l->owner == 0) {
            strcpy(owner, "kernel");
        } else {
            snprintf(owner, sizeof(owner), "pid %lu", (unsigned long)l->owner);
        }
        printf("%3lu %-15s %-13s %-6s %5lu %5lu %s\n", (unsigned long)l->id, l->name, hook, owner,
               (unsigned long)l->ninsns, (unsigned long)l->mem, state_of(l));
    }
    printf("%lu programs, %lu bytes\n", (unsigned long)r->count, (unsigned long)r->mem);
    pica_bpf_unlock();
    return 0;
}

static void
print_stats(uint32_t id, const struct bpf_prog_stats *st)
{
    printf("%3lu %8llu %10llu %8lu %6lu %5ld %6llu\n", (unsigned long)id,
           (unsigned long long)st->runs, (unsigned long long)st->insns,
           (unsigned long)st->overruns, (unsigned long)st->errors, (long)st->last_error,
           (unsigned long long)st->max_insns);
}

static int
cmd_stats(int argc, char **argv)
{
    uint32_t only = 0;
    if (argc > 2 && !parse_id(argv[2], &only)) {
        return -EINVAL;
    }
    struct bpf_registry *r = pica_bpf_registry();
    printf(" id     runs      insns overruns errors  last    max\n");
    pica_bpf_lock();
    int found = 0;
    for (unsigned i = 0;; i++) {
        const struct bpf_loaded *l = bpf_registry_at(r, i);
        if (l == NULL) {
            break;
        }
        struct bpf_prog_stats st;
        if ((only == 0 || l->id == only) && bpf_registry_stats(r, l->id, &st) == 0) {
            print_stats(l->id, &st);
            found++;
        }
    }
    pica_bpf_unlock();
    if (only != 0 && found == 0) {
        printf("bpf: no program %lu\n", (unsigned long)only);
        return -ENOENT;
    }
    return 0;
}

static int
cmd_detach(const char *arg)
{
    uint32_t id;
    if (!parse_id(arg, &id)) {
        return -EINVAL;
    }
    int err = pica_bpf_unload(id);
    if (err != 0) {
        printf("bpf: detach %lu: %s\n", (unsigned long)id, pica_strerror(err));
        return err;
    }
    printf("program %lu detached and freed\n", (unsigned long)id);
    return 0;
}

static const char *
map_type_name(uint32_t type)
{
    switch (type) {
    case BPF_MAP_TYPE_ARRAY: return "array";
    case BPF_MAP_TYPE_HASH: return "hash";
    case BPF_MAP_TYPE_RINGBUF: return "ringbuf";
    default: return "?";
    }
}

static int
cmd_maps(const char *arg)
{
    uint32_t id;
    if (!parse_id(arg, &id)) {
        return -EINVAL;
    }
    pica_bpf_lock();
    struct bpf_loaded *l = bpf_registry_find(pica_bpf_registry(), id);
    if (l == NULL) {
        pica_bpf_unlock();
        printf("bpf: no program %lu\n", (unsigned long)id);
        return -ENOENT;
    }
    printf(" # name             type    key value entries\n");
    for (unsigned i = 0; i < l->obj.nmaps; i++) {
        const struct bpf_map *m = &l->obj.maps[i];
        printf("%2u %-16s %-7s %3lu %5lu %7lu\n", i, m->name, map_type_name(m->def.type),
               (unsigned long)m->def.key_size, (unsigned long)m->def.value_size,
               (unsigned long)m->def.max_entries);
    }
    pica_bpf_unlock();
    return 0;
}

/* Bytes as one little-endian number where they are 1, 2, 4 or 8, else hex. */
static void
print_bytes(const uint8_t *b, uint32_t n)
{
    if (n == 1 || n == 2 || n == 4 || n == 8) {
        uint64_t v = 0;
        for (uint32_t i = n; i-- > 0;) {
            v = (v << 8) | b[i];
        }
        printf("%llu", (unsigned long long)v);
        return;
    }
    for (uint32_t i = 0; i < n; i++) {
        printf("%02x", b[i]);
    }
}

#define DUMP_MAX 64u /* bytes of key or value shown */

static int
cmd_dump(const char *arg, const char *map_name)
{
    uint32_t id;
    if (!parse_id(arg, &id)) {
        return -EINVAL;
    }
    static uint8_t key[DUMP_MAX], next[DUMP_MAX], value[DUMP_MAX];
    struct bpf_registry *r = pica_bpf_registry();
    pica_bpf_lock();
    struct bpf_map *m = bpf_registry_map(r, id, map_name);
    if (m == NULL || m->def.type == BPF_MAP_TYPE_RINGBUF || m->def.key_size > DUMP_MAX ||
        m->def.value_size > DUMP_MAX) {
        pica_bpf_unlock();
        printf("bpf: %s\n", m == NULL ? "no such program or map"
                                      : "that map cannot be shown here (ring buffer or too wide)");
        return m == NULL ? -ENOENT : -EINVAL;
    }
    unsigned shown = 0;
    const void *prev = NULL;
    while (bpf_registry_map_next_key(r, id, map_name, prev, next) == 0) {
        memcpy(key, next, m->def.key_size);
        prev = key;
        if (bpf_registry_map_lookup(r, id, map_name, key, value) != 0) {
            continue; /* deleted meanwhile */
        }
        print_bytes(key, m->def.key_size);
        printf(": ");
        print_bytes(value, m->def.value_size);
        printf("\n");
        shown++;
    }
    pica_bpf_unlock();
    printf("%u entries\n", shown);
    return 0;
}

/* Read a whole file into a heap block. */
static int
read_file(const char *path, uint8_t **out, size_t *len)
{
    if (pica_fs_open == NULL) {
        return -ENOSYS;
    }
    struct picafs_stat st;
    int err = pica_fs_stat(path, &st);
    if (err != 0) {
        return err;
    }
    if (st.size > PICA_CFG_BPF_MAX_OBJECT) {
        return -E2BIG;
    }
    uint8_t *buf = pica_malloc(st.size ? st.size : 1);
    if (buf == NULL) {
        return -ENOMEM;
    }
    struct pica_file f;
    err = pica_fs_open(&f, path, PICA_O_RDONLY);
    int32_t n = err == 0 ? pica_fs_read(&f, buf, st.size) : err;
    if (err == 0) {
        (void)pica_fs_close(&f);
    }
    if (n < 0 || (uint32_t)n != st.size) {
        pica_free(buf);
        return n < 0 ? n : -EIO;
    }
    *out = buf;
    *len = st.size;
    return 0;
}

static int
cmd_load(int argc, char **argv)
{
    /* -v: the program decides for the event where the hook lets it. */
    uint32_t rights = 0;
    if (argc > 2 && strcmp(argv[2], "-v") == 0) {
        rights = BPF_ATTACH_VERDICT;
        argv++;
        argc--;
    }
    if (argc < 4) {
        return PICA_SHELL_USAGE;
    }
    uint8_t *elf;
    size_t len;
    int err = read_file(argv[2], &elf, &len);
    if (err != 0) {
        printf("bpf: %s: %s\n", argv[2], pica_strerror(err));
        return err;
    }
    struct bpf_load_req req = {
        .elf = elf,
        .len = len,
        .hook = argv[3],
        .section = argc > 4 ? argv[4] : NULL,
        .name = argc > 5 ? argv[5] : NULL,
        .rights = rights,
    };
    static struct bpf_load_err lerr;
    int id = pica_bpf_load(&req, &lerr);
    pica_free(elf);
    if (id < 0) {
        printf("bpf: %s refused: %s\n", argv[2], lerr.msg[0] ? lerr.msg : pica_strerror(id));
        return id;
    }
    printf("program %d loaded, attached to %s\n", id, argv[3]);
    return 0;
}

static int
cmd_hooks(void)
{
    printf("hook      programs       runs\n");
    struct pica_bpf_hook_info info;
    for (unsigned i = 0; pica_bpf_hook_info(i, &info) == 0; i++) {
        printf("%-9s %8lu %10llu\n", info.name, (unsigned long)info.attached,
               (unsigned long long)info.runs);
    }
    size_t isr, thread, size;
    pica_bpf_stack_use(&isr, &thread, &size);
    printf("run stacks: interrupt level %u/%u, threads %u/%u bytes used\n", (unsigned)isr,
           (unsigned)size, (unsigned)thread, (unsigned)size);
    return 0;
}

static int
cmd_bpf(int argc, char **argv)
{
    if (argc < 2) {
        return PICA_SHELL_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "list") == 0 && argc == 2) {
        return cmd_list();
    }
    if (strcmp(sub, "stats") == 0 && argc <= 3) {
        return cmd_stats(argc, argv);
    }
    if (strcmp(sub, "detach") == 0 && argc == 3) {
        return cmd_detach(argv[2]);
    }
    if (strcmp(sub, "maps") == 0 && argc == 3) {
        return cmd_maps(argv[2]);
    }
    if (strcmp(sub, "dump") == 0 && argc == 4) {
        return cmd_dump(argv[2], argv[3]);
    }
    if (strcmp(sub, "load") == 0) {
        return cmd_load(argc, argv);
    }
    if (strcmp(sub, "hooks") == 0 && argc == 2) {
        return cmd_hooks();
    }
    return PICA_SHELL_USAGE;
}
PICA_SHELL_CMD(bpf,
               "eBPF programs: list, run statistics, detach, maps and their contents,\n"
               "load from a file, hooks\n"
               "bpf list | stats [id] | detach <id> | maps <id> | dump <id> <map>\n"
               "    | load [-v] <file> <hook> [section [name]] | hooks\n"
               "(-v: the program may refuse the event, on syscall, console, fs, log)",
               cmd_bpf);
