/* SPDX-License-Identifier: MIT */
/* Software timers as threads observe them: one-shot and periodic deadlines
 * in exact ticks (no drift behind slow callbacks), stop, restart, pending
 * callbacks cancelled, expiry order, start/stop from an interrupt, the
 * timer thread as the callbacks' context, argument checks (periods past
 * the timeout range), and what stop guarantees about a callback already
 * running. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <pica/timer.h>
#include <string.h>

#include "arch.h"

#define MAX_FIRES 32

/* What one timer's callback saw. */
struct probe {
    struct pica_timer tm;
    volatile unsigned fires;
    pica_tick_t at[MAX_FIRES]; /* pica_tick_now() at each call */
    unsigned stop_after;       /* the callback stops its timer after this many (0: never) */
    int stop_result;           /* what that stop returned */
    unsigned slow_every;       /* every Nth call busy-waits slow_ticks (0: never) */
    unsigned slow_ticks;
    char letter; /* appended to the trace at each call */
    const char *thread_name;
    int thread_prio;
    bool in_isr;
};

static struct probe pa, pb, pc;
static char trace[16];
static volatile unsigned trace_len;

static void
spin_until(pica_tick_t tick)
{
    while (pica_tick_now() < tick) {
    }
}

static void
probe_callback(void *arg)
{
    struct probe *p = arg;
    unsigned n = p->fires;
    if (n < MAX_FIRES) {
        p->at[n] = pica_tick_now();
    }
    p->thread_name = pica_thread_self()->name;
    p->thread_prio = pica_thread_prio(pica_thread_self());
    p->in_isr = arch_in_isr();
    if (p->letter != 0 && trace_len < sizeof(trace) - 1) {
        trace[trace_len++] = p->letter;
    }
    p->fires = n + 1;
    if (p->stop_after != 0 && p->fires == p->stop_after) {
        p->stop_result = pica_timer_stop(&p->tm);
    }
    if (p->slow_every != 0 && p->fires % p->slow_every == 0) {
        spin_until(pica_tick_now() + p->slow_ticks);
    }
}

static void
probe_init(struct probe *p, char letter)
{
    /* A test that failed may have left it armed; clearing it then would
     * corrupt the timeout list. */
    if (pica_timer_is_active(&p->tm)) {
        pica_timer_stop(&p->tm);
    }
    memset(p, 0, sizeof(*p));
    p->letter = letter;
    pica_assert_eq(pica_timer_init(&p->tm, probe_callback, p), 0);
}

/* Start at the very beginning of a tick, so that the tick read before
 * pica_timer_start() is the one the timer counts from. Returns that tick. */
static pica_tick_t
tick_start(void)
{
    pica_sleep(PICA_TICKS(1));
    return pica_tick_now();
}

PICA_TEST(one_shot_fires_once_on_start_tick_plus_delay)
{
    probe_init(&pa, 0);
    pica_assert(!pica_timer_is_active(&pa.tm));
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(5), 0), 0);
    pica_assert(pica_timer_is_active(&pa.tm));
    pica_sleep(PICA_TICKS(4));
    pica_assert_eq(pa.fires, 0);
    pica_sleep(PICA_TICKS(20));
    pica_assert_eq(pa.fires, 1);
    pica_assert_eq(pa.at[0], t0 + 5);
    pica_assert(!pica_timer_is_active(&pa.tm));
}

PICA_TEST(callback_runs_in_the_timer_thread_not_in_the_interrupt)
{
    probe_init(&pa, 0);
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(2), 0), 0);
    pica_sleep(PICA_TICKS(5));
    pica_assert_eq(pa.fires, 1);
    pica_assert(pa.thread_name != NULL && strcmp(pa.thread_name, "timer") == 0);
    pica_assert_eq(pa.thread_prio, PICA_CFG_TIMER_PRIO);
    pica_assert(!pa.in_isr);
}

PICA_TEST(zero_delay_runs_the_callback_at_once)
{
    probe_init(&pa, 0);
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_NO_WAIT, 0), 0);
    /* The timer thread is more urgent than this one: it already ran. */
    pica_assert_eq(pa.fires, 1);
    pica_assert_eq(pa.at[0], t0);
    pica_assert(!pica_timer_is_active(&pa.tm));
}

