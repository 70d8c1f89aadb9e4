/* SPDX-License-Identifier: MIT */
/* Event flags as threads observe them: ANY, ALL and CLEAR, several waiters
 * woken by one set (and the rule for bits consumed by clearing waiters),
 * exact timeouts in ticks, a set from an interrupt handler, and refused
 * arguments (bit 31 is reserved). */
#include <errno.h>
#include <pica/event.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <string.h>

#include "arch.h"

#define NTHREADS 5 /* of the test framework's workers */

static struct pica_event ev;

/* What waiter i asks for, and what it got. */
struct waiter {
    uint32_t bits;
    unsigned options;
    unsigned prio;
    volatile int result;
};

static struct waiter w[NTHREADS];

static void
wait_and_log(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    w[i].result = pica_event_wait(&ev, w[i].bits, w[i].options, PICA_MS(2000));
    pica_test_trace((char)('A' + i));
}

/* Start waiter @i; it is more urgent than main, so it blocks at once. */
static void
start_waiter(unsigned i, uint32_t bits, unsigned options, unsigned prio)
{
    w[i].bits = bits;
    w[i].options = options;
    w[i].prio = prio;
    w[i].result = 0;
    pica_assert_eq(pica_test_spawn(i, wait_and_log, (void *)(uintptr_t)i, prio), 0);
}

PICA_TEST(any_wakes_on_one_of_the_bits_and_returns_the_matching_ones)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_event_init(&ev), 0);
    start_waiter(0, 0x6, PICA_EV_ANY, 10);
    pica_assert_eq(pica_event_set(&ev, 0x1), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    pica_assert_eq(pica_event_set(&ev, 0x4), 0);
    pica_assert(strcmp(pica_test_trace_get(), "A") == 0);
    pica_assert_eq(w[0].result, 0x4);
    /* Without CLEAR the bits stay. */
    pica_assert_eq(pica_event_get(&ev), 0x5);
    /* Already satisfied: returns at once. */
    pica_assert_eq(pica_event_wait(&ev, 0x7, PICA_EV_ANY, PICA_NO_WAIT), 0x5);
    pica_assert_eq(pica_event_wait(&ev, 0x2, PICA_EV_ANY, PICA_NO_WAIT), -EAGAIN);
    pica_test_join_workers(1);
}

PICA_TEST(all_waits_for_every_bit)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_event_init(&ev), 0);
    start_waiter(0, 0x7, PICA_EV_ALL, 10);
    pica_assert_eq(pica_event_set(&ev, 0x1), 0);
    pica_assert_eq(pica_event_set(&ev, 0x2 | 0x100), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    pica_assert_eq(pica_event_set(&ev, 0x4), 0);
    pica_assert(strcmp(pica_test_trace_get(), "A") == 0);
    pica_assert_eq(w[0].result, 0x7);
    pica_assert_eq(pica_event_get(&ev), 0x107);
    pica_assert_eq(pica_event_wait(&ev, 0x107, PICA_EV_ALL, PICA_NO_WAIT), 0x107);
    pica_assert_eq(pica_event_wait(&ev, 0x203, PICA_EV_ALL, PICA_NO_WAIT), -EAGAIN);
    pica_test_join_workers(1);
}

PICA_TEST(clear_consumes_only_the_bits_that_satisfied_the_wait)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_event_init(&ev), 0);
    start_waiter(0, 0x3, PICA_EV_ANY | PICA_EV_CLEAR, 10);
    pica_assert_eq(pica_event_set(&ev, 0x5), 0);
    pica_assert_eq(w[0].result, 0x1);
    pica_assert_eq(pica_event_get(&ev), 0x4);
    pica_test_join_workers(1);
    /* The immediate path clears too. */
    pica_assert_eq(pica_event_set(&ev, 0x3), 0);
    pica_assert_eq(pica_event_wait(&ev, 0x3, PICA_EV_ALL | PICA_EV_CLEAR, PICA_NO_WAIT), 0x3);
    pica_assert_eq(pica_event_get(&ev), 0x4);
    pica_assert_eq(pica_event_wait(&ev, 0x3, PICA_EV_ANY | PICA_EV_CLEAR, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_event_clear(&ev, 0x4), 0);
    pica_assert_eq(pica_event_get(&ev), 0);
}

