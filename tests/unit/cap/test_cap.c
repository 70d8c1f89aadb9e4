/* SPDX-License-Identifier: MIT */
/* Capability slots (kernel/proc/cap.c) on the fake port: lookups by type and
 * rights, a full table, the object quota and what it charges, holds that
 * keep a deleted object in memory until the last call is done, objects
 * destroyed with waiters (-EIDRM) and everything a process created freed
 * when it ends. */
#include <errno.h>
#include <string.h>

#include <pica/event.h>
#include <pica/mutex.h>
#include <pica/proc.h>
#include <pica/queue.h>
#include <pica/sem.h>

#include "cap.h"
#include "core_test.h"
#include "fake_heap.h"
#include "sched.h"

/* err_name() with the code it does not name. */
static const char *
err_name(int r)
{
    return r == -EIDRM ? "EIDRM" : core_err(r);
}

static struct pica_proc_image image;
static struct pica_proc proc;

static void
proc_setup(uint32_t quota)
{
    memset(&proc, 0, sizeof proc);
    image.obj_quota = quota;
    proc.image = &image;
}

/* A semaphore the process owns, in a slot with @rights; returns the slot. */
static int
owned_sem(unsigned rights)
{
    struct pica_sem *s = cap_obj_alloc(&proc, PICA_CAP_SEM, sizeof *s);
    assert_non_null(s);
    assert_int_equal(pica_sem_init(s, 0, 5), 0);
    return cap_insert(&proc, PICA_CAP_SEM, s, rights, true);
}

static void
test_lookup_checks_range_type_and_rights(void **state)
{
    (void)state;
    core_boot();
    proc_setup(4096);
    struct pica_sem given;
    pica_sem_init(&given, 0, 1);
    assert_int_equal(cap_insert(&proc, PICA_CAP_SEM, &given, PICA_RIGHT_READ, false), 0);
    int slot = owned_sem(PICA_RIGHT_WRITE | PICA_RIGHT_GRANT);
    assert_int_equal(slot, 1);
    void *obj = NULL;
    assert_int_equal(cap_lookup(&proc, 0, PICA_CAP_SEM, PICA_RIGHT_READ, &obj), 0);
    assert_ptr_equal(obj, &given);
    assert_int_equal(cap_lookup(&proc, 0, PICA_CAP_SEM, 0, &obj), 0);
    assert_int_equal(cap_lookup(&proc, 0, PICA_CAP_SEM, PICA_RIGHT_WRITE, &obj), -EPERM);
    assert_int_equal(cap_lookup(&proc, 0, PICA_CAP_SEM, PICA_RIGHT_READ | PICA_RIGHT_WRITE, &obj),
                     -EPERM);
    assert_int_equal(cap_lookup(&proc, 0, PICA_CAP_MUTEX, 0, &obj), -EBADF);
    assert_int_equal(cap_lookup(&proc, 1, PICA_CAP_SEM, PICA_RIGHT_WRITE, &obj), 0);
    assert_int_equal(cap_lookup(&proc, 1, PICA_CAP_SEM, PICA_RIGHT_READ, &obj), -EPERM);
    /* Wrong type wins over missing rights: nothing about the slot leaks. */
    assert_int_equal(cap_lookup(&proc, 1, PICA_CAP_QUEUE, PICA_RIGHT_READ, &obj), -EBADF);
    assert_int_equal(cap_lookup(&proc, 2, PICA_CAP_SEM, 0, &obj), -EBADF); /* empty */
    assert_int_equal(cap_lookup(&proc, PICA_CFG_CAP_SLOTS, PICA_CAP_SEM, 0, &obj), -EBADF);
    assert_int_equal(cap_lookup(&proc, UINT32_MAX, PICA_CAP_SEM, 0, &obj), -EBADF);
    assert_int_equal(cap_lookup(&proc, 0x80000000u, PICA_CAP_SEM, 0, &obj), -EBADF);
    assert_int_equal(cap_info(&proc, 0), PICA_CAP_SEM | PICA_RIGHT_READ << 8);
    assert_int_equal(cap_info(&proc, 1), PICA_CAP_SEM | (PICA_RIGHT_WRITE | PICA_RIGHT_GRANT) << 8);
    assert_int_equal(cap_info(&proc, 2), -EBADF);
    assert_int_equal(cap_info(&proc, UINT32_MAX), -EBADF);
    cap_release_all(&proc);
    assert_int_equal(fake_heap_live(), 0);
}

