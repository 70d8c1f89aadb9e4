/* SPDX-License-Identifier: MIT */
/* The test processes of cap_procs.h. */
#include "cap_procs.h"

#include <errno.h>
#include <string.h>

#include "cap.h"
#include "core_test.h"
#include "sched.h"
#include "thread_priv.h"

static struct pica_proc_image images[NPROCS];
struct pica_proc test_procs[NPROCS];
uint64_t ep_obj[4], ntfn_obj[4], thread_obj[4], reply_obj[4];
struct pica_sem given_sem;

unsigned
pica_proc_count(void)
{
    return NPROCS;
}

struct pica_proc *
pica_proc_at(unsigned i)
{
    return &test_procs[i];
}

/* A thread made a user thread (become_user) leaves its process as
 * kernel/proc/proc.c would have it leave. */
void
proc_thread_ended_locked(struct pica_thread *t)
{
    pica_list_remove(&t->user->proc_node);
}

const char *
err_name(int r)
{
    return r == -EIDRM ? "EIDRM" : core_err(r);
}

void
procs_setup(uint32_t quota)
{
    memset(test_procs, 0, sizeof test_procs);
    for (unsigned i = 0; i < NPROCS; i++) {
        images[i].obj_quota = quota;
        test_procs[i].image = &images[i];
        test_procs[i].state = PICA_PROC_RUNNING;
        pica_list_init(&test_procs[i].threads);
    }
    assert_int_equal(pica_sem_init(&given_sem, 0, 1), 0);
}

int
given(struct pica_proc *p, enum pica_cap_type type, void *obj, unsigned rights)
{
    int slot = cap_insert(p, type, obj, rights, false);
    assert_true(slot >= 0);
    return slot;
}

int
owned_sem(struct pica_proc *p, unsigned rights)
{
    struct pica_sem *s = cap_obj_alloc(p, PICA_CAP_SEM, sizeof *s);
    assert_non_null(s);
    assert_int_equal(pica_sem_init(s, 0, 5), 0);
    int slot = cap_insert(p, PICA_CAP_SEM, s, rights, true);
    assert_true(slot >= 0);
    return slot;
}

int
transfer(struct pica_proc *from, int src, struct pica_proc *to, uint32_t dst)
{
    unsigned key = arch_irq_lock();
    int r = cap_transfer_locked(from, (uint32_t)src, to, dst);
    arch_irq_unlock(key);
    return r;
}

unsigned
occupied(const struct pica_proc *p)
{
    unsigned n = 0;
    for (unsigned i = 0; i < SLOTS; i++) {
        n += p->caps[i].obj != NULL;
    }
    return n;
}

unsigned
rights_of(const struct pica_proc *p, int slot)
{
    int info = cap_info(p, (uint32_t)slot);
    assert_true(info > 0);
    return (unsigned)info >> 8;
}

unsigned
children_of(struct pica_proc *p, int slot, int *out, unsigned max)
{
    unsigned n = 0;
    const struct pica_list *head = &p->caps[slot].children;
    for (const struct pica_list *l = head->next; l != head; l = l->next) {
        const struct pica_cap *c = pica_container_of(l, const struct pica_cap, sibling);
        if (c >= p->caps && c < p->caps + SLOTS) {
            assert_true(n < max);
            out[n++] = (int)(c - p->caps);
        }
    }
    return n;
}

void
become_user(struct pica_proc *p)
{
    static struct pica_thread_user users[8];
    static unsigned next;
    assert_true(next < 8);
    struct pica_thread_user *u = &users[next++];
    *u = (struct pica_thread_user){.thread = sched.current};
    unsigned key = arch_irq_lock();
    pica_list_append(&p->threads, &u->proc_node);
    sched.current->user = u;
    sched.current->proc = p;
    arch_irq_unlock(key);
}

static void (*thread_fn)(void);

static void
thread_entry(void *arg)
{
    (void)arg;
    thread_fn();
}

void
run_in_thread(void (*fn)(void))
{
    core_boot();
    thread_fn = fn;
    core_spawn("test", thread_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}