PICA_TEST(one_set_wakes_every_satisfied_waiter_in_priority_order)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_event_init(&ev), 0);
    start_waiter(0, 0x1, PICA_EV_ANY, 10);
    start_waiter(1, 0x3, PICA_EV_ALL, 8);
    start_waiter(2, 0x4, PICA_EV_ANY, 12);
    start_waiter(3, 0x1, PICA_EV_ANY | PICA_EV_CLEAR, 9);
    start_waiter(4, 0x1, PICA_EV_ANY | PICA_EV_CLEAR, 11);
    pica_assert_eq(pica_test_trace_len(), 0);
    /* Every waiter satisfied by bit 0 wakes, both clearing ones included:
     * the clear applies once all waiters were considered. */
    pica_assert_eq(pica_event_set(&ev, 0x1), 0);
    pica_assert(strcmp(pica_test_trace_get(), "DAE") == 0);
    pica_assert_eq(w[0].result, 0x1);
    pica_assert_eq(w[3].result, 0x1);
    pica_assert_eq(w[4].result, 0x1);
    pica_assert_eq(pica_event_get(&ev), 0);
    /* Bit 0 was consumed, so B (all of 0x3) still waits after bit 1. */
    pica_assert_eq(pica_event_set(&ev, 0x2), 0);
    pica_assert(strcmp(pica_test_trace_get(), "DAE") == 0);
    pica_assert_eq(pica_event_set(&ev, 0x1 | 0x4), 0);
    pica_assert(strcmp(pica_test_trace_get(), "DAEBC") == 0);
    pica_assert_eq(w[1].result, 0x3);
    pica_assert_eq(w[2].result, 0x4);
    pica_assert_eq(pica_event_get(&ev), 0x7);
    pica_test_join_workers(NTHREADS);
}

PICA_TEST(clear_by_one_waiter_does_not_hide_bits_from_the_others)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_event_init(&ev), 0);
    /* The most urgent waiter consumes bit 0; the later one, waiting for
     * all of 0x3, is still judged against the bits before the clear. */
    start_waiter(0, 0x1, PICA_EV_ANY | PICA_EV_CLEAR, 8);
    start_waiter(1, 0x3, PICA_EV_ALL | PICA_EV_CLEAR, 10);
    start_waiter(2, 0x2, PICA_EV_ANY, 12);
    pica_assert_eq(pica_event_set(&ev, 0x3), 0);
    pica_assert(strcmp(pica_test_trace_get(), "ABC") == 0);
    pica_assert_eq(w[0].result, 0x1);
    pica_assert_eq(w[1].result, 0x3);
    pica_assert_eq(w[2].result, 0x2);
    pica_assert_eq(pica_event_get(&ev), 0);
    pica_test_join_workers(3);
}

PICA_TEST(wait_times_out_after_exactly_the_ticks_asked)
{
    pica_assert_eq(pica_event_init(&ev), 0);
    pica_assert_eq(pica_event_set(&ev, 0x1), 0);
    for (int n = 1; n <= 13; n += 4) {
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_event_wait(&ev, 0x3, PICA_EV_ALL, PICA_TICKS(n)), -ETIMEDOUT);
        pica_assert_eq(pica_tick_now() - t0, n);
    }
    pica_assert_eq(pica_event_wait(&ev, 0x2, PICA_EV_ANY | PICA_EV_CLEAR, PICA_NO_WAIT), -EAGAIN);
    pica_assert_eq(pica_event_get(&ev), 0x1);
    /* A waiter that timed out is gone: a later set wakes nobody stale. */
    pica_assert_eq(pica_event_set(&ev, 0x2), 0);
    pica_assert_eq(pica_event_get(&ev), 0x3);
}

static unsigned test_irq;
static volatile int isr_wait_result, isr_block_result;

