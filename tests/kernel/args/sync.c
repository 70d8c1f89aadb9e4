/* SPDX-License-Identifier: MIT */
/* Argument rows of semaphores, mutexes and event flags (include/pica/
 * sem.h, mutex.h, event.h). Each fixture could serve the call at once: a
 * semaphore with a unit, a free mutex or one the caller holds, events with
 * the waited bits set; so a bad argument is only refused if it is checked
 * before the work. */
#include <pica/errno.h>
#include <pica/event.h>
#include <pica/mutex.h>
#include <pica/sem.h>
#include <pica/test.h>

#include "args.h"

/* ---- semaphores ---- */

enum { SEM_FULL = ARG_VARIANT };

static struct pica_sem sem, sem_zeroed;

static void
sem_setup(const struct arg_row *r)
{
    /* One unit of two, so take and give could both succeed. */
    pica_assert_eq(pica_sem_init(&sem, r->obj == SEM_FULL ? 2 : 1, 2), 0);
    args_snap("the semaphore", &sem, sizeof(sem));
    args_snap("the never-initialised semaphore", &sem_zeroed, sizeof(sem_zeroed));
}

static int
sem_init_call(const struct arg_row *r)
{
    return pica_sem_init(ARG_OBJ(r, &sem, &sem_zeroed), (uint32_t)r->a, (uint32_t)r->b);
}

static int
sem_take_call(const struct arg_row *r)
{
    return pica_sem_take(ARG_OBJ(r, &sem, &sem_zeroed), r->t);
}

static int
sem_give_call(const struct arg_row *r)
{
    return pica_sem_give(ARG_OBJ(r, &sem, &sem_zeroed));
}

static int
sem_count_call(const struct arg_row *r)
{
    return (int)pica_sem_count(ARG_OBJ(r, &sem, &sem_zeroed));
}

static const struct arg_row sem_rows[] = {
    {sem_init_call, "init(NULL, 0, 1)", -EINVAL, .obj = ARG_NULL, .b = 1},
    {sem_init_call, "init(s, 0, 0): max 0", -EINVAL, .b = 0},
    {sem_init_call, "init(s, 3, 2): initial above max", -EINVAL, .a = 3, .b = 2},
    {sem_init_call, "init(s, 0, INT32_MAX + 1): max too large", -EINVAL, .b = 0x80000000u},
    {sem_init_call, "init(s, 0, UINT32_MAX): max too large", -EINVAL, .b = UINT32_MAX},
    {sem_take_call, "take(NULL, NO_WAIT)", -EINVAL, .obj = ARG_NULL},
    {sem_take_call, "take(never initialised, NO_WAIT)", -EINVAL, .obj = ARG_ZEROED},
    {sem_take_call, "take(never initialised, 5)", -EINVAL, .obj = ARG_ZEROED, .t = 5},
    {sem_take_call, "take(s with a unit, -2)", -EINVAL, .t = -2},
    {sem_take_call, "take(s with a unit, INT32_MIN)", -EINVAL, .t = INT32_MIN},
    {sem_take_call, "take(s with a unit, FOREVER)", -EINVAL, .t = PICA_FOREVER, .isr = true},
    {sem_take_call, "take(s with a unit, 5)", -EINVAL, .t = 5, .isr = true},
    {sem_take_call, "take(s with a unit, -2)", -EINVAL, .t = -2, .isr = true},
    {sem_give_call, "give(NULL)", -EINVAL, .obj = ARG_NULL},
    {sem_give_call, "give(never initialised)", -EINVAL, .obj = ARG_ZEROED},
    {sem_give_call, "give(never initialised)", -EINVAL, .obj = ARG_ZEROED, .isr = true},
    {sem_give_call, "give(s at its max)", -EOVERFLOW, .obj = SEM_FULL},
    {sem_count_call, "count(NULL) is 0", 0, .obj = ARG_NULL},
};

const struct arg_group args_sem = ARGS_GROUP("sem", sem_setup, NULL, NULL, sem_rows);

/* ---- mutexes ---- */

/* Free (ARG_READY); held once by the caller; held by a worker; held by a
 * worker that waits for a second mutex the caller holds, so that waiting
 * for the first would close a cycle. */
enum { MUTEX_MINE = ARG_VARIANT, MUTEX_OTHERS, MUTEX_CYCLE };

static struct pica_mutex mutex, mutex_zeroed, mutex2;
static struct pica_sem release;
static int caller_prio;

static void
hold_until_released(void *arg)
{
    (void)arg;
    pica_assert_eq(pica_mutex_lock(&mutex, PICA_FOREVER), 0);
    pica_assert_eq(pica_sem_take(&release, PICA_FOREVER), 0);
    pica_assert_eq(pica_mutex_unlock(&mutex), 0);
}

