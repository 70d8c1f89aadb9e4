/* SPDX-License-Identifier: MIT */
/* Threads and the scheduler, as threads observe them: preemption order,
 * yield and round-robin among equals, sleeping in ticks, suspend/resume,
 * kill/join, and argument checks. Timing is judged in kernel ticks only. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/stats.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <string.h>

#define STACK 1024

static struct pica_thread th[4];
PICA_THREAD_STACK_DEFINE(stack0, STACK);
PICA_THREAD_STACK_DEFINE(stack1, STACK);
PICA_THREAD_STACK_DEFINE(stack2, STACK);
PICA_THREAD_STACK_DEFINE(stack3, STACK);
static void *const stacks[4] = {stack0, stack1, stack2, stack3};

static int
spawn(int i, const char *name, void (*fn)(void *), void *arg, unsigned prio, unsigned flags)
{
    return pica_thread_create(&th[i], name, fn, arg, stacks[i], STACK, prio, flags);
}

static void
join_all(int n)
{
    for (int i = 0; i < n; i++) {
        pica_assert_eq(pica_thread_join(&th[i], PICA_MS(5000)), 0);
    }
}

static void
log_letter(void *arg)
{
    pica_test_trace((char)(uintptr_t)arg);
}

PICA_TEST(higher_priority_runs_first_and_preempts)
{
    pica_test_trace_reset();
    /* Above the workers while creating them, so none runs yet. */
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 5), 0);
    pica_assert_eq(spawn(0, "c", log_letter, (void *)'c', 14, 0), 0);
    pica_assert_eq(spawn(1, "a", log_letter, (void *)'a', 10, 0), 0);
    pica_assert_eq(spawn(2, "b", log_letter, (void *)'b', 12, 0), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    /* Dropping below them lets them run, most urgent first. */
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 20), 0);
    pica_assert(strcmp(pica_test_trace_get(), "abc") == 0);
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
    join_all(3);
    /* Creating a more urgent thread preempts the creator at once. */
    pica_test_trace_reset();
    pica_assert_eq(spawn(0, "x", log_letter, (void *)'x', 3, 0), 0);
    pica_test_trace('m');
    pica_assert(strcmp(pica_test_trace_get(), "xm") == 0);
    join_all(1);
}

static void
yield_three_times(void *arg)
{
    for (int i = 0; i < 3; i++) {
        pica_test_trace((char)(uintptr_t)arg);
        pica_yield();
    }
}

/* Boot code runs before the scheduler starts (constructors here): a yield
 * there has nobody to yield to and must simply return. */
static bool yield_before_start_returned;

__attribute__((constructor)) static void
yield_at_boot(void)
{
    pica_yield();
    yield_before_start_returned = true;
}

PICA_TEST(yield_before_the_scheduler_starts_returns)
{
    pica_assert(yield_before_start_returned);
}

PICA_TEST(yield_alternates_between_equals_in_fifo_order)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 5), 0);
    pica_assert_eq(spawn(0, "a", yield_three_times, (void *)'a', 10, 0), 0);
    pica_assert_eq(spawn(1, "b", yield_three_times, (void *)'b', 10, 0), 0);
    pica_assert_eq(spawn(2, "c", yield_three_times, (void *)'c', 10, 0), 0);
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
    join_all(3);
    pica_assert(strcmp(pica_test_trace_get(), "abcabcabc") == 0);
}

static volatile uint32_t spin_count[3];
static volatile int spin_stop;

static void
spin(void *arg)
{
    volatile uint32_t *c = &spin_count[(uintptr_t)arg];
    while (!spin_stop) {
        (*c)++;
    }
}

