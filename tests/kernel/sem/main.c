/* SPDX-License-Identifier: MIT */
/* Semaphores as threads see them: counting, timeouts in exact ticks, wake
 * order (priority, then FIFO), a give from an interrupt handler, a timeout
 * racing a give (exactly one outcome), and refused bad input. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <pica/timer.h>
#include <pica/thread.h>
#include <string.h>

#include "arch.h"

#define NTHREADS 4

static struct pica_sem sem;

PICA_TEST(counts_down_then_times_out_after_exact_ticks)
{
    pica_assert_eq(pica_sem_init(&sem, 2, 5), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), -EAGAIN);
    for (int n = 1; n <= 9; n += 4) {
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_sem_take(&sem, PICA_TICKS(n)), -ETIMEDOUT);
        pica_assert_eq(pica_tick_now() - t0, n);
    }
    pica_assert_eq(pica_sem_count(&sem), 0);
}

PICA_TEST(give_past_max_is_refused_and_changes_nothing)
{
    pica_assert_eq(pica_sem_init(&sem, 1, 1), 0);
    pica_assert_eq(pica_sem_give(&sem), -EOVERFLOW);
    pica_assert_eq(pica_sem_count(&sem), 1);
    pica_assert_eq(pica_sem_init(&sem, 2, 1), -EINVAL);
    pica_assert_eq(pica_sem_init(&sem, 0, 0), -EINVAL);
    pica_assert_eq(pica_sem_init(NULL, 0, 1), -EINVAL);
    pica_assert_eq(pica_sem_give(NULL), -EINVAL);
    pica_assert_eq(pica_sem_take(NULL, PICA_NO_WAIT), -EINVAL);
    /* Negative timeouts other than PICA_FOREVER mean nothing. */
    pica_assert_eq(pica_sem_init(&sem, 0, 1), 0);
    pica_assert_eq(pica_sem_take(&sem, -5), -EINVAL);
    /* Refused even with a unit there to take (the inline fast path). */
    pica_assert_eq(pica_sem_init(&sem, 1, 1), 0);
    pica_assert_eq(pica_sem_take(&sem, -5), -EINVAL);
    pica_assert_eq(pica_sem_count(&sem), 1);
    static struct pica_sem never_initialised;
    pica_assert_eq(pica_sem_give(&never_initialised), -EINVAL);
    pica_assert_eq(pica_sem_take(&never_initialised, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_sem_init(&sem, 0, (uint32_t)INT32_MAX + 1u), -EINVAL);
    pica_assert_eq(pica_sem_init(&sem, INT32_MAX, INT32_MAX), 0);
    pica_assert_eq(pica_sem_give(&sem), -EOVERFLOW);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_sem_count(&sem), INT32_MAX - 1);
}

/* A tick interrupt gives and takes while the thread does the same in a
 * loop: wherever the interrupt lands, even between the exclusive load and
 * store of a fast path (icount makes it land anywhere), no update is lost. */
static struct pica_timer churn_timer;
static volatile uint32_t isr_gives, isr_takes;

static void
churn_in_isr(void *arg)
{
    (void)arg;
    for (int i = 0; i < 3; i++) {
        if (pica_sem_give(&sem) == 0) {
            isr_gives++;
        }
    }
    if (pica_sem_take(&sem, PICA_NO_WAIT) == 0) {
        isr_takes++;
    }
}

PICA_TEST(fast_paths_lose_nothing_to_interrupts)
{
    pica_assert_eq(pica_sem_init(&sem, 0, 50), 0);
    isr_gives = isr_takes = 0;
    pica_assert_eq(pica_timer_init_isr(&churn_timer, churn_in_isr, NULL), 0);
    pica_assert_eq(pica_timer_start(&churn_timer, 1, 1), 0);
    uint32_t gives = 0, takes = 0;
    pica_tick_t end = pica_tick_now() + 100;
    while (pica_tick_now() < end) {
        if (pica_sem_take(&sem, PICA_NO_WAIT) == 0) {
            takes++;
        }
        if (pica_sem_give(&sem) == 0) {
            gives++;
        }
    }
    pica_assert_eq(pica_timer_stop(&churn_timer), 0);
    pica_assert_gt(isr_gives, 0);
    pica_assert_gt(isr_takes, 0);
    pica_assert_eq(pica_sem_count(&sem), isr_gives + gives - isr_takes - takes);
}