PICA_TEST(periodic_keeps_its_phase_over_20_periods_with_slow_callbacks)
{
    probe_init(&pa, 0);
    pa.stop_after = 20;
    pa.slow_every = 3; /* every third call eats 3 of the 5 ticks */
    pa.slow_ticks = 3;
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(3), 5), 0);
    pica_sleep(PICA_TICKS(3 + 5 * 19 + 10));
    pica_assert_eq(pa.fires, 20);
    for (unsigned i = 0; i < 20; i++) {
        pica_assert_eq(pa.at[i], t0 + 3 + 5 * i);
    }
    pica_assert_eq(pica_timer_missed(&pa.tm), 0);
    /* Stopped from its own callback (which does not wait for itself): no
     * more calls. */
    pica_assert_eq(pa.stop_result, 0);
    pica_assert(!pica_timer_is_active(&pa.tm));
    pica_sleep(PICA_TICKS(20));
    pica_assert_eq(pa.fires, 20);
}

PICA_TEST(stop_from_a_thread_prevents_further_calls)
{
    probe_init(&pa, 0);
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(4), 4), 0);
    pica_sleep(PICA_TICKS(13)); /* calls at +4, +8, +12 */
    pica_assert_eq(pa.fires, 3);
    pica_assert_eq(pa.at[2], t0 + 12);
    pica_assert_eq(pica_timer_stop(&pa.tm), 0);
    pica_assert(!pica_timer_is_active(&pa.tm));
    pica_sleep(PICA_TICKS(20));
    pica_assert_eq(pa.fires, 3);
    /* Stopping an inactive timer is harmless. */
    pica_assert_eq(pica_timer_stop(&pa.tm), 0);
}

PICA_TEST(stop_cancels_a_callback_that_is_pending_but_not_started)
{
    pica_assert_gt(PICA_CFG_TIMER_PRIO, 0);
    probe_init(&pa, 0);
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 0), 0);
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(2), 0), 0);
    /* Above the timer thread: the timer expires, but its callback waits. */
    spin_until(t0 + 4);
    pica_assert_eq(pa.fires, 0);
    pica_assert(pica_timer_is_active(&pa.tm));
    pica_assert_eq(pica_timer_stop(&pa.tm), 0);
    pica_assert(!pica_timer_is_active(&pa.tm));
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
    pica_sleep(PICA_TICKS(5));
    pica_assert_eq(pa.fires, 0);
}

PICA_TEST(pending_callbacks_run_in_expiry_order)
{
    probe_init(&pa, 'a');
    probe_init(&pb, 'b');
    probe_init(&pc, 'c');
    trace_len = 0;
    memset(trace, 0, sizeof(trace));
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 0), 0);
    pica_assert_eq(pica_timer_start(&pc.tm, PICA_TICKS(4), 0), 0);
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(2), 0), 0);
    pica_assert_eq(pica_timer_start(&pb.tm, PICA_TICKS(3), 0), 0);
    spin_until(t0 + 5); /* all three expire while the timer thread waits */
    pica_assert_eq(trace_len, 0);
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
    pica_assert(strcmp(trace, "abc") == 0);
}

PICA_TEST(periodic_expiries_merge_while_the_callback_is_still_pending)
{
    probe_init(&pa, 0);
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 0), 0);
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(2), 2), 0);
    spin_until(t0 + 7); /* expiries at +2 (queued), +4 and +6 (merged) */
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
    pica_assert_eq(pa.fires, 1);
    pica_assert_eq(pica_timer_missed(&pa.tm), 2);
    /* The phase is kept: the next call is on +8. */
    pica_sleep(PICA_TICKS(2));
    pica_assert_eq(pa.fires, 2);
    pica_assert_eq(pa.at[1], t0 + 8);
    pica_assert_eq(pica_timer_stop(&pa.tm), 0);
}

PICA_TEST(restart_moves_the_deadline_from_now)
{
    probe_init(&pa, 0);
    pica_assert_eq(pica_timer_restart(&pa.tm), -EINVAL); /* never started */
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(10), 0), 0);
    pica_sleep(PICA_TICKS(6));
    pica_assert_eq(pica_timer_restart(&pa.tm), 0); /* due at +16 now */
    pica_sleep(PICA_TICKS(6));
    pica_assert_eq(pa.fires, 0);
    pica_sleep(PICA_TICKS(10));
    pica_assert_eq(pa.fires, 1);
    pica_assert_eq(pa.at[0], t0 + 16);
    /* Starting an active timer moves it as well, and it fires only once. */
    t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(10), 0), 0);
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(3), 0), 0);
    pica_sleep(PICA_TICKS(15));
    pica_assert_eq(pa.fires, 2);
    pica_assert_eq(pa.at[1], t0 + 3);
}