PICA_TEST(round_robin_shares_cpu_fairly_among_equals)
{
    spin_stop = 0;
    for (int i = 0; i < 3; i++) {
        spin_count[i] = 0;
        pica_assert_eq(spawn(i, "spin", spin, (void *)(uintptr_t)i, 20, 0), 0);
    }
    /* 30 slices of 10 ticks: about 10 each. */
    pica_assert_eq(pica_sleep(PICA_TICKS(300)), 0);
    spin_stop = 1;
    join_all(3);
    uint32_t lo = spin_count[0], hi = spin_count[0];
    for (int i = 1; i < 3; i++) {
        lo = spin_count[i] < lo ? spin_count[i] : lo;
        hi = spin_count[i] > hi ? spin_count[i] : hi;
    }
    pica_assert_gt(lo, 0);
    /* Within two slices of each other out of about ten each. */
    pica_assert_lt(hi - lo, hi / 4);
}

PICA_TEST(sleep_ends_on_the_requested_tick)
{
    for (int n = 1; n <= 20; n += 3) {
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_sleep(PICA_TICKS(n)), 0);
        pica_assert_eq(pica_tick_now() - t0, n);
    }
    /* PICA_MS rounds up and adds a tick: at least the time it names. */
    uint64_t us0 = pica_uptime_us();
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_sleep(PICA_MS(10)), 0);
    pica_assert_ge(pica_uptime_us() - us0, 10000);
    pica_assert_eq(pica_tick_now() - t0, 10 * PICA_CFG_TICK_HZ / 1000 + 1);
}

PICA_TEST(idle_time_is_tickless)
{
    /* Nothing else runs: while main sleeps the idle thread leaves one
     * interrupt armed for the deadline instead of a tick per period. */
    struct pica_sys_stats before, after;
    pica_assert_eq(pica_sys_stats(&before), 0);
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_sleep(PICA_TICKS(200)), 0);
    pica_assert_eq(pica_tick_now() - t0, 200);
    pica_assert_eq(pica_sys_stats(&after), 0);
    uint32_t taken = after.timer_interrupts - before.timer_interrupts;
    if (PICA_CFG_TICKLESS) {
        pica_assert_le(taken, 4);
    } else {
        pica_assert_ge(taken, 199);
    }
}

PICA_TEST(sleep_until_keeps_a_fixed_period)
{
    pica_tick_t next = pica_tick_now();
    pica_tick_t start = next;
    for (int i = 1; i <= 6; i++) {
        pica_assert_eq(pica_sleep_until(&next, 7), 0);
        pica_assert_eq(pica_tick_now(), start + 7u * (unsigned)i);
        /* Work that eats part of the period must not shift the next wake. */
        pica_sleep(PICA_TICKS(i % 3 + 1));
    }
    /* A deadline already past returns at once. */
    next = pica_tick_now() - 100;
    pica_tick_t before = pica_tick_now();
    pica_assert_eq(pica_sleep_until(&next, 10), 91); /* an overrun, reported */
    pica_assert_eq(pica_tick_now(), before);
}

static volatile uint32_t counter;

static void
count_forever(void *arg)
{
    (void)arg;
    for (;;) {
        counter++;
        pica_sleep(PICA_TICKS(1));
    }
}

PICA_TEST(suspended_thread_does_not_run_until_resumed)
{
    counter = 0;
    pica_assert_eq(spawn(0, "count", count_forever, NULL, 10, PICA_START_SUSPENDED), 0);
    pica_sleep(PICA_TICKS(5));
    pica_assert_eq(counter, 0);
    pica_assert_eq(pica_thread_resume(&th[0]), 0);
    pica_sleep(PICA_TICKS(5));
    pica_assert_gt(counter, 0);
    /* Suspending a sleeping thread takes effect when its sleep ends. */
    pica_assert_eq(pica_thread_suspend(&th[0]), 0);
    pica_sleep(PICA_TICKS(2));
    uint32_t frozen = counter;
    pica_sleep(PICA_TICKS(10));
    pica_assert_eq(counter, frozen);
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(&th[0], &info), 0);
    pica_assert_eq(info.state, PICA_THREAD_SUSPENDED);
    pica_assert_eq(pica_thread_resume(&th[0]), 0);
    pica_sleep(PICA_TICKS(5));
    pica_assert_gt(counter, frozen);
    pica_assert_eq(pica_thread_kill(&th[0]), 0);
}

