/* SPDX-License-Identifier: MIT */
/* Mutexes on the fake port: priority inheritance along a three-deep chain
 * (low holds m1; mid holds m2 and waits for m1; high waits for m2), and
 * what a timeout, a kill or a priority change in the chain does to every
 * owner in it, at the tick it happens. */
#include <errno.h>
#include <pica/mutex.h>
#include <pica/time.h>
#include <stdio.h>

#include "core_test.h"

#define LOW 20
#define MID 15
#define HIGH 5

static struct pica_mutex m1, m2;
static struct pica_thread *low, *mid, *high;
static pica_timeout_t mid_timeout = PICA_FOREVER, high_timeout = PICA_FOREVER;

/* Work until tick @tick (the clock moves only while someone works). */
static void
work_until(pica_tick_t tick)
{
    while (core_tick() < tick) {
        fake_advance(CORE_CPT);
    }
}

/* A thread's effective priority, "-" once dead (it means nothing then). */
static const char *
prio_of(const struct pica_thread *t, char *buf)
{
    if (t->state == PICA_THREAD_DEAD) {
        return "-";
    }
    sprintf(buf, "%d", pica_thread_prio(t));
    return buf;
}

static void
trace_prios(const char *when)
{
    char a[8], b[8], c[8];
    core_trace("%s:%s/%s/%s", when, prio_of(low, a), prio_of(mid, b), prio_of(high, c));
}

/* Takes m1 at tick 0 and holds it, working, until tick 30. */
static void
low_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_mutex_lock(&m1, PICA_FOREVER), 0);
    work_until(30);
    core_trace("low:unlock@%llu", (unsigned long long)core_tick());
    assert_int_equal(pica_mutex_unlock(&m1), 0);
    assert_int_equal(pica_thread_prio(low), LOW);
    core_trace("low:done");
}

/* At tick 1: takes m2, then waits for m1. */
static void
mid_entry(void *arg)
{
    (void)arg;
    pica_sleep(1);
    assert_int_equal(pica_mutex_lock(&m2, PICA_FOREVER), 0);
    int err = pica_mutex_lock(&m1, mid_timeout);
    core_trace("mid:m1=%s@%llu", core_err(err), (unsigned long long)core_tick());
    if (err == 0) {
        assert_int_equal(pica_mutex_unlock(&m1), 0);
    }
    assert_int_equal(pica_mutex_unlock(&m2), 0);
    core_trace("mid:done");
}

/* At tick 2: waits for m2. */
static void
high_entry(void *arg)
{
    (void)arg;
    pica_sleep(2);
    int err = pica_mutex_lock(&m2, high_timeout);
    core_trace("high:m2=%s@%llu", core_err(err), (unsigned long long)core_tick());
    if (err == 0 || err == -EOWNERDEAD) {
        assert_ptr_equal(pica_mutex_owner(&m2), high);
        assert_int_equal(pica_mutex_unlock(&m2), 0);
    }
    core_trace("high:done");
}

/* The most urgent thread: notes every priority at the ticks given. */
static void
watcher_entry(void *arg)
{
    const pica_tick_t *ticks = arg;
    for (; *ticks != 0; ticks++) {
        pica_tick_t next = *ticks - 1;
        pica_sleep_until(&next, 1);
        char when[16];
        snprintf(when, sizeof(when), "t%llu", (unsigned long long)*ticks);
        trace_prios(when);
        core_check_sched();
    }
}

static void
start_chain(const pica_tick_t *watch_ticks)
{
    core_boot();
    pica_mutex_init(&m1);
    pica_mutex_init(&m2);
    low = core_spawn("low", low_entry, NULL, LOW);
    mid = core_spawn("mid", mid_entry, NULL, MID);
    high = core_spawn("high", high_entry, NULL, HIGH);
    core_spawn("watcher", watcher_entry, (void *)watch_ticks, 0);
}

static void
test_inheritance_passes_down_a_three_deep_chain(void **state)
{
    (void)state;
    static const pica_tick_t watch[] = {1, 2, 3, 0};
    start_chain(watch);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* At tick 1 mid has just slept; by tick 2 it waits for m1 (low at
     * 15); from tick 2 high waits for m2 (both at 5). Low's unlock hands
     * m1 to mid, which runs at once at 5, and so on up the chain. */
    assert_string_equal(core_traced(), "t1:20/15/5 t2:15/15/5 t3:5/5/5 low:unlock@30 mid:m1=0@30 "
                                       "high:m2=0@30 high:done mid:done low:done");
}

static void
test_timeout_in_the_middle_of_a_chain_cuts_it_there(void **state)
{
    (void)state;
    static const pica_tick_t watch[] = {3, 11, 12, 0};
    mid_timeout = PICA_TICKS(10); /* waits from tick 1, gives up at 11 */
    start_chain(watch);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* At 11 mid leaves m1's queue: low drops to its own 20 at once, mid
     * keeps high's 5 for m2 until it hands m2 over. */
    assert_string_equal(core_traced(), "t3:5/5/5 t11:20/5/5 mid:m1=ETIMEDOUT@11 high:m2=0@11 "
                                       "high:done mid:done t12:20/-/- low:unlock@30 low:done");
}