enum isr_action { ISR_START, ISR_STOP };
static volatile enum isr_action isr_action;
static volatile int isr_result = 1;

static void
timer_isr(void *arg)
{
    struct pica_timer *tm = arg;
    isr_result =
        isr_action == ISR_START ? pica_timer_start(tm, PICA_TICKS(4), 0) : pica_timer_stop(tm);
}

PICA_TEST(start_and_stop_from_an_interrupt)
{
    unsigned irq = arch_irq_lines() - 1;
    probe_init(&pa, 0);
    pica_assert_eq(pica_irq_attach(irq, timer_isr, &pa.tm, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    pica_tick_t t0 = tick_start();
    isr_action = ISR_START;
    uint32_t before = pica_irq_count(irq);
    pica_assert_eq(pica_irq_trigger(irq), 0);
    pica_assert_eq(pica_irq_count(irq), before + 1);
    pica_assert_eq(isr_result, 0);
    pica_assert(pica_timer_is_active(&pa.tm));
    pica_sleep(PICA_TICKS(8));
    pica_assert_eq(pa.fires, 1);
    pica_assert_eq(pa.at[0], t0 + 4);
    /* A periodic timer started here, stopped by the interrupt. */
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(2), 2), 0);
    pica_sleep(PICA_TICKS(5)); /* calls at +2, +4 */
    isr_action = ISR_STOP;
    isr_result = 1;
    pica_assert_eq(pica_irq_trigger(irq), 0);
    pica_assert_eq(isr_result, 0);
    pica_assert(!pica_timer_is_active(&pa.tm));
    pica_sleep(PICA_TICKS(10));
    pica_assert_eq(pa.fires, 3);
    pica_assert_eq(pica_irq_detach(irq), 0);
}

PICA_TEST(bad_arguments_are_refused)
{
    static struct pica_timer zeroed;
    probe_init(&pa, 0);
    pica_assert_eq(pica_timer_init(NULL, probe_callback, NULL), -EINVAL);
    pica_assert_eq(pica_timer_init(&pb.tm, NULL, NULL), -EINVAL);
    pica_assert_eq(pica_timer_start(NULL, PICA_TICKS(1), 0), -EINVAL);
    pica_assert_eq(pica_timer_start(&zeroed, PICA_TICKS(1), 0), -EINVAL);
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_FOREVER, 0), -EINVAL);
    pica_assert_eq(pica_timer_stop(NULL), -EINVAL);
    pica_assert_eq(pica_timer_stop(&zeroed), -EINVAL);
    pica_assert_eq(pica_timer_restart(NULL), -EINVAL);
    pica_assert(!pica_timer_is_active(NULL));
    pica_assert(!pica_timer_is_active(&zeroed));
    /* Re-initialising an active timer would corrupt the timeout list. */
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(50), 0), 0);
    pica_assert_eq(pica_timer_init(&pa.tm, probe_callback, &pa), -EBUSY);
    pica_assert(pica_timer_is_active(&pa.tm));
    pica_assert_eq(pica_timer_stop(&pa.tm), 0);
    pica_assert_eq(pica_timer_init(&pa.tm, probe_callback, &pa), 0);
    pica_assert_eq(pa.fires, 0);
}

/* A callback that blocks for a while in the middle of its call, so that a
 * stop can come while it runs; it may start its own timer again first. */
struct slow_probe {
    struct pica_timer tm;
    volatile unsigned entered, returned;
    bool restart;
};
static struct slow_probe slow;

static void
slow_callback(void *arg)
{
    struct slow_probe *p = arg;
    p->entered++;
    pica_sleep(PICA_TICKS(5));
    if (p->restart) {
        pica_timer_start(&p->tm, PICA_TICKS(2), 0);
    }
    p->returned++;
}

/* Start @slow (after a tick, every @period) and return once its first call
 * is under way, blocked in its sleep. */