static void
test_insert_refuses_bad_entries_and_a_full_table(void **state)
{
    (void)state;
    core_boot();
    proc_setup(0);
    static struct pica_sem sems[PICA_CFG_CAP_SLOTS + 1];
    assert_int_equal(cap_insert(&proc, PICA_CAP_SEM, NULL, 0, false), -EINVAL);
    assert_int_equal(cap_insert(&proc, PICA_CAP_NONE, &sems[0], 0, false), -EINVAL);
    assert_int_equal(cap_insert(&proc, PICA_CAP_TYPES, &sems[0], 0, false), -EINVAL);
    assert_int_equal(cap_insert(&proc, PICA_CAP_SEM, &sems[0], 0x8, false), -EINVAL);
    assert_int_equal(cap_insert(&proc, PICA_CAP_THREAD, &sems[0], 0, true), -EINVAL);
    assert_int_equal(cap_insert(NULL, PICA_CAP_SEM, &sems[0], 0, false), -EINVAL);
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        assert_int_equal(cap_insert(&proc, PICA_CAP_SEM, &sems[i], PICA_RIGHTS_ALL, false), (int)i);
    }
    assert_int_equal(cap_insert(&proc, PICA_CAP_SEM, &sems[PICA_CFG_CAP_SLOTS], 0, false), -ENOSPC);
    /* A deleted slot is the next one given. */
    assert_int_equal(cap_delete(&proc, 7), 0);
    assert_int_equal(cap_delete(&proc, 7), -EBADF);
    assert_int_equal(cap_delete(&proc, PICA_CFG_CAP_SLOTS), -EBADF);
    assert_int_equal(cap_insert(&proc, PICA_CAP_EVENT, &sems[0], 0, false), 7);
    /* Objects the kernel gave stay the kernel's. */
    cap_release_all(&proc);
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        assert_null(proc.caps[i].obj);
    }
    assert_int_equal(pica_sem_init(&sems[3], 0, 1), 0);
    assert_int_equal(pica_sem_give(&sems[3]), 0);
}

static void
test_quota_charges_heap_blocks(void **state)
{
    (void)state;
    core_boot();
    /* The object and its owner's header rounded up to 8, plus the heap's
     * two-word block header. */
    uint32_t charge = cap_obj_charge(sizeof(struct pica_sem));
    assert_int_equal(charge % 8, 0);
    assert_true(charge >= sizeof(struct pica_sem) + 2 * sizeof(void *));
    assert_int_equal(cap_obj_charge(sizeof(struct pica_sem) + 8), charge + 8);
    assert_int_equal(cap_obj_charge(SIZE_MAX), 0);
    proc_setup(3 * charge);
    int a = owned_sem(PICA_RIGHTS_ALL);
    int b = owned_sem(PICA_RIGHTS_ALL);
    int c = owned_sem(PICA_RIGHTS_ALL);
    assert_int_equal(proc.quota_used, 3 * charge);
    assert_null(cap_obj_alloc(&proc, PICA_CAP_SEM, sizeof(struct pica_sem)));
    assert_int_equal(proc.quota_used, 3 * charge);
    assert_int_equal(cap_delete(&proc, (uint32_t)b), 0);
    assert_int_equal(proc.quota_used, 2 * charge);
    /* The heap itself running out charges nothing. */
    fake_heap_fail(true);
    assert_null(cap_obj_alloc(&proc, PICA_CAP_SEM, sizeof(struct pica_sem)));
    fake_heap_fail(false);
    assert_int_equal(proc.quota_used, 2 * charge);
    /* Only the kinds of object a process can create. */
    assert_null(cap_obj_alloc(&proc, PICA_CAP_THREAD, 8));
    assert_null(cap_obj_alloc(&proc, PICA_CAP_CLOCK, 8));
    void *never_inserted = cap_obj_alloc(&proc, PICA_CAP_EVENT, sizeof(struct pica_event));
    assert_non_null(never_inserted);
    cap_obj_free(never_inserted);
    assert_int_equal(proc.quota_used, 2 * charge);
    (void)a;
    (void)c;
    cap_release_all(&proc);
    assert_int_equal(proc.quota_used, 0);
    assert_int_equal(fake_heap_live(), 0);
}

/* Memory an object holds beside its block (a loaded eBPF program's) is
 * charged to it, within the quota, and returned with it. */
