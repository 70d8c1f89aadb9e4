/* SPDX-License-Identifier: MIT */
/* eBPF's service thread for user processes (sys_bpf.h): it runs the
 * requests the system calls fill (sys_bpf.c), one at a time, on a stack of
 * PICA_CFG_BPF_SYS_STACK bytes: it copies an object into the kernel heap,
 * loads and verifies it through the registry, charges the program to its
 * process's quota and puts it in a slot; and it reads and writes maps and
 * stats, and unloads. Started by the first request.
 *
 * The thread, the one request and what happens when a caller is killed
 * while it waits: kernel/proc/syscall_service.h (a load taken for a process
 * that has begun to end is undone here). */
#include "sys_bpf.h"

#include <errno.h>
#include <string.h>

#include <pica/errno.h>
#include <pica/heap.h>
#include <pica/irq.h>
#include <pica/log.h>
#include <pica/mutex.h>
#include <pica/proc.h>
#include <pica/sem.h>
#include <pica/thread.h>
#include <pica/user/abi.h>

#include "bpf_kern_priv.h"
#include "cap.h"
#include "syscall_service.h"

PICA_LOG_MODULE(bpf);

/* What a heap block costs: its bytes and the heap's two-word header
 * (include/pica/heap.h), as cap.c charges objects. */
#define HEAP_HEADER (2u * sizeof(void *))
#define ROUND8(n) (((n) + 7u) & ~(size_t)7u)

/* The request callers fill (the service's: kernel/proc/syscall_service.h). */
static struct sys_bpf_req svc_req;
PICA_THREAD_STACK_DEFINE(svc_stack, PICA_CFG_BPF_SYS_STACK);

/* The thread's copy of the request being run, and the loader's message:
 * too large for its stack beside the verifier. */
static struct sys_bpf_req run_req;
static struct bpf_load_err run_err;

/* ---- the work ---- */

/* The heap a program of the object @elf will take, as the registry lays
 * it out (struct bpf_loaded, its ops, its arena), or 0 if the object
 * cannot be measured (the load then fails with the reason). */
static uint32_t
load_estimate(const void *elf, size_t len)
{
    struct bpf_elf_need need;
    struct bpf_verr v = {0};
    if (bpf_elf_measure(elf, len, NULL, &need, &v) != 0) {
        return 0;
    }
    size_t n = ROUND8(sizeof(struct bpf_loaded)) + (size_t)need.insns * sizeof(struct bpf_op) +
               need.arena;
    return n < UINT32_MAX / 2 ? (uint32_t)(n + HEAP_HEADER) : UINT32_MAX / 2;
}

/* The heap program @id holds. */
static uint32_t
load_actual(uint32_t id)
{
    pica_bpf_lock();
    const struct bpf_loaded *l = bpf_registry_find(pica_bpf_registry(), id);
    size_t mem = l != NULL ? l->mem : 0;
    pica_bpf_unlock();
    return (uint32_t)(mem + HEAP_HEADER);
}

/* Load @r's object from @elf (in the process's text, or the kernel's
 * copy) for the handle @h, charged to @h: the program's id, or a negative
 * errno with nothing loaded (what was charged goes with @h). */
static int
load_charged(const struct sys_bpf_req *r, struct pica_bpf_handle *h, const void *elf)
{
    const char *who = r->p->image->name;
    uint32_t est = load_estimate(elf, r->len);
    if (cap_obj_charge_add(h, (int32_t)est) != 0) {
        PICA_LOG_WRN("process '%s': a program of %lu bytes is past its quota", who,
                     (unsigned long)est);
        return -ENOMEM;
    }
    struct bpf_load_req req = {
        .elf = elf, .len = r->len, .hook = r->name, .owner = r->owner, .rights = r->rights};
    memset(&run_err, 0, sizeof(run_err));
    int id = pica_bpf_load(&req, &run_err);
    if (id < 0) {
        /* Two records: a log line holds the verifier's sentence, not both. */
        PICA_LOG_WRN("process '%s': load on %s refused (%s):", who, r->name, pica_strerror(id));
        PICA_LOG_WRN("  %s", run_err.msg);
        return id;
    }
    /* The estimate is the registry's own layout; should they ever differ,
     * the quota holds what the program really took. */
    uint32_t actual = load_actual((uint32_t)id);
    if (actual != est && cap_obj_charge_add(h, (int32_t)(actual - est)) != 0) {
        PICA_LOG_WRN("process '%s': a program of %lu bytes is past its quota", who,
                     (unsigned long)actual);
        (void)pica_bpf_unload((uint32_t)id);
        return -ENOMEM;
    }
    return id;
}

/* A new program of the caller's in a BPF_PROG slot; unloaded and freed
 * instead if its process has begun to end meanwhile (its slots are being
 * emptied: one added now would be missed). */