static void
slow_start(bool restart, pica_tick_t period)
{
    if (pica_timer_is_active(&slow.tm)) {
        pica_timer_stop(&slow.tm);
    }
    memset(&slow, 0, sizeof(slow));
    slow.restart = restart;
    pica_assert_eq(pica_timer_init(&slow.tm, slow_callback, &slow), 0);
    pica_assert_eq(pica_timer_start(&slow.tm, PICA_TICKS(1), period), 0);
    pica_sleep(PICA_TICKS(3));
    pica_assert_eq(slow.entered, 1);
    pica_assert_eq(slow.returned, 0);
}

PICA_TEST(stop_from_a_thread_returns_only_once_a_running_callback_has)
{
    slow_start(false, 0);
    pica_assert_eq(pica_timer_stop(&slow.tm), 0);
    pica_assert_eq(slow.returned, 1);
    pica_assert(!pica_timer_is_active(&slow.tm));
    pica_sleep(PICA_TICKS(10));
    pica_assert_eq(slow.entered, 1);
}

PICA_TEST(stop_disarms_a_timer_its_running_callback_starts_again)
{
    slow_start(true, 0);
    pica_assert_eq(pica_timer_stop(&slow.tm), 0);
    pica_assert_eq(slow.returned, 1);
    pica_assert(!pica_timer_is_active(&slow.tm));
    pica_sleep(PICA_TICKS(10));
    pica_assert_eq(slow.entered, 1);
}

PICA_TEST(stop_that_cannot_wait_for_a_running_callback_says_so)
{
    unsigned irq = arch_irq_lines() - 1;
    slow_start(false, 20);
    /* From an interrupt. */
    pica_assert_eq(pica_irq_attach(irq, timer_isr, &slow.tm, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    isr_action = ISR_STOP;
    isr_result = 1;
    pica_assert_eq(pica_irq_trigger(irq), 0);
    pica_assert_eq(pica_irq_detach(irq), 0);
    pica_assert_eq(isr_result, -EINPROGRESS);
    /* With the kernel lock held. */
    unsigned key = pica_irq_lock();
    int err = pica_timer_stop(&slow.tm);
    pica_irq_unlock(key);
    pica_assert_eq(err, -EINPROGRESS);
    pica_assert(!pica_timer_is_active(&slow.tm));
    /* The running call finishes; the periodic timer does not call again. */
    pica_assert_eq(slow.returned, 0);
    pica_sleep(PICA_TICKS(40));
    pica_assert_eq(slow.returned, 1);
    pica_assert_eq(slow.entered, 1);
    pica_assert_eq(pica_timer_stop(&slow.tm), 0);
}

/* Start with @period; a start that should have been refused is undone at
 * once, before its first expiry sends the tick interrupt round forever. */
static int
start_period(pica_tick_t period)
{
    int err = pica_timer_start(&pa.tm, PICA_TICKS(50), period);
    if (err == 0 && period > (pica_tick_t)PICA_TIMEOUT_MAX) {
        pica_timer_stop(&pa.tm);
    }
    return err;
}

PICA_TEST(a_period_past_the_timeout_range_is_refused)
{
    probe_init(&pa, 0);
    pica_assert_eq(start_period((pica_tick_t)PICA_TIMEOUT_MAX + 1u), -EINVAL);
    pica_assert_eq(start_period(UINT64_MAX), -EINVAL);
    pica_assert_eq(start_period((pica_tick_t)1 << 63), -EINVAL);
    pica_assert(!pica_timer_is_active(&pa.tm));
    /* The longest period is accepted and re-arms that far ahead. */
    pica_tick_t t0 = tick_start();
    pica_assert_eq(pica_timer_start(&pa.tm, PICA_TICKS(2), (pica_tick_t)PICA_TIMEOUT_MAX), 0);
    pica_sleep(PICA_TICKS(5));
    pica_assert_eq(pa.fires, 1);
    pica_assert_eq(pa.at[0], t0 + 2);
    pica_assert(pica_timer_is_active(&pa.tm));
    pica_assert_eq(pica_timer_stop(&pa.tm), 0);
}

PICA_TEST(the_timer_thread_keeps_a_quarter_of_its_stack_free)
{
    struct pica_thread_info service_info;
    pica_assert_eq(pica_test_find_thread("timer", &service_info), 0);
    pica_assert_gt(service_info.stack_size, 0);
    pica_assert_lt(service_info.stack_used_max, service_info.stack_size * 3 / 4);
}

int
main(void)
{
    pica_test_run();
}