static void
test_extra_charge_goes_with_the_object(void **state)
{
    (void)state;
    core_boot();
    uint32_t charge = cap_obj_charge(8);
    proc_setup(charge + 500);
    void *obj = cap_obj_alloc(&proc, PICA_CAP_BPF_PROG, 8);
    assert_non_null(obj);
    assert_int_equal(cap_obj_charge_add(obj, 400), 0);
    assert_int_equal(proc.quota_used, charge + 400);
    assert_int_equal(cap_obj_charge_add(obj, 101), -ENOMEM);
    assert_int_equal(cap_obj_charge_add(obj, 100), 0);
    assert_int_equal(cap_obj_charge_add(obj, -300), 0);
    assert_int_equal(proc.quota_used, charge + 200);
    /* Never more back than was charged. */
    assert_int_equal(cap_obj_charge_add(obj, -(int32_t)(charge + 201)), -ENOMEM);
    assert_int_equal(proc.quota_used, charge + 200);
    int slot = cap_insert(&proc, PICA_CAP_BPF_PROG, obj, PICA_RIGHTS_ALL, true);
    assert_true(slot >= 0);
    assert_int_equal(cap_delete(&proc, (uint32_t)slot), 0);
    assert_int_equal(proc.quota_used, 0);
    assert_int_equal(fake_heap_live(), 0);
}

static void
test_held_object_outlives_its_slot(void **state)
{
    (void)state;
    core_boot();
    proc_setup(4096);
    int slot = owned_sem(PICA_RIGHTS_ALL);
    struct cap_hold h = CAP_HOLD_NONE;
    assert_int_equal(cap_get(&proc, (uint32_t)slot, PICA_CAP_SEM, PICA_RIGHT_READ, &h), 0);
    assert_non_null(h.owned);
    assert_int_equal(cap_delete(&proc, (uint32_t)slot), 0);
    /* Destroyed, but in memory and charged until the hold ends. */
    assert_int_equal(fake_heap_live(), 1);
    assert_true(proc.quota_used > 0);
    assert_int_equal(pica_sem_give(h.obj), -EINVAL);
    assert_int_equal(cap_put(&h, -EINVAL), -EIDRM);
    assert_int_equal(fake_heap_live(), 0);
    assert_int_equal(proc.quota_used, 0);
    assert_int_equal(cap_put(&h, 5), 5); /* an ended hold: nothing */
    /* A hold that ends normally passes its result on. */
    slot = owned_sem(PICA_RIGHTS_ALL);
    assert_int_equal(cap_get(&proc, (uint32_t)slot, PICA_CAP_SEM, PICA_RIGHT_READ, &h), 0);
    assert_int_equal(cap_put(&h, -EINVAL), -EINVAL);
    assert_int_equal(cap_get(&proc, (uint32_t)slot, PICA_CAP_MUTEX, 0, &h), -EBADF);
    /* A hold one of its own threads took and, dead, never ended is freed
     * with its process (one of another process's threads is not:
     * test_cap_wake.c). */
    sched.current->proc = &proc;
    assert_int_equal(cap_get(&proc, (uint32_t)slot, PICA_CAP_SEM, 0, &h), 0);
    sched.current->proc = NULL;
    assert_int_equal(cap_delete(&proc, (uint32_t)slot), 0);
    assert_int_equal(fake_heap_live(), 1);
    cap_release_all(&proc);
    assert_int_equal(fake_heap_live(), 0);
    assert_int_equal(proc.quota_used, 0);
}

/* ---- destroyed with waiters -------------------------------------------- */

static int waiter_slot;

static void
sem_waiter(void *arg)
{
    (void)arg;
    struct cap_hold h = CAP_HOLD_NONE;
    assert_int_equal(cap_get(&proc, (uint32_t)waiter_slot, PICA_CAP_SEM, PICA_RIGHT_READ, &h), 0);
    int err = pica_sem_take(h.obj, PICA_FOREVER);
    core_trace("sem:%s", err_name(cap_put(&h, err)));
}

static void
queue_waiter(void *arg)
{
    (void)arg;
    void *q = NULL;
    char msg[4];
    assert_int_equal(cap_lookup(&proc, (uint32_t)waiter_slot, PICA_CAP_QUEUE, 0, &q), 0);
    core_trace("queue:%s", err_name(pica_queue_recv(q, msg, PICA_FOREVER)));
}

static void
event_waiter(void *arg)
{
    (void)arg;
    void *e = NULL;
    assert_int_equal(cap_lookup(&proc, (uint32_t)waiter_slot, PICA_CAP_EVENT, 0, &e), 0);
    core_trace("event:%s", err_name(pica_event_wait(e, 1, PICA_EV_ANY, PICA_TICKS(100))));
}

static void
deleter(void *arg)
{
    (void)arg;
    core_trace("delete:%s", err_name(cap_delete(&proc, (uint32_t)waiter_slot)));
}