static void
take_with_timeout(void *arg)
{
    pica_assert_eq(pica_sem_take(&sem, PICA_TICKS((uintptr_t)arg)), -ETIMEDOUT);
    pica_test_trace('t');
}

static void
take_forever(void *arg)
{
    pica_assert_eq(pica_sem_take(&sem, PICA_FOREVER), 0);
    pica_test_trace((char)(uintptr_t)arg);
}

/* While threads wait the count holds a marker that sends take and give
 * down the slow path; waiters leaving by timeout leave it behind. */
PICA_TEST(count_after_waiters_leave_or_are_served)
{
    pica_assert_eq(pica_sem_init(&sem, 0, 3), 0);
    pica_test_trace_reset();
    /* Two more urgent waiters time out: nobody is left, count reads 0. */
    pica_assert_eq(pica_test_spawn(0, take_with_timeout, (void *)2, 4), 0);
    pica_assert_eq(pica_test_spawn(1, take_with_timeout, (void *)3, 4), 0);
    pica_assert_eq(pica_sem_count(&sem), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), -EAGAIN);
    pica_test_join_workers(2);
    pica_assert(strcmp(pica_test_trace_get(), "tt") == 0);
    pica_assert_eq(pica_sem_count(&sem), 0);
    /* The next gives count up from 0 and are taken without waiting. */
    pica_assert_eq(pica_sem_give(&sem), 0);
    pica_assert_eq(pica_sem_give(&sem), 0);
    pica_assert_eq(pica_sem_count(&sem), 2);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_FOREVER), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), -EAGAIN);
    /* Two waiters: each give goes to one of them, none to the count. */
    pica_assert_eq(pica_test_spawn(0, take_forever, (void *)'a', 4), 0);
    pica_assert_eq(pica_test_spawn(1, take_forever, (void *)'b', 4), 0);
    pica_assert_eq(pica_sem_give(&sem), 0);
    pica_assert_eq(pica_sem_count(&sem), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_sem_give(&sem), 0);
    pica_test_join_workers(2);
    pica_assert(strcmp(pica_test_trace_get(), "ttab") == 0);
    pica_assert_eq(pica_sem_count(&sem), 0);
    /* Queue empty again: gives count up to max and no further. */
    for (int i = 0; i < 3; i++) {
        pica_assert_eq(pica_sem_give(&sem), 0);
    }
    pica_assert_eq(pica_sem_give(&sem), -EOVERFLOW);
    pica_assert_eq(pica_sem_count(&sem), 3);
}

static void
take_and_log(void *arg)
{
    pica_assert_eq(pica_sem_take(&sem, PICA_FOREVER), 0);
    pica_test_trace((char)(uintptr_t)arg);
}

