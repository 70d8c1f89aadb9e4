/* SPDX-License-Identifier: MIT */
/* eBPF for user processes (qemu.user-bpf): bpf_a holds a grant for the
 * syscall and timer hooks with verdicts and loads, through the bpf_* calls,
 * apps/bpf-examples/syscall_filter.c with a rule that refuses bpf_b's
 * uptime_us; bpf_b, without a grant, is refused every load and sees each of
 * its uptime_us calls refused and none of its nops. Here the kernel checks
 * the registry while bpf_a holds its program (one program, its owner's,
 * whose counts say what bpf_b saw, charged to bpf_a's quota), and that
 * bpf_a's exit unloaded it; and that bpf_c, killed with a program on a
 * timer, loses it. In the end every byte of heap is back. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pica/bpf_kern.h>
#include <pica/bpf_proc.h>
#include <pica/heap.h>
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/queue.h>
#include <pica/sem.h>

#include "user_bpf.h"

static const struct pica_bpf_grant grant = {
    .hooks = PICA_BPF_HOOK_SYSCALL | PICA_BPF_HOOK_TIMER,
    .flags = PICA_BPF_GRANT_VERDICT,
};
static const struct pica_bpf_grant timer_only = {.hooks = PICA_BPF_HOOK_TIMER};
static struct pica_queue notes;
static struct user_bpf_note note_buf[1];
static struct pica_sem go, done, check, back;
static volatile uint32_t canary[16];
static int failures;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-bpf: FAIL %s\n", what);                                                  \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static void
give(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights, int slot)
{
    CHECK("give", pica_proc_give(p, type, obj, rights) == slot);
}

/* A process's id as programs see it: its place in the table, from 1. */
static uint32_t
pid_of(const struct pica_proc *p)
{
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        if (pica_proc_at(i) == p) {
            return i + 1u;
        }
    }
    return 0;
}

static void
wait_end(struct pica_proc *p)
{
    while (p->state == PICA_PROC_IDLE || p->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(10));
    }
    CHECK("exited with 0", p->state == PICA_PROC_EXITED && p->exit_code == 0);
}

/* While bpf_a waits: its filter alone in the registry, with the counts
 * bpf_b saw, charged to it. */
static void
check_registry(struct pica_proc *a)
{
    pica_bpf_lock();
    struct bpf_registry *r = pica_bpf_registry();
    const struct bpf_loaded *l = bpf_registry_at(r, 0);
    uint32_t id = l != NULL ? l->id : 0;
    CHECK("one program", r->count == 1 && l != NULL);
    CHECK("bpf_a's", l != NULL && l->owner == pid_of(a));
    CHECK("on syscall with verdicts",
          l != NULL && strcmp(l->att.hook->def->name, "syscall") == 0 &&
              (l->att.rights & BPF_ATTACH_VERDICT));
    uint32_t key = 0;
    uint64_t refused = 0;
    CHECK("counts", bpf_registry_map_lookup(r, id, "counts", &key, &refused) == 0);
    CHECK("refused = bpf_b's uptime calls", refused == USER_BPF_CALLS);
    CHECK("charged", l != NULL && a->quota_used > l->mem);
    pica_bpf_unlock();
}

/* bpf_c loads a program and waits: killed, it loses the program. */
static void
check_kill(struct pica_proc *c)
{
    give(c, PICA_CAP_BPF, (void *)&timer_only, PICA_RIGHT_WRITE, C_GRANT);
    CHECK("start bpf_c", pica_proc_start(c) == 0);
    bool loaded = false;
    for (int i = 0; i < 200 && !loaded; i++) {
        pica_sleep(PICA_MS(10));
        pica_bpf_lock();
        const struct bpf_loaded *l = bpf_registry_at(pica_bpf_registry(), 0);
        loaded = l != NULL && l->owner == pid_of(c) && l->att.stats.runs > 0;
        pica_bpf_unlock();
    }
    CHECK("bpf_c's program runs", loaded && c->quota_used > 0);
    CHECK("kill bpf_c", pica_proc_kill(c, -1) == 0);
    CHECK("bpf_c's program gone", pica_bpf_registry()->count == 0);
    CHECK("bpf_c's quota back", c->quota_used == 0);
}