static void
hold_and_wait_for_mutex2(void *arg)
{
    (void)arg;
    pica_assert_eq(pica_mutex_lock(&mutex, PICA_FOREVER), 0);
    pica_assert_eq(pica_mutex_lock(&mutex2, PICA_FOREVER), 0);
    pica_assert_eq(pica_mutex_unlock(&mutex2), 0);
    pica_assert_eq(pica_mutex_unlock(&mutex), 0);
}

static void
mutex_setup(const struct arg_row *r)
{
    pica_assert_eq(pica_mutex_init(&mutex), 0);
    pica_assert_eq(pica_mutex_init(&mutex2), 0);
    pica_assert_eq(pica_sem_init(&release, 0, 1), 0);
    if (r->obj == MUTEX_MINE) {
        pica_assert_eq(pica_mutex_lock(&mutex, PICA_NO_WAIT), 0);
    } else if (r->obj == MUTEX_OTHERS) {
        pica_assert_eq(pica_test_spawn(0, hold_until_released, NULL, ARGS_WORKER_PRIO), 0);
    } else if (r->obj == MUTEX_CYCLE) {
        pica_assert_eq(pica_mutex_lock(&mutex2, PICA_NO_WAIT), 0);
        pica_assert_eq(pica_test_spawn(0, hold_and_wait_for_mutex2, NULL, ARGS_WORKER_PRIO), 0);
    }
    if (r->obj >= MUTEX_OTHERS) {
        pica_assert(pica_mutex_owner(&mutex) == pica_test_worker(0));
    }
    caller_prio = pica_thread_prio(pica_thread_self());
    args_snap("the mutex", &mutex, sizeof(mutex));
    args_snap("the second mutex", &mutex2, sizeof(mutex2));
    args_snap("the never-initialised mutex", &mutex_zeroed, sizeof(mutex_zeroed));
}

static const char *
mutex_check(const struct arg_row *r)
{
    int prio = pica_thread_prio(pica_thread_self());
    return prio != caller_prio ? args_fmt("the caller's priority is %d, was %d", prio, caller_prio)
                               : NULL;
}

static void
mutex_teardown(const struct arg_row *r)
{
    /* Also undoes a lock that wrongly succeeded. */
    while (pica_mutex_owner(&mutex) == pica_thread_self()) {
        pica_assert_eq(pica_mutex_unlock(&mutex), 0);
    }
    if (r->obj == MUTEX_OTHERS) {
        pica_assert_eq(pica_sem_give(&release), 0);
    } else if (r->obj == MUTEX_CYCLE) {
        pica_assert_eq(pica_mutex_unlock(&mutex2), 0);
    }
    if (r->obj >= MUTEX_OTHERS) {
        pica_test_join_workers(1);
    }
}

static int
mutex_init_call(const struct arg_row *r)
{
    return pica_mutex_init(ARG_OBJ(r, &mutex, &mutex_zeroed));
}

static int
mutex_lock_call(const struct arg_row *r)
{
    return pica_mutex_lock(ARG_OBJ(r, &mutex, &mutex_zeroed), r->t);
}

static int
mutex_unlock_call(const struct arg_row *r)
{
    return pica_mutex_unlock(ARG_OBJ(r, &mutex, &mutex_zeroed));
}

static int
mutex_owner_call(const struct arg_row *r)
{
    return pica_mutex_owner(ARG_OBJ(r, &mutex, &mutex_zeroed)) != NULL;
}

static const struct arg_row mutex_rows[] = {
    {mutex_init_call, "init(NULL)", -EINVAL, .obj = ARG_NULL},
    {mutex_lock_call, "lock(NULL, NO_WAIT)", -EINVAL, .obj = ARG_NULL},
    {mutex_lock_call, "lock(never initialised, NO_WAIT)", -EINVAL, .obj = ARG_ZEROED},
    {mutex_lock_call, "lock(never initialised, FOREVER)", -EINVAL, .obj = ARG_ZEROED,
     .t = PICA_FOREVER},
    {mutex_lock_call, "lock(free, -2)", -EINVAL, .t = -2},
    {mutex_lock_call, "lock(free, INT32_MIN)", -EINVAL, .t = INT32_MIN},
    {mutex_lock_call, "lock(held by the caller, -2)", -EINVAL, .obj = MUTEX_MINE, .t = -2},
    {mutex_lock_call, "lock(held by another, -2)", -EINVAL, .obj = MUTEX_OTHERS, .t = -2},
    {mutex_lock_call, "lock(held by another, -2) where waiting would deadlock", -EINVAL,
     .obj = MUTEX_CYCLE, .t = -2},
    {mutex_lock_call, "lock(free, NO_WAIT)", -EINVAL, .isr = true},
    {mutex_lock_call, "lock(free, FOREVER)", -EINVAL, .t = PICA_FOREVER, .isr = true},
    {mutex_unlock_call, "unlock(NULL)", -EINVAL, .obj = ARG_NULL},
    {mutex_unlock_call, "unlock(never initialised)", -EINVAL, .obj = ARG_ZEROED},
    {mutex_unlock_call, "unlock(free)", -EPERM, .obj = ARG_READY},
    {mutex_unlock_call, "unlock(held by another)", -EPERM, .obj = MUTEX_OTHERS},
    {mutex_unlock_call, "unlock(held by the interrupted thread)", -EINVAL, .obj = MUTEX_MINE,
     .isr = true},
    {mutex_owner_call, "owner(NULL) is NULL", 0, .obj = ARG_NULL},
};

