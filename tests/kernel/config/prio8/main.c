/* SPDX-License-Identifier: MIT */
/* The smallest configuration, PICA_CFG_PRIORITIES=8 (built by
 * tests/kernel/config): main() and the kernel's threads get priorities
 * inside the range, and threads at every priority run in priority order. */
#include <errno.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <string.h>

_Static_assert(PICA_CFG_PRIORITIES == 8, "built with PICA_CFG_PRIORITIES=8");

PICA_TEST(main_runs_at_pica_prio_main_above_idle)
{
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(pica_thread_self(), &info), 0);
    pica_assert(strcmp(info.name, "main") == 0);
    pica_assert_eq(info.prio, PICA_PRIO_MAIN);
    pica_assert_lt(PICA_PRIO_MAIN, PICA_PRIO_IDLE);
    pica_assert_gt(PICA_PRIO_MAIN, PICA_CFG_TIMER_PRIO);
}

PICA_TEST(kernel_threads_run_at_their_configured_priorities)
{
    /* The log thread exists in an image that logs (the service is linked
     * only when used): this line is what makes this image one. */
    pica_log_flush();
    struct pica_thread_info info;
    pica_assert_eq(pica_test_find_thread("timer", &info), 0);
    pica_assert_eq(info.prio, PICA_CFG_TIMER_PRIO);
    pica_assert_eq(pica_test_find_thread("log", &info), 0);
    pica_assert_eq(info.prio, PICA_CFG_LOG_PRIO);
    pica_assert_eq(pica_test_find_thread("idle", &info), 0);
    pica_assert_eq(info.prio, PICA_PRIO_IDLE);
}

static void
record(void *arg)
{
    pica_test_trace((char)(uintptr_t)arg);
}

PICA_TEST(threads_at_every_priority_run_in_priority_order)
{
    /* From the least urgent up to the most urgent, while main() holds the
     * CPU at the top priority: then they run most urgent first. */
    pica_test_trace_reset();
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 0), 0);
    for (unsigned prio = PICA_PRIO_IDLE - 1, i = 0; i < PICA_TEST_WORKERS; prio--, i++) {
        pica_assert_eq(pica_test_spawn((int)i, record, (void *)(uintptr_t)('0' + prio), prio), 0);
    }
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_IDLE - 1), 0);
    pica_test_join_workers(PICA_TEST_WORKERS);
    pica_assert(strcmp(pica_test_trace_get(), "23456") == 0);
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
}

PICA_TEST(a_priority_past_idle_is_refused)
{
    static struct pica_thread t;
    static uint64_t stack[128] __attribute__((aligned(32)));
    pica_assert_eq(pica_thread_create(&t, "past", record, NULL, stack, sizeof(stack),
                                      PICA_CFG_PRIORITIES, 0),
                   -EINVAL);
}

PICA_TEST(sleep_ends_on_its_tick)
{
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_sleep(PICA_TICKS(3)), 0);
    pica_assert_ge(pica_tick_now(), t0 + 3);
}

int
main(void)
{
    pica_test_run();
}