PICA_TEST(waiters_wake_by_priority_then_in_arrival_order)
{
    pica_assert_eq(pica_sem_init(&sem, 0, 10), 0);
    pica_test_trace_reset();
    /* All more urgent than main, so each blocks as soon as it is created. */
    pica_assert_eq(pica_test_spawn(0, take_and_log, (void *)'c', 12), 0);
    pica_assert_eq(pica_test_spawn(1, take_and_log, (void *)'a', 8), 0);
    pica_assert_eq(pica_test_spawn(2, take_and_log, (void *)'d', 12), 0);
    pica_assert_eq(pica_test_spawn(3, take_and_log, (void *)'b', 10), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    for (int i = 0; i < NTHREADS; i++) {
        pica_assert_eq(pica_sem_give(&sem), 0);
    }
    pica_assert(strcmp(pica_test_trace_get(), "abcd") == 0);
    pica_assert_eq(pica_sem_count(&sem), 0);
    for (int i = 0; i < NTHREADS; i++) {
        pica_assert_eq(pica_thread_join(pica_test_worker(i), PICA_NO_WAIT), 0);
    }
}

static unsigned test_irq;
static volatile int isr_take_result;

static void
give_from_isr(void *arg)
{
    (void)arg;
    pica_test_trace('i');
    /* A blocking take is refused here; a give is fine. */
    isr_take_result = pica_sem_take(&sem, PICA_TICKS(1));
    pica_sem_give(&sem);
}

PICA_TEST(give_from_an_interrupt_wakes_the_waiter_at_once)
{
    test_irq = arch_irq_lines() - 1;
    pica_assert_eq(pica_sem_init(&sem, 0, 1), 0);
    pica_assert_eq(pica_irq_attach(test_irq, give_from_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(test_irq), 0);
    pica_test_trace_reset();
    pica_assert_eq(pica_test_spawn(0, take_and_log, (void *)'w', 5), 0);
    uint32_t before = pica_irq_count(test_irq);
    pica_assert_eq(pica_irq_trigger(test_irq), 0);
    /* The woken thread is more urgent: it ran before the trigger returned. */
    pica_test_trace('m');
    pica_assert(strcmp(pica_test_trace_get(), "iwm") == 0);
    pica_assert_eq(pica_irq_count(test_irq), before + 1);
    pica_assert_eq(isr_take_result, -EINVAL);
    pica_assert_eq(pica_thread_join(pica_test_worker(0), PICA_NO_WAIT), 0);
    pica_assert_eq(pica_irq_detach(test_irq), 0);
}

static volatile int timer_isr_context = -1;

static void
give_from_timer_interrupt(void *arg)
{
    timer_isr_context = arch_in_isr();
    pica_sem_give((struct pica_sem *)arg);
}

PICA_TEST(give_from_the_timer_interrupt_wakes_the_waiter_on_that_tick)
{
    static struct pica_timer tm;
    pica_assert_eq(pica_sem_init(&sem, 0, 1), 0);
    pica_assert_eq(pica_timer_init_isr(&tm, give_from_timer_interrupt, &sem), 0);
    for (int delay = 1; delay <= 7; delay += 3) {
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_timer_start(&tm, PICA_TICKS(delay), 0), 0);
        pica_assert_eq(pica_sem_take(&sem, PICA_TICKS(50)), 0);
        pica_assert_eq(pica_tick_now() - t0, delay);
        pica_assert_eq(timer_isr_context, 1);
    }
}

static volatile pica_timeout_t race_delay;

static void
give_after_delay(void *arg)
{
    (void)arg;
    pica_sleep(race_delay);
    pica_sem_give(&sem);
}

PICA_TEST(timeout_racing_a_give_has_exactly_one_outcome)
{
    int got = 0, timed_out = 0;
    for (pica_timeout_t d = 1; d <= 12; d++) {
        for (pica_timeout_t slack = 0; slack <= 1; slack++) {
            pica_assert_eq(pica_sem_init(&sem, 0, 1), 0);
            race_delay = d;
            /* The giver is more urgent and wakes on the same tick as the
             * waiter's deadline (slack 0) or one tick before (slack 1). */
            pica_assert_eq(pica_test_spawn(0, give_after_delay, NULL, 4), 0);
            int r = pica_sem_take(&sem, d + slack);
            pica_assert_eq(pica_thread_join(pica_test_worker(0), PICA_MS(100)), 0);
            if (r == 0) {
                got++;
                pica_assert_eq(pica_sem_count(&sem), 0);
            } else {
                timed_out++;
                pica_assert_eq(r, -ETIMEDOUT);
                pica_assert_eq(pica_sem_count(&sem), 1); /* the give was not lost */
            }
        }
    }
    pica_assert_eq(got + timed_out, 24);
    pica_assert_gt(got, 0);
}

int
main(void)
{
    pica_test_run();
}