static void
test_timeout_at_the_top_of_a_chain_lowers_every_owner(void **state)
{
    (void)state;
    static const pica_tick_t watch[] = {3, 12, 0};
    high_timeout = PICA_TICKS(10); /* waits from tick 2, gives up at 12 */
    start_chain(watch);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* At 12 high leaves m2's queue: mid and low fall back to mid's 15. */
    assert_string_equal(core_traced(), "t3:5/5/5 t12:15/15/5 high:m2=ETIMEDOUT@12 high:done "
                                       "low:unlock@30 mid:m1=0@30 mid:done low:done");
}

static pica_tick_t kill_tick;
static struct pica_thread **kill_target;

static void
killer_entry(void *arg)
{
    (void)arg;
    pica_sleep((pica_timeout_t)kill_tick);
    core_trace("kill");
    assert_int_equal(pica_thread_kill(*kill_target), 0);
    trace_prios("after");
    core_check_sched();
}

static void
test_owner_killed_in_the_middle_of_a_chain(void **state)
{
    (void)state;
    static const pica_tick_t watch[] = {3, 0};
    start_chain(watch);
    kill_tick = 5;
    kill_target = &mid;
    core_spawn("killer", killer_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* Mid dies waiting for m1 and holding m2: low stops inheriting, high
     * gets m2 with -EOWNERDEAD. */
    assert_string_equal(core_traced(), "t3:5/5/5 kill after:20/-/5 high:m2=EOWNERDEAD@5 high:done "
                                       "low:unlock@30 low:done");
    assert_null(pica_mutex_owner(&m2));
}

static void
test_owner_killed_at_the_bottom_of_a_chain(void **state)
{
    (void)state;
    static const pica_tick_t watch[] = {3, 0};
    start_chain(watch);
    kill_tick = 5;
    kill_target = &low;
    core_spawn("killer", killer_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* m1 passes to mid with -EOWNERDEAD; mid still inherits high's 5. */
    assert_string_equal(core_traced(), "t3:5/5/5 kill after:-/5/5 mid:m1=EOWNERDEAD@5 high:m2=0@5 "
                                       "high:done mid:done");
    assert_null(pica_mutex_owner(&m1));
}

static void
prio_changer_entry(void *arg)
{
    (void)arg;
    pica_sleep(3);
    assert_int_equal(pica_thread_set_prio(high, 3), 0);
    trace_prios("up");
    assert_int_equal(pica_thread_set_prio(high, 17), 0);
    trace_prios("down");
    core_check_sched();
}

static void
test_waiter_priority_change_travels_down_the_chain(void **state)
{
    (void)state;
    static const pica_tick_t watch[] = {3, 0};
    start_chain(watch);
    core_spawn("changer", prio_changer_entry, NULL, 1);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* Down to 17: mid is back at its own 15 and low inherits that. */
    assert_string_equal(core_traced(), "t3:5/5/5 up:3/3/3 down:15/15/17 low:unlock@30 "
                                       "mid:m1=0@30 mid:done high:m2=0@30 high:done low:done");
}

static void
cycle_a_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_mutex_lock(&m1, PICA_FOREVER), 0);
    pica_sleep(2); /* b takes m2 and waits for m1 */
    assert_int_equal(pica_mutex_lock(&m2, PICA_FOREVER), -EDEADLK);
    assert_int_equal(pica_mutex_lock(&m1, PICA_NO_WAIT), 0); /* recursive */
    assert_int_equal(pica_mutex_unlock(&m1), 0);
    assert_ptr_equal(pica_mutex_owner(&m1), pica_thread_self());
    assert_int_equal(pica_mutex_unlock(&m1), 0);
    core_trace("a:done");
}

static void
cycle_b_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_mutex_lock(&m2, PICA_FOREVER), 0);
    pica_sleep(1);
    assert_int_equal(pica_mutex_lock(&m1, PICA_FOREVER), 0);
    assert_int_equal(pica_mutex_unlock(&m1), 0);
    assert_int_equal(pica_mutex_unlock(&m2), 0);
    assert_int_equal(pica_mutex_unlock(&m2), -EPERM);
    core_trace("b:done");
}

static void
test_lock_refuses_to_close_a_cycle(void **state)
{
    (void)state;
    core_boot();
    pica_mutex_init(&m1);
    pica_mutex_init(&m2);
    core_spawn("a", cycle_a_entry, NULL, 10);
    core_spawn("b", cycle_b_entry, NULL, 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "a:done b:done");
}

static const struct core_test tests[] = {
    CORE_TEST(test_inheritance_passes_down_a_three_deep_chain),
    CORE_TEST(test_timeout_in_the_middle_of_a_chain_cuts_it_there),
    CORE_TEST(test_timeout_at_the_top_of_a_chain_lowers_every_owner),
    CORE_TEST(test_owner_killed_in_the_middle_of_a_chain),
    CORE_TEST(test_owner_killed_at_the_bottom_of_a_chain),
    CORE_TEST(test_waiter_priority_change_travels_down_the_chain),
    CORE_TEST(test_lock_refuses_to_close_a_cycle),
};

CORE_TEST_MAIN(tests)