/* The service thread's deepest use of its stack. */
static void
service_stack(struct pica_thread *t, void *arg)
{
    struct pica_thread_info info;
    if (pica_thread_info(t, &info) == 0 && strcmp(info.name, "bpfsys") == 0) {
        *(size_t *)arg = info.stack_used_max;
    }
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    CHECK("eBPF", pica_bpf_start() == 0);
    struct pica_proc *a = pica_proc_find("bpf_a");
    struct pica_proc *b = pica_proc_find("bpf_b");
    struct pica_proc *c = pica_proc_find("bpf_c");
    if (a == NULL || b == NULL || c == NULL) {
        printf("user-bpf: processes missing\n");
        pica_exit(1);
    }
    pica_queue_init(&notes, note_buf, sizeof(note_buf[0]), 1);
    pica_sem_init(&go, 0, 1);
    pica_sem_init(&done, 0, 1);
    pica_sem_init(&check, 0, 1);
    pica_sem_init(&back, 0, 1);
    struct pica_heap_stats before, after;
    pica_heap_stats(&before);
    check_kill(c);

    give(a, PICA_CAP_BPF, (void *)&grant, PICA_RIGHT_READ | PICA_RIGHT_WRITE, A_GRANT);
    give(a, PICA_CAP_BPF, (void *)&grant, PICA_RIGHT_READ, A_GRANT_RO);
    give(a, PICA_CAP_QUEUE, &notes, PICA_RIGHT_READ, A_NOTES);
    give(a, PICA_CAP_SEM, &go, PICA_RIGHT_WRITE, A_GO);
    give(a, PICA_CAP_SEM, &done, PICA_RIGHT_READ, A_DONE);
    give(a, PICA_CAP_SEM, &check, PICA_RIGHT_WRITE, A_CHECK);
    give(a, PICA_CAP_SEM, &back, PICA_RIGHT_READ, A_BACK);
    give(b, PICA_CAP_SEM, &go, PICA_RIGHT_READ, B_GO);
    give(b, PICA_CAP_SEM, &done, PICA_RIGHT_WRITE, B_DONE);
    struct user_bpf_note n = {pid_of(b), (uint32_t)(uintptr_t)canary};
    CHECK("note", pica_queue_send(&notes, &n, PICA_NO_WAIT) == 0);
    CHECK("start bpf_b", pica_proc_start(b) == 0);
    CHECK("start bpf_a", pica_proc_start(a) == 0);

    CHECK("bpf_a checks", pica_sem_take(&check, PICA_MS(20000)) == 0);
    check_registry(a);
    CHECK("bpf_a back", pica_sem_give(&back) == 0);
    wait_end(a);
    wait_end(b);
    CHECK("no program left", pica_bpf_registry()->count == 0 && pica_bpf_registry()->mem == 0);
    CHECK("bpf_a's quota back", a->quota_used == 0);
    /* Their threads' memory goes back as ended processes are reaped. */
    CHECK("reap bpf_a", pica_proc_kill(a, 0) == -ESRCH);
    CHECK("reap bpf_b", pica_proc_kill(b, 0) == -ESRCH);
    CHECK("reap bpf_c", pica_proc_kill(c, 0) == -ESRCH);
    pica_heap_stats(&after);
    CHECK("heap as before", after.used_bytes == before.used_bytes &&
                                after.allocated_blocks == before.allocated_blocks);
    if (after.used_bytes != before.used_bytes) {
        printf("user-bpf: heap %lu bytes in %lu blocks, before %lu in %lu\n",
               (unsigned long)after.used_bytes, (unsigned long)after.allocated_blocks,
               (unsigned long)before.used_bytes, (unsigned long)before.allocated_blocks);
    }
    size_t svc_used = 0;
    pica_thread_foreach(service_stack, &svc_used);
    printf("user-bpf: bpfsys used %u of %u bytes of stack\n", (unsigned)svc_used,
           (unsigned)PICA_CFG_BPF_SYS_STACK);
    printf("user-bpf: bpf_a used %u, bpf_b %u of %u bytes of privileged stack\n",
           (unsigned)a->kstack_used_max, (unsigned)b->kstack_used_max,
           (unsigned)PICA_CFG_SYSCALL_STACK);
    printf("user-bpf: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
