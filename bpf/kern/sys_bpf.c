/* SPDX-License-Identifier: MIT */
/* The bpf_* system calls of user processes (kernel/proc/syscalls.def): the
 * handlers run on the caller's privileged stack, check what only the call
 * knows (eBPF running, the hook and the grant, sizes) and fill a request
 * for the service thread (sys_bpf_service.c), which does the work. A
 * loaded program is a PICA_CAP_BPF_PROG slot holding a struct
 * pica_bpf_handle; deleting the slot unloads it (bpf_cap_destroy), and a
 * process that ends loses every program it owns (bpf_cap_release). The
 * dispatch refers to the handlers weakly: an image without eBPF answers
 * -ENOSYS. docs/user-space.md, "eBPF programs", has the rules. */
#include "sys_bpf.h"

#include <errno.h>
#include <string.h>

#include <pica/proc.h>
#include <pica/user/abi.h>

#include "bpf_kern_priv.h"
#include "cap.h"
#include "syscall_handlers.h"

_Static_assert(PICA_BPF_HOOK_TIMER == 1u << KERN_HOOK_TIMER &&
                   PICA_BPF_HOOK_IRQ == 1u << KERN_HOOK_IRQ &&
                   PICA_BPF_HOOK_SWITCH == 1u << KERN_HOOK_SWITCH &&
                   PICA_BPF_HOOK_SYSCALL == 1u << KERN_HOOK_SYSCALL &&
                   PICA_BPF_HOOK_CONSOLE == 1u << KERN_HOOK_CONSOLE &&
                   PICA_BPF_HOOK_CRON == 1u << KERN_HOOK_CRON &&
                   PICA_BPF_HOOK_FS == 1u << KERN_HOOK_FS &&
                   PICA_BPF_HOOK_LOG == 1u << KERN_HOOK_LOG && KERN_HOOKS <= 8,
               "PICA_BPF_HOOK_* follow enum kern_hook_id");
_Static_assert(sizeof(struct pica_user_bpf_stats) == 48, "the user ABI");

/* eBPF is running: pica_bpf_start() set the registry up. */
static bool
bpf_running(void)
{
    return pica_bpf_registry()->env != NULL;
}

/* @buf (an in-buffer read in place, INREF) for the request: up to
 * PICA_SYSCALL_COPY_MAX bytes are copied into @small now, so no sibling
 * thread changes them later; a longer one is read in place, as the
 * dispatch reads a long IN buffer (the service parses an object only
 * where no thread can change it: in the process's text, or a copy). */
static const void *
req_buf(uint8_t *small, const void *buf, uint32_t len)
{
    if (len > PICA_SYSCALL_COPY_MAX) {
        return buf;
    }
    memcpy(small, buf, len);
    return small;
}

/* Whether [@buf, @buf + @len) lies in @p's text: no thread of any process
 * can write there, nor does the kernel. */
static bool
in_text(const struct pica_proc *p, const void *buf, uint32_t len)
{
    const struct pica_proc_region *t = &p->regions[0];
    uint32_t off = (uint32_t)(uintptr_t)buf - t->base;
    return off < t->len && len <= t->len - off;
}

int32_t
sys_bpf_load(struct pica_bpf_grant *grant, const void *elf, uint32_t len, const char *hook)
{
    if (!bpf_running()) {
        return -ENOSYS;
    }
    if (len == 0 || len > PICA_CFG_BPF_MAX_OBJECT) {
        return len == 0 ? -EINVAL : -E2BIG;
    }
    int idx = bpf_hook_parse(kern_hook_table, KERN_HOOKS, hook, NULL);
    if (idx < 0) {
        return idx;
    }
    if ((grant->hooks & (1u << idx)) == 0) {
        return -EPERM;
    }
    /* Programs decide where the grant lets them and the hook takes
     * verdicts. */
    bool verdict = (grant->flags & PICA_BPF_GRANT_VERDICT) &&
                   (kern_hooks[idx].def->flags & BPF_HOOK_VERDICT);
    int err;
    struct sys_bpf_req *r = sys_bpf_begin(&err);
    if (r == NULL) {
        return err;
    }
    r->op = SYS_BPF_LOAD;
    r->p = syscall_proc();
    r->owner = kern_pid(r->p);
    r->rights = verdict ? BPF_ATTACH_VERDICT : 0;
    r->buf = req_buf(r->small, elf, len);
    r->len = len;
    r->in_text = in_text(r->p, elf, len);
    strcpy(r->name, hook); /* the dispatch's copy: under PICA_SYSCALL_STR_MAX */
    return sys_bpf_end();
}

/* A request on the program @prog (held by the call) for map @map. */
static struct sys_bpf_req *
prog_req(enum sys_bpf_op op, const struct pica_bpf_handle *prog, const char *map, int *err)
{
    if (!bpf_running()) {
        *err = -ENOSYS;
        return NULL;
    }
    struct sys_bpf_req *r = sys_bpf_begin(err);
    if (r != NULL) {
        r->op = (uint8_t)op;
        r->id = prog->id;
        r->owner = prog->owner;
        if (map != NULL) {
            strcpy(r->name, map);
        }
    }
    return r;
}

int32_t
sys_bpf_map_lookup(struct pica_bpf_handle *prog, const char *map, const void *key, uint32_t klen,
                   void *value, uint32_t vlen)
{
    int err;
    struct sys_bpf_req *r = prog_req(SYS_BPF_LOOKUP, prog, map, &err);
    if (r == NULL) {
        return err;
    }
    r->buf = req_buf(r->small, key, klen);
    r->len = klen;
    r->out = value; /* the process's memory */
    r->out_len = vlen;
    return sys_bpf_end();
}

int32_t
sys_bpf_map_update(struct pica_bpf_handle *prog, const char *map, const void *key, uint32_t klen,
                   const void *value, uint32_t vlen)
{
    int err;
    struct sys_bpf_req *r = prog_req(SYS_BPF_UPDATE, prog, map, &err);
    if (r == NULL) {
        return err;
    }
    r->buf = req_buf(r->small, key, klen);
    r->len = klen;
    r->buf2 = req_buf(r->small2, value, vlen);
    r->len2 = vlen;
    return sys_bpf_end();
}

int32_t
sys_bpf_prog_stats(struct pica_bpf_handle *prog, void *st, uint32_t len)
{
    if (len != sizeof(struct pica_user_bpf_stats)) {
        return -EINVAL;
    }
    int err;
    struct sys_bpf_req *r = prog_req(SYS_BPF_STATS, prog, NULL, &err);
    if (r == NULL) {
        return err;
    }
    r->out = st;
    r->out_len = len;
    return sys_bpf_end();
}

/* ---- the capability table's calls (kernel/proc/cap.h) ---- */

void
bpf_cap_destroy(void *obj)
{
    const struct pica_bpf_handle *h = obj;
    int err;
    /* A handle is in a slot only once its program was loaded: the
     * service exists. */
    struct sys_bpf_req *r = prog_req(SYS_BPF_UNLOAD, h, NULL, &err);
    if (r != NULL) {
        (void)sys_bpf_end();
    }
}

void
bpf_cap_release(struct pica_proc *p)
{
    if (!bpf_running() || !sys_bpf_started()) {
        return; /* no process has ever loaded a program */
    }
    int err;
    struct sys_bpf_req *r = sys_bpf_begin(&err);
    if (r != NULL) {
        /* After every request made before this one, its own included. */
        r->op = SYS_BPF_UNLOAD_OWNER;
        r->owner = kern_pid(p);
        (void)sys_bpf_end();
    }
}