const struct arg_group args_mutex =
    ARGS_GROUP("mutex", mutex_setup, mutex_check, mutex_teardown, mutex_rows);

/* ---- event flags ---- */

static struct pica_event event, event_zeroed;

static void
event_setup(const struct arg_row *r)
{
    /* Bits 0 and 2 set: a wait for bit 0 could be satisfied at once. */
    pica_assert_eq(pica_event_init(&event), 0);
    pica_assert_eq(pica_event_set(&event, 0x5u), 0);
    args_snap("the event", &event, sizeof(event));
    args_snap("the never-initialised event", &event_zeroed, sizeof(event_zeroed));
}

static int
event_init_call(const struct arg_row *r)
{
    return pica_event_init(ARG_OBJ(r, &event, &event_zeroed));
}

static int
event_set_call(const struct arg_row *r)
{
    return pica_event_set(ARG_OBJ(r, &event, &event_zeroed), (uint32_t)r->a);
}

static int
event_clear_call(const struct arg_row *r)
{
    return pica_event_clear(ARG_OBJ(r, &event, &event_zeroed), (uint32_t)r->a);
}

static int
event_wait_call(const struct arg_row *r)
{
    return pica_event_wait(ARG_OBJ(r, &event, &event_zeroed), (uint32_t)r->a, (unsigned)r->b,
                           r->t);
}

static int
event_get_call(const struct arg_row *r)
{
    return (int)pica_event_get(ARG_OBJ(r, &event, &event_zeroed));
}

static const struct arg_row event_rows[] = {
    {event_init_call, "init(NULL)", -EINVAL, .obj = ARG_NULL},
    {event_set_call, "set(NULL, 1)", -EINVAL, .obj = ARG_NULL, .a = 1},
    {event_set_call, "set(never initialised, 1)", -EINVAL, .obj = ARG_ZEROED, .a = 1},
    {event_set_call, "set(e, 0)", -EINVAL, .a = 0},
    {event_set_call, "set(e, bit 31)", -EINVAL, .a = 0x80000000u},
    {event_set_call, "set(e, bits 31 and 1)", -EINVAL, .a = 0x80000002u},
    {event_set_call, "set(e, bits 31 and 1)", -EINVAL, .a = 0x80000002u, .isr = true},
    {event_clear_call, "clear(NULL, 1)", -EINVAL, .obj = ARG_NULL, .a = 1},
    {event_clear_call, "clear(never initialised, 1)", -EINVAL, .obj = ARG_ZEROED, .a = 1},
    {event_clear_call, "clear(e, bits 31 and 0)", -EINVAL, .a = 0x80000001u},
    {event_wait_call, "wait(NULL, 1, ANY, NO_WAIT)", -EINVAL, .obj = ARG_NULL, .a = 1},
    {event_wait_call, "wait(never initialised, 1, ANY, NO_WAIT)", -EINVAL, .obj = ARG_ZEROED,
     .a = 1},
    {event_wait_call, "wait(e, 0, ANY, NO_WAIT)", -EINVAL, .a = 0},
    {event_wait_call, "wait(e, bits 31 and 0, CLEAR, NO_WAIT)", -EINVAL, .a = 0x80000001u,
     .b = PICA_EV_CLEAR},
    {event_wait_call, "wait(e, 1, option 0x4, NO_WAIT)", -EINVAL, .a = 1, .b = 0x4},
    {event_wait_call, "wait(e, 1, CLEAR | 0x80, NO_WAIT)", -EINVAL, .a = 1,
     .b = PICA_EV_CLEAR | 0x80u},
    {event_wait_call, "wait(e with bit 0, 1, CLEAR, -2)", -EINVAL, .a = 1, .b = PICA_EV_CLEAR,
     .t = -2},
    {event_wait_call, "wait(e with bit 0, 1, CLEAR, INT32_MIN)", -EINVAL, .a = 1,
     .b = PICA_EV_CLEAR, .t = INT32_MIN},
    {event_wait_call, "wait(e with bit 0, 1, CLEAR, FOREVER)", -EINVAL, .a = 1,
     .b = PICA_EV_CLEAR, .t = PICA_FOREVER, .isr = true},
    {event_wait_call, "wait(e with bit 0, 1, CLEAR, 5)", -EINVAL, .a = 1, .b = PICA_EV_CLEAR,
     .t = 5, .isr = true},
    {event_get_call, "get(NULL) is 0", 0, .obj = ARG_NULL},
};

const struct arg_group args_event = ARGS_GROUP("event", event_setup, NULL, NULL, event_rows);