PICA_TEST(kill_ends_a_thread_and_wakes_its_joiner)
{
    pica_assert_eq(spawn(0, "count", count_forever, NULL, 10, 0), 0);
    pica_assert_eq(pica_thread_join(&th[0], PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_thread_join(&th[0], PICA_TICKS(3)), -ETIMEDOUT);
    pica_assert_eq(pica_thread_kill(&th[0]), 0);
    pica_assert_eq(pica_thread_join(&th[0], PICA_NO_WAIT), 0);
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(&th[0], &info), 0);
    pica_assert_eq(info.state, PICA_THREAD_DEAD);
    pica_assert_eq(info.exit_code, -EINTR);
    pica_assert_eq(pica_thread_kill(&th[0]), -ESRCH);
    uint32_t after = counter;
    pica_sleep(PICA_TICKS(5));
    pica_assert_eq(counter, after);
}

static void
exit_with_seven(void *arg)
{
    (void)arg;
    pica_thread_exit(7);
}

static void
just_return(void *arg)
{
    (void)arg;
}

static void
join_other(void *arg)
{
    /* Blocks until th[0] ends, then records it. */
    pica_assert_eq(pica_thread_join((struct pica_thread *)arg, PICA_FOREVER), 0);
    pica_test_trace('j');
}

PICA_TEST(returning_or_exiting_ends_the_thread_with_its_code)
{
    pica_assert_eq(spawn(0, "ret", just_return, NULL, 10, 0), 0);
    pica_assert_eq(pica_thread_join(&th[0], PICA_MS(100)), 0);
    struct pica_thread_info info;
    pica_thread_info(&th[0], &info);
    pica_assert_eq(info.exit_code, 0);
    pica_test_trace_reset();
    /* th[0] cannot run before main blocks; the joiner blocks on it first. */
    pica_assert_eq(spawn(0, "exit", exit_with_seven, NULL, 20, 0), 0);
    pica_assert_eq(spawn(1, "join", join_other, &th[0], 9, 0), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    pica_assert_eq(pica_thread_join(&th[1], PICA_MS(100)), 0);
    pica_assert(strcmp(pica_test_trace_get(), "j") == 0);
    pica_thread_info(&th[0], &info);
    pica_assert_eq(info.exit_code, 7);
    /* A dead control block can be used again. */
    pica_assert_eq(spawn(0, "again", just_return, NULL, 10, 0), 0);
    pica_assert_eq(pica_thread_join(&th[0], PICA_MS(100)), 0);
}

PICA_TEST(bad_thread_arguments_are_refused)
{
    static struct pica_thread unused;
    pica_assert_eq(spawn(0, "x", NULL, NULL, 10, 0), -EINVAL);
    pica_assert_eq(pica_thread_create(NULL, "x", just_return, NULL, stack0, STACK, 10, 0),
                   -EINVAL);
    pica_assert_eq(pica_thread_create(&th[0], "x", just_return, NULL, stack0, 64, 10, 0), -EINVAL);
    pica_assert_eq(spawn(0, "x", just_return, NULL, PICA_PRIO_IDLE, 0), -EINVAL);
    pica_assert_eq(pica_thread_kill(NULL), -EINVAL);
    pica_assert_eq(pica_thread_kill(&unused), -EINVAL);
    pica_assert_eq(pica_thread_join(&unused, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_thread_join(pica_thread_self(), PICA_NO_WAIT), -EDEADLK);
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_IDLE), -EINVAL);
    pica_assert_eq(pica_sleep(PICA_FOREVER), -EINVAL);
    /* A live thread cannot be created over. */
    pica_assert_eq(spawn(0, "live", count_forever, NULL, 10, 0), 0);
    pica_assert_eq(spawn(0, "again", just_return, NULL, 10, 0), -EBUSY);
    pica_assert_eq(pica_thread_kill(&th[0]), 0);
}

int
main(void)
{
    pica_test_run();
}