static void
event_isr(void *arg)
{
    (void)arg;
    pica_event_set(&ev, 0x10);
    isr_wait_result = pica_event_wait(&ev, 0x10, PICA_EV_ANY, PICA_NO_WAIT);
    isr_block_result = pica_event_wait(&ev, 0x20, PICA_EV_ANY, PICA_TICKS(1));
}

PICA_TEST(set_from_an_interrupt_handler_wakes_the_waiter)
{
    unsigned lines = arch_irq_lines();
    test_irq = (lines < PICA_CFG_IRQ_MAX ? lines : PICA_CFG_IRQ_MAX) - 1u;
    pica_assert_eq(pica_irq_attach(test_irq, event_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(test_irq), 0);
    pica_test_trace_reset();
    pica_assert_eq(pica_event_init(&ev), 0);
    start_waiter(0, 0x10 | 0x1, PICA_EV_ANY | PICA_EV_CLEAR, 10);
    uint32_t before = pica_irq_count(test_irq);
    pica_assert_eq(pica_irq_trigger(test_irq), 0);
    pica_sleep(PICA_TICKS(1));
    pica_assert_eq(pica_irq_count(test_irq), before + 1);
    pica_test_join_workers(1);
    pica_assert(strcmp(pica_test_trace_get(), "A") == 0);
    pica_assert_eq(w[0].result, 0x10);
    /* The waiter consumed 0x10 within the set, before its thread ran. */
    pica_assert_eq(isr_wait_result, -EAGAIN);
    pica_assert_eq(isr_block_result, -EINVAL);
    pica_assert_eq(pica_event_get(&ev), 0);
    pica_assert_eq(pica_irq_detach(test_irq), 0);
}

PICA_TEST(bit_31_and_other_bad_arguments_are_refused)
{
    static struct pica_event never_used;
    pica_assert_eq(pica_event_init(NULL), -EINVAL);
    pica_assert_eq(pica_event_init(&ev), 0);
    pica_assert_eq(pica_event_set(&ev, 0x5), 0);
    pica_assert_eq(pica_event_set(&ev, 0x80000000u), -EINVAL);
    pica_assert_eq(pica_event_set(&ev, 0x80000002u), -EINVAL);
    pica_assert_eq(pica_event_set(&ev, 0), -EINVAL);
    pica_assert_eq(pica_event_set(NULL, 0x1), -EINVAL);
    pica_assert_eq(pica_event_clear(&ev, 0x80000001u), -EINVAL);
    pica_assert_eq(pica_event_clear(NULL, 0x1), -EINVAL);
    pica_assert_eq(pica_event_wait(&ev, 0x80000000u, PICA_EV_ANY, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_event_wait(&ev, 0xffffffffu, PICA_EV_ANY, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_event_wait(&ev, 0, PICA_EV_ANY, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_event_wait(&ev, 0x1, 0x8, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_event_wait(&ev, 0x1, PICA_EV_ANY, -3), -EINVAL);
    pica_assert_eq(pica_event_wait(NULL, 0x1, PICA_EV_ANY, PICA_NO_WAIT), -EINVAL);
    /* Nothing above changed the bits; the largest usable mask works. */
    pica_assert_eq(pica_event_get(&ev), 0x5);
    pica_assert_eq(pica_event_set(&ev, PICA_EV_BITS), 0);
    pica_assert_eq(pica_event_wait(&ev, PICA_EV_BITS, PICA_EV_ALL | PICA_EV_CLEAR, PICA_NO_WAIT),
                   (int)PICA_EV_BITS);
    pica_assert_eq(pica_event_get(&ev), 0);
    pica_assert_eq(pica_event_get(NULL), 0);
    /* Never initialised. */
    pica_assert_eq(pica_event_set(&never_used, 0x1), -EINVAL);
    pica_assert_eq(pica_event_wait(&never_used, 0x1, PICA_EV_ANY, PICA_FOREVER), -EINVAL);
}

int
main(void)
{
    pica_test_run();
}