static void
run_delete_with_waiters(enum pica_cap_type type, size_t size, void (*waiter)(void *))
{
    core_boot();
    proc_setup(4096);
    void *obj = cap_obj_alloc(&proc, type, size);
    if (type == PICA_CAP_SEM) {
        pica_sem_init(obj, 0, 1);
    } else if (type == PICA_CAP_QUEUE) {
        pica_queue_init(obj, (char *)obj + sizeof(struct pica_queue), 4, 2);
    } else {
        pica_event_init(obj);
    }
    waiter_slot = cap_insert(&proc, type, obj, PICA_RIGHTS_ALL, true);
    assert_true(waiter_slot >= 0);
    core_spawn("w1", waiter, NULL, 5);
    core_spawn("w2", waiter, NULL, 6);
    core_spawn("deleter", deleter, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(fake_heap_live(), 0);
    assert_int_equal(proc.quota_used, 0);
}

static void
test_delete_wakes_sem_waiters(void **state)
{
    (void)state;
    run_delete_with_waiters(PICA_CAP_SEM, sizeof(struct pica_sem), sem_waiter);
    /* Each waiter ran before the deleter finished: woken at priority 5 and 6. */
    assert_string_equal(core_traced(), "sem:EIDRM sem:EIDRM delete:0");
}

static void
test_delete_wakes_queue_waiters(void **state)
{
    (void)state;
    run_delete_with_waiters(PICA_CAP_QUEUE, sizeof(struct pica_queue) + 8, queue_waiter);
    assert_string_equal(core_traced(), "queue:EIDRM queue:EIDRM delete:0");
}

static void
test_delete_wakes_event_waiters(void **state)
{
    (void)state;
    run_delete_with_waiters(PICA_CAP_EVENT, sizeof(struct pica_event), event_waiter);
    assert_string_equal(core_traced(), "event:EIDRM event:EIDRM delete:0");
}

static struct pica_thread *owner_thread;

static void
mutex_waiter_entry(void *arg)
{
    (void)arg;
    void *m = NULL;
    assert_int_equal(cap_lookup(&proc, (uint32_t)waiter_slot, PICA_CAP_MUTEX, 0, &m), 0);
    core_trace("lock:%s", err_name(pica_mutex_lock(m, PICA_FOREVER)));
}

static void
owner_entry(void *arg)
{
    (void)arg;
    /* Held as a system call holds it: the delete cannot free it under us. */
    struct cap_hold h = CAP_HOLD_NONE;
    assert_int_equal(cap_get(&proc, (uint32_t)waiter_slot, PICA_CAP_MUTEX, 0, &h), 0);
    assert_int_equal(pica_mutex_lock(h.obj, PICA_FOREVER), 0);
    owner_thread = sched.current;
    core_spawn("waiter", mutex_waiter_entry, NULL, 3); /* runs now, blocks on m */
    core_trace("inherited:%u", pica_thread_prio(owner_thread));
    core_trace("delete:%s", err_name(cap_delete(&proc, (uint32_t)waiter_slot)));
    core_trace("prio:%u", pica_thread_prio(owner_thread));
    core_trace("unlock:%s", err_name(cap_put(&h, pica_mutex_unlock(h.obj))));
}

static void
test_delete_held_mutex_wakes_waiter_and_ends_inheritance(void **state)
{
    (void)state;
    core_boot();
    proc_setup(4096);
    void *m = cap_obj_alloc(&proc, PICA_CAP_MUTEX, sizeof(struct pica_mutex));
    pica_mutex_init(m);
    waiter_slot = cap_insert(&proc, PICA_CAP_MUTEX, m, PICA_RIGHTS_ALL, true);
    core_spawn("owner", owner_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* The woken waiter (priority 3) runs within the delete; the owner has
     * its own priority back and no longer owns a destroyed mutex. */
    assert_string_equal(core_traced(),
                        "inherited:3 lock:EIDRM delete:0 prio:10 unlock:EIDRM");
    assert_true(pica_list_empty(&owner_thread->mutexes));
    assert_int_equal(fake_heap_live(), 0);
}

static const struct core_test tests[] = {
    CORE_TEST(test_lookup_checks_range_type_and_rights),
    CORE_TEST(test_insert_refuses_bad_entries_and_a_full_table),
    CORE_TEST(test_quota_charges_heap_blocks),
    CORE_TEST(test_extra_charge_goes_with_the_object),
    CORE_TEST(test_held_object_outlives_its_slot),
    CORE_TEST(test_delete_wakes_sem_waiters),
    CORE_TEST(test_delete_wakes_queue_waiters),
    CORE_TEST(test_delete_wakes_event_waiters),
    CORE_TEST(test_delete_held_mutex_wakes_waiter_and_ends_inheritance),
};

CORE_TEST_MAIN(tests)