static int
run_load(const struct sys_bpf_req *r)
{
    struct pica_bpf_handle *h = cap_obj_alloc(r->p, PICA_CAP_BPF_PROG, sizeof(*h));
    /* The loader checks an object and then uses it: it reads one no
     * thread of the process can change meanwhile, its text (as an object
     * the build embedded there is) or a copy on the kernel heap. */
    void *copy = h != NULL && !r->in_text ? pica_malloc(r->len) : NULL;
    if (h == NULL || (copy == NULL && !r->in_text)) {
        cap_obj_free(h);
        return -ENOMEM;
    }
    if (copy != NULL) {
        memcpy(copy, r->buf, r->len);
    }
    int id = load_charged(r, h, copy != NULL ? copy : r->buf);
    pica_free(copy);
    if (id < 0) {
        cap_obj_free(h);
        return id;
    }
    h->id = (uint32_t)id;
    h->owner = r->owner;
    unsigned key = pica_irq_lock();
    bool alive = r->p->state == PICA_PROC_RUNNING && r->p->ending == 0;
    int slot = alive ? cap_insert(r->p, PICA_CAP_BPF_PROG, h, PICA_RIGHTS_ALL, true) : -ESRCH;
    pica_irq_unlock(key);
    if (slot < 0) {
        (void)pica_bpf_unload(h->id);
        cap_obj_free(h);
    }
    return slot;
}

/* A map of @r's program whose key and value sizes are @r's, or NULL with
 * *@err. Registry lock held. */
static struct bpf_map *
req_map(const struct sys_bpf_req *r, uint32_t vlen, int *err)
{
    struct bpf_registry *reg = pica_bpf_registry();
    const struct bpf_loaded *l = bpf_registry_find(reg, r->id);
    struct bpf_map *m = l != NULL && l->owner == r->owner ? bpf_registry_map(reg, r->id, r->name)
                                                          : NULL;
    *err = -ENOENT;
    if (m != NULL && (m->def.type == BPF_MAP_TYPE_RINGBUF || m->def.key_size != r->len ||
                      m->def.value_size != vlen)) {
        *err = -EINVAL;
        m = NULL;
    }
    return m;
}

static int
run_map(const struct sys_bpf_req *r)
{
    bool update = r->op == SYS_BPF_UPDATE;
    int err;
    pica_bpf_lock();
    struct bpf_map *m = req_map(r, update ? r->len2 : r->out_len, &err);
    if (m != NULL && update) {
        err = bpf_registry_map_update(pica_bpf_registry(), r->id, r->name, r->buf, r->buf2,
                                      BPF_ANY);
    } else if (m != NULL) {
        err = bpf_registry_map_lookup(pica_bpf_registry(), r->id, r->name, r->buf, r->out);
    }
    pica_bpf_unlock();
    return err;
}

static int
run_stats(const struct sys_bpf_req *r)
{
    struct bpf_prog_stats s;
    struct bpf_registry *reg = pica_bpf_registry();
    pica_bpf_lock();
    const struct bpf_loaded *l = bpf_registry_find(reg, r->id);
    int err = l != NULL && l->owner == r->owner ? bpf_registry_stats(reg, r->id, &s) : -ENOENT;
    uint32_t mem = l != NULL ? (uint32_t)l->mem : 0;
    pica_bpf_unlock();
    if (err == 0) {
        struct pica_user_bpf_stats u = {
            .runs = s.runs,
            .insns = s.insns,
            .max_insns = s.max_insns,
            .overruns = s.overruns,
            .errors = s.errors,
            .last_error = s.last_error,
            .last_fault_pc = s.last_fault_pc,
            .id = r->id,
            .mem = mem,
        };
        memcpy(r->out, &u, sizeof(u));
    }
    return err;
}

static int
run_unload(const struct sys_bpf_req *r)
{
    pica_bpf_lock();
    int n = r->op == SYS_BPF_UNLOAD
                ? bpf_registry_unload(pica_bpf_registry(), r->id, r->owner)
                : (int)bpf_registry_unload_owner(pica_bpf_registry(), r->owner);
    pica_bpf_unlock();
    return n;
}

static int
run(const struct sys_bpf_req *r)
{
    if (r->owner == 0 && r->op != SYS_BPF_NONE) {
        return -EPERM; /* owner 0 is the kernel: never a process's request */
    }
    switch (r->op) {
    case SYS_BPF_NONE:
        return 0;
    case SYS_BPF_LOAD:
        return run_load(r);
    case SYS_BPF_LOOKUP:
    case SYS_BPF_UPDATE:
        return run_map(r);
    case SYS_BPF_STATS:
        return run_stats(r);
    case SYS_BPF_UNLOAD:
    case SYS_BPF_UNLOAD_OWNER:
        return run_unload(r);
    default:
        return -ENOSYS;
    }
}

/* ---- the thread and its callers ---- */

/* The service's run: the request copied into @copy, where buffers that
 * were copied into the request (@req) must point into the copy now. */
static int
run_copied(void *copy, const void *req)
{
    struct sys_bpf_req *r = copy;
    const struct sys_bpf_req *orig = req;
    if (r->buf == (const void *)orig->small) {
        r->buf = r->small;
    }
    if (r->buf2 == (const void *)orig->small2) {
        r->buf2 = r->small2;
    }
    return run(r);
}

static struct syscall_service svc = {
    .name = "bpfsys",
    .stack = svc_stack,
    .stack_size = sizeof(svc_stack),
    .prio = PICA_CFG_BPF_SYS_PRIO,
    .req = &svc_req,
    .copy = &run_req,
    .req_size = sizeof(struct sys_bpf_req),
    .run = run_copied,
};

bool
sys_bpf_started(void)
{
    return syscall_service_started(&svc);
}

struct sys_bpf_req *
sys_bpf_begin(int *err)
{
    return syscall_service_begin(&svc, err);
}

void
sys_bpf_abort(void)
{
    syscall_service_abort(&svc);
}

int
sys_bpf_end(void)
{
    return syscall_service_end(&svc);
}
