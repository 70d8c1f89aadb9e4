/* SPDX-License-Identifier: MIT */
/* The scheduler on the fake port: preemption at the call or handler exit
 * that makes a more urgent thread ready, time slices and yields among
 * equals, and idle only when nothing else can run. */
#include <errno.h>
#include <pica/sem.h>
#include <pica/time.h>

#include "core_test.h"
#include "sched.h"

static struct pica_sem sem;
static struct pica_thread *high_thread;

static void
high_entry(void *arg)
{
    (void)arg;
    core_trace("high:run");
}

static void
low_resumes_entry(void *arg)
{
    (void)arg;
    core_trace("low:resume");
    assert_int_equal(pica_thread_resume(high_thread), 0);
    core_trace("low:back");
}

static void
test_more_urgent_thread_runs_before_resume_returns(void **state)
{
    (void)state;
    core_boot();
    assert_int_equal(
        core_spawn_flags(&high_thread, "high", high_entry, NULL, 10, PICA_START_SUSPENDED), 0);
    core_spawn("low", low_resumes_entry, NULL, 20);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "low:resume high:run low:back");
}

static void
give_isr(void *arg)
{
    (void)arg;
    core_trace("isr:give");
    assert_int_equal(pica_sem_give(&sem), 0);
    core_trace("isr:end");
}

static void
waiter_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_sem_take(&sem, PICA_FOREVER), 0);
    core_trace("high:woke@%llu", (unsigned long long)fake_now());
}

static void
busy_entry(void *arg)
{
    (void)arg;
    core_trace("low:busy");
    fake_advance(5000);
    core_trace("low:done@%llu", (unsigned long long)fake_now());
}

static void
test_isr_wake_switches_at_handler_exit(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    core_spawn("high", waiter_entry, NULL, 10);
    core_spawn("low", busy_entry, NULL, 20);
    fake_irq_every(2500, 0, give_isr, NULL);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "low:busy isr:give isr:end high:woke@2500 low:done@5000");
}

static const char *volatile last_runner;

/* Work one tick at a time, noting each time this thread takes over. */
static void
slicer_entry(void *arg)
{
    const char *name = arg;
    while (core_tick() < 40) {
        if (last_runner != name) {
            last_runner = name;
            core_trace("%s@%llu", name, (unsigned long long)core_tick());
        }
        fake_advance(CORE_CPT);
        core_check_sched();
    }
}

static void
test_equal_priorities_take_turns_by_time_slice(void **state)
{
    (void)state;
    core_boot();
    core_spawn("a", slicer_entry, "a", 20);
    core_spawn("b", slicer_entry, "b", 20);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* PICA_CFG_TIME_SLICE_TICKS each. */
    assert_int_equal(PICA_CFG_TIME_SLICE_TICKS, 10);
    assert_string_equal(core_traced(), "a@0 b@10 a@20 b@30");
}

static void
yielder_entry(void *arg)
{
    for (int i = 0; i < 2; i++) {
        core_trace("%s", (const char *)arg);
        pica_yield();
    }
}

static void
test_yield_lets_equals_run_in_order(void **state)
{
    (void)state;
    core_boot();
    core_spawn("a", yielder_entry, "a", 20);
    core_spawn("b", yielder_entry, "b", 20);
    core_spawn("c", yielder_entry, "c", 20);
    core_spawn("other", yielder_entry, "x", 21);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "a b c a b c x x");
}

static void
blocker_entry(void *arg)
{
    (void)arg;
    core_trace("blocks");
    pica_sem_take(&sem, PICA_FOREVER);
    core_trace("woken");
}

/* With every thread blocked and no deadline, idle runs and the timer is
 * left off: fake_run() returns at once, time stood still. A give between
 * runs wakes the thread on the next run. */
static void
test_idle_runs_only_when_nothing_else_can(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    core_spawn("blocker", blocker_entry, NULL, 20);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_ptr_equal(pica_thread_self(), &sched_idle_thread);
    assert_int_equal(fake_timer_next(), UINT64_MAX);
    assert_int_equal(fake_now(), 0);
    assert_string_equal(core_traced(), "blocks");
    core_check_sched();
    assert_int_equal(pica_sem_give(&sem), 0);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "blocks woken");
}

static const struct core_test tests[] = {
    CORE_TEST(test_more_urgent_thread_runs_before_resume_returns),
    CORE_TEST(test_isr_wake_switches_at_handler_exit),
    CORE_TEST(test_equal_priorities_take_turns_by_time_slice),
    CORE_TEST(test_yield_lets_equals_run_in_order),
    CORE_TEST(test_idle_runs_only_when_nothing_else_can),
};

CORE_TEST_MAIN(tests)
