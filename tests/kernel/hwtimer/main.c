/* SPDX-License-Identifier: MIT */
/* Hardware timers on every timer of the board, measured against the
 * kernel's clock (pica_uptime_us): each counter rises at the rate it
 * states; a periodic timer fires once per period over a measured stretch,
 * alone and with every other timer running at once (timers sharing a
 * line); a one-shot fires once, on time, and may start itself again from
 * its callback; stop stops; and the refusals. Under icount the guest's
 * time is exact, so counts are compared within one period. */
#include <errno.h>
#include <pica/hwtimer.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>

#include "arch.h"

#define MAX_TIMERS 8
#define PERIOD_NS 100000u  /* 100 us: 10x the kernel's tick rate */
#define WINDOW_MS 20u
#define ONESHOT_NS 1000000u

struct probe {
    volatile unsigned calls;
    volatile unsigned wrong_args;
    volatile uint64_t first_us; /* pica_uptime_us() at the first call */
    unsigned chain;             /* one-shots still to start from the callback */
    uint64_t chain_period;
};

static struct probe probes[MAX_TIMERS];

/* Decimal text of @v: the image's printf (picolibc's integer variant)
 * prints only the low 32 bits of a long long. One of two buffers, so that
 * a printf may take two. */
static const char *
u64(uint64_t v)
{
    static char bufs[2][24];
    static unsigned which;
    char *end = bufs[which++ % 2u] + 23;
    *end = '\0';
    do {
        *--end = (char)('0' + v % 10u);
        v /= 10u;
    } while (v != 0);
    return end;
}

static void
probe_fn(unsigned timer, void *arg)
{
    struct probe *p = arg;
    if (p != &probes[timer]) {
        p->wrong_args++;
    }
    if (p->calls == 0) {
        p->first_us = pica_uptime_us();
    }
    p->calls++;
    if (p->chain > 0) {
        p->chain--;
        if (pica_hwtimer_start(timer, p->chain_period, PICA_HWTIMER_ONESHOT, probe_fn, p) != 0) {
            p->wrong_args++;
        }
    }
}

static struct probe *
probe_reset(unsigned timer)
{
    pica_assert_lt(timer, MAX_TIMERS);
    pica_hwtimer_stop(timer);
    probes[timer] = (struct probe){0};
    return &probes[timer];
}

static void
info_of(unsigned timer, struct pica_hwtimer_info *info)
{
    pica_assert_eq(pica_hwtimer_info(timer, info), 0);
}

/* The period each test uses on @timer: PERIOD_NS where the device can
 * time it, else its nearest bound. */
static uint64_t
period_ns_of(unsigned timer)
{
    struct pica_hwtimer_info info;
    info_of(timer, &info);
    if (info.min_ns > PERIOD_NS) {
        return info.min_ns;
    }
    return info.max_ns < PERIOD_NS ? info.max_ns : PERIOD_NS;
}

/* Whether @timer has @mode (or PICA_HWTIMER_HAS_COUNTER); if not, say
 * once that its cases skip, and why. */
static bool
can(unsigned timer, uint32_t mode)
{
    static uint32_t said; /* bit 3 * timer + 0, 1, 2 for each mode or the counter */
    struct pica_hwtimer_info info;
    info_of(timer, &info);
    if (!(info.flags & mode)) {
        uint32_t bit = 1u << (3u * timer + (mode >> 8 ? 2u : mode - 1u));
        if (said & bit) {
            return false;
        }
        said |= bit;
        printf("hwtimer %u: no %s, its cases skip (%s)\n", timer,
               mode == PICA_HWTIMER_PERIODIC  ? "periodic mode"
               : mode == PICA_HWTIMER_ONESHOT ? "one-shot mode"
                                              : "readable counter",
               info.note != NULL ? info.note : "the device has none");
        return false;
    }
    return true;
}

/* The calls expected of a periodic timer of @period_ns in @us. */
static int64_t
expected_calls(uint64_t us, uint64_t period_ns)
{
    return (int64_t)(us * 1000u / period_ns);
}

PICA_TEST(every_timer_describes_itself)
{
    unsigned n = pica_hwtimer_number();
    pica_assert_gt(n, 0);
    pica_assert_le(n, MAX_TIMERS);
    for (unsigned t = 0; t < n; t++) {
        struct pica_hwtimer_info info;
        info_of(t, &info);
        printf("hwtimer %u: %s, %lu Hz, %u bits, periods %s..%s counts%s%s%s%s\n", t, info.name,
               (unsigned long)info.hz, info.bits, u64(info.min_counts), u64(info.max_counts),
               info.flags & PICA_HWTIMER_ONESHOT ? ", one-shot" : "",
               info.flags & PICA_HWTIMER_PERIODIC ? ", periodic" : "",
               info.flags & PICA_HWTIMER_HAS_COUNTER ? ", counter" : "",
               info.flags & PICA_HWTIMER_COUNTER_KEPT ? " (kept)" : "");
        pica_assert(info.name != NULL);
        pica_assert_gt(info.hz, 0);
        pica_assert(info.bits >= 16 && info.bits <= 64);
        pica_assert_ge(info.min_counts, 1);
        pica_assert_le(info.min_counts, info.max_counts);
        /* The ns bounds round to counts in range, and one ns beyond does not. */
        uint64_t c;
        pica_assert_eq(pica_hwtimer_ns_to_counts(info.min_ns, info.hz, &c), 0);
        pica_assert_eq(c, info.min_counts);
        pica_assert_eq(pica_hwtimer_ns_to_counts(info.min_ns - 1u, info.hz, &c), 0);
        pica_assert_lt(c, info.min_counts);
        if (info.max_ns != UINT64_MAX) {
            pica_assert_eq(pica_hwtimer_ns_to_counts(info.max_ns, info.hz, &c), 0);
            pica_assert_le(c, info.max_counts);
            pica_assert_eq(pica_hwtimer_ns_to_counts(info.max_ns + 1u, info.hz, &c), 0);
            pica_assert_gt(c, info.max_counts);
        }
        pica_assert_eq(pica_hwtimer_is_running(t), 0);
    }
#ifdef BOARD_HWTIMER_COUNTER
    pica_assert_lt(BOARD_HWTIMER_COUNTER, n); /* board_timers.h agrees with the table */
#endif
}

/* Sum the counter's steps, each shorter than half its wrap, over
 * @window_us of the kernel's clock: the count it advanced by. */
static uint64_t
count_over(unsigned timer, unsigned bits, uint64_t window_us, uint64_t *elapsed_us)
{
    uint64_t mask = bits >= 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1u;
    uint64_t total = 0;
    uint64_t last = pica_hwtimer_count(timer);
    uint64_t us0 = pica_uptime_us();
    uint64_t us;
    do {
        uint64_t now = pica_hwtimer_count(timer);
        total += (now - last) & mask;
        last = now;
        us = pica_uptime_us();
    } while (us - us0 < window_us);
    *elapsed_us = us - us0;
    return total;
}

PICA_TEST(every_counter_rises_at_its_rate)
{
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        if (!can(t, PICA_HWTIMER_HAS_COUNTER)) {
            continue;
        }
        struct pica_hwtimer_info info;
        info_of(t, &info);
        uint64_t us;
        uint64_t counts = count_over(t, info.bits, 10000u, &us);
        uint64_t want = us * info.hz / 1000000u;
        /* The clock reads in whole microseconds, and the two are read a
         * few instructions apart: allow 2 us and a count. */
        uint64_t slack = 2u * info.hz / 1000000u + 1u;
        printf("hwtimer %u: %s counts in %lu us (%s expected)\n", t, u64(counts),
               (unsigned long)us, u64(want));
        pica_assert_le(counts, want + slack);
        pica_assert_ge(counts + slack, want);
    }
}

/* Run @timer periodically for WINDOW_MS and compare its calls with the
 * periods in the kernel's measure of that stretch. */
static void
check_periodic(unsigned timer)
{
    struct probe *p = probe_reset(timer);
    uint64_t period = period_ns_of(timer);
    uint64_t us0 = pica_uptime_us();
    pica_assert_eq(pica_hwtimer_start(timer, period, PICA_HWTIMER_PERIODIC, probe_fn, p), 0);
    pica_assert_eq(pica_hwtimer_is_running(timer), 1);
    pica_assert_eq(pica_sleep(PICA_MS(WINDOW_MS)), 0);
    pica_assert_eq(pica_hwtimer_stop(timer), 0);
    uint64_t us = pica_uptime_us() - us0;
    int64_t want = expected_calls(us, period);
    printf("hwtimer %u: %u calls of %lu ns in %lu us (%ld expected)\n", timer, p->calls,
           (unsigned long)period, (unsigned long)us, (long)want);
    pica_assert_eq(p->wrong_args, 0);
    pica_assert_le((int64_t)p->calls, want + 1);
    pica_assert_ge((int64_t)p->calls, want - 1);
}

PICA_TEST(periodic_fires_once_per_period)
{
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        if (can(t, PICA_HWTIMER_PERIODIC)) {
            check_periodic(t);
        }
    }
}

/* Every periodic timer at once, each at its own period (so lines shared
 * by two timers must tell their events apart). */
PICA_TEST(periodic_timers_run_together)
{
    unsigned n = pica_hwtimer_number();
    uint64_t period[MAX_TIMERS] = {0};
    uint64_t us0 = pica_uptime_us();
    for (unsigned t = 0; t < n; t++) {
        struct probe *p = probe_reset(t);
        if (!can(t, PICA_HWTIMER_PERIODIC)) {
            continue;
        }
        struct pica_hwtimer_info info;
        info_of(t, &info);
        period[t] = period_ns_of(t) * (t + 1u);
        if (period[t] > info.max_ns) {
            period[t] = info.max_ns;
        }
        pica_assert_eq(pica_hwtimer_start(t, period[t], PICA_HWTIMER_PERIODIC, probe_fn, p), 0);
    }
    pica_assert_eq(pica_sleep(PICA_MS(WINDOW_MS)), 0);
    for (unsigned t = 0; t < n; t++) {
        pica_assert_eq(pica_hwtimer_stop(t), 0);
    }
    uint64_t us = pica_uptime_us() - us0;
    for (unsigned t = 0; t < n; t++) {
        if (period[t] == 0) {
            continue;
        }
        /* Started one after the other: each ran a little less than us. */
        int64_t want = expected_calls(us, period[t]);
        printf("hwtimer %u: %u calls of %lu ns together (%ld expected)\n", t, probes[t].calls,
               (unsigned long)period[t], (long)want);
        pica_assert_eq(probes[t].wrong_args, 0);
        pica_assert_le((int64_t)probes[t].calls, want + 1);
        pica_assert_ge((int64_t)probes[t].calls, want - 1);
    }
}

PICA_TEST(oneshot_fires_once_on_time)
{
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        if (!can(t, PICA_HWTIMER_ONESHOT)) {
            continue;
        }
        struct probe *p = probe_reset(t);
        uint64_t us0 = pica_uptime_us();
        pica_assert_eq(pica_hwtimer_start(t, ONESHOT_NS, PICA_HWTIMER_ONESHOT, probe_fn, p), 0);
        pica_assert_eq(pica_sleep(PICA_MS(5)), 0);
        uint64_t late = p->first_us - us0 - ONESHOT_NS / 1000u;
        printf("hwtimer %u: one-shot of %u us: %u call, after %lu us\n", t, ONESHOT_NS / 1000u,
               p->calls, (unsigned long)(p->first_us - us0));
        pica_assert_eq(p->calls, 1);
        pica_assert_eq(p->wrong_args, 0);
        pica_assert_eq(pica_hwtimer_is_running(t), 0);
        /* Not early (to the microsecond the clock reads), and no later than
         * the interrupt's entry. */
        pica_assert_ge(p->first_us + 1u, us0 + ONESHOT_NS / 1000u);
        pica_assert_le(late, 20);
    }
}

PICA_TEST(oneshot_starts_again_from_its_callback)
{
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        if (!can(t, PICA_HWTIMER_ONESHOT)) {
            continue;
        }
        struct probe *p = probe_reset(t);
        p->chain = 4;
        p->chain_period = period_ns_of(t);
        pica_assert_eq(pica_hwtimer_start(t, p->chain_period, PICA_HWTIMER_ONESHOT, probe_fn, p),
                       0);
        pica_assert_eq(pica_sleep(PICA_MS(5)), 0);
        pica_assert_eq(p->calls, 5);
        pica_assert_eq(p->wrong_args, 0);
        pica_assert_eq(pica_hwtimer_is_running(t), 0);
    }
}

PICA_TEST(stop_stops)
{
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        struct probe *p = probe_reset(t);
        if (can(t, PICA_HWTIMER_PERIODIC)) {
            pica_assert_eq(
                pica_hwtimer_start(t, period_ns_of(t), PICA_HWTIMER_PERIODIC, probe_fn, p), 0);
            pica_assert_eq(pica_sleep(PICA_MS(2)), 0);
            pica_assert_eq(pica_hwtimer_stop(t), 0);
            unsigned calls = p->calls;
            pica_assert_gt(calls, 0);
            pica_assert_eq(pica_sleep(PICA_MS(2)), 0);
            pica_assert_eq(p->calls, calls);
            pica_assert_eq(pica_hwtimer_is_running(t), 0);
            pica_assert_eq(pica_hwtimer_stop(t), 0); /* stopped already: nothing */
        }
        if (can(t, PICA_HWTIMER_ONESHOT)) {
            p = probe_reset(t);
            pica_assert_eq(pica_hwtimer_start(t, ONESHOT_NS, PICA_HWTIMER_ONESHOT, probe_fn, p),
                           0);
            pica_assert_eq(pica_hwtimer_stop(t), 0);
            pica_assert_eq(pica_sleep(PICA_MS(3)), 0);
            pica_assert_eq(p->calls, 0);
        }
    }
}

/* A started timer keeps its counter running where the device says so;
 * the others run freely again after a stop. */
PICA_TEST(counter_across_start_and_stop)
{
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        if (!can(t, PICA_HWTIMER_HAS_COUNTER)) {
            continue;
        }
        struct pica_hwtimer_info info;
        info_of(t, &info);
        struct probe *p = probe_reset(t);
        uint64_t us;
        if (info.flags & PICA_HWTIMER_COUNTER_KEPT) {
            uint64_t before = pica_hwtimer_count(t);
            pica_assert_eq(pica_hwtimer_start(t, ONESHOT_NS, PICA_HWTIMER_ONESHOT, probe_fn, p),
                           0);
            pica_assert_ge(pica_hwtimer_count(t), before);
            pica_assert_eq(pica_hwtimer_stop(t), 0);
        }
        uint64_t counts = count_over(t, info.bits, 1000u, &us);
        uint64_t want = us * info.hz / 1000000u;
        pica_assert_le(counts, want + 2u * info.hz / 1000000u + 1u);
        pica_assert_ge(counts + 2u * info.hz / 1000000u + 1u, want);
    }
}

PICA_TEST(bad_timers_and_periods_are_refused)
{
    unsigned n = pica_hwtimer_number();
    struct pica_hwtimer_info info;
    struct probe *p = probe_reset(0);
    pica_assert_eq(pica_hwtimer_info(n, &info), -ENODEV);
    pica_assert_eq(pica_hwtimer_start(n, PERIOD_NS, PICA_HWTIMER_ONESHOT, probe_fn, p), -ENODEV);
    pica_assert_eq(pica_hwtimer_stop(n), -ENODEV);
    pica_assert_eq(pica_hwtimer_is_running(n), -ENODEV);
    pica_assert_eq(pica_hwtimer_count(n), 0);

    info_of(0, &info);
    pica_assert_eq(pica_hwtimer_start(0, 0, PICA_HWTIMER_PERIODIC, probe_fn, p), -EINVAL);
    uint32_t in_counts = PICA_HWTIMER_PERIOD_COUNTS;
    pica_assert_eq(pica_hwtimer_start(0, info.min_counts - 1u, PICA_HWTIMER_PERIODIC | in_counts,
                                      probe_fn, p),
                   -EINVAL);
    pica_assert_eq(pica_hwtimer_start(0, info.max_counts + 1u, PICA_HWTIMER_ONESHOT | in_counts,
                                      probe_fn, p),
                   -EINVAL);
    pica_assert_eq(pica_hwtimer_start(0, info.min_ns - 1u, PICA_HWTIMER_ONESHOT, probe_fn, p),
                   -EINVAL);
    if (info.max_ns != UINT64_MAX) {
        pica_assert_eq(pica_hwtimer_start(0, info.max_ns + 1u, PICA_HWTIMER_ONESHOT, probe_fn, p),
                       -EINVAL);
    }
    if (PICA_CFG_CHECK_PANIC) {
        printf("hwtimer: argument checks panic in this configuration: bad flags skipped\n");
        return;
    }
    pica_assert_eq(pica_hwtimer_info(0, NULL), -EINVAL);
    pica_assert_eq(pica_hwtimer_start(0, PERIOD_NS, 0, probe_fn, p), -EINVAL);
    pica_assert_eq(pica_hwtimer_start(0, PERIOD_NS, PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC,
                                      probe_fn, p),
                   -EINVAL);
    pica_assert_eq(
        pica_hwtimer_start(0, PERIOD_NS, PICA_HWTIMER_ONESHOT | (1u << 12), probe_fn, p), -EINVAL);
    pica_assert_eq(pica_hwtimer_start(0, PERIOD_NS, PICA_HWTIMER_ONESHOT, NULL, p), -EINVAL);
    pica_assert_eq(pica_hwtimer_is_running(0), 0);
}

PICA_TEST(busy_timers_and_missing_modes_are_refused)
{
    unsigned n = pica_hwtimer_number();
    struct pica_hwtimer_info info;
    struct probe *p = probe_reset(0);
    unsigned busy = 0;
    while (busy < n && !can(busy, PICA_HWTIMER_ONESHOT)) {
        busy++;
    }
    if (busy < n) {
        uint64_t period = period_ns_of(busy);
        pica_assert_eq(pica_hwtimer_start(busy, period, PICA_HWTIMER_ONESHOT, probe_fn, p), 0);
        pica_assert_eq(pica_hwtimer_start(busy, period, PICA_HWTIMER_ONESHOT, probe_fn, p),
                       -EBUSY);
        pica_assert_eq(pica_hwtimer_stop(busy), 0);
    } else {
        printf("hwtimer: no timer can start here: -EBUSY not exercised\n");
    }

    bool lacks_a_mode = false;
    for (unsigned t = 0; t < n; t++) {
        info_of(t, &info);
        uint32_t missing = ~info.flags & (PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC);
        if (missing != 0) {
            lacks_a_mode = true;
            uint32_t mode = missing & PICA_HWTIMER_ONESHOT ? PICA_HWTIMER_ONESHOT
                                                           : PICA_HWTIMER_PERIODIC;
            pica_assert_eq(pica_hwtimer_start(t, period_ns_of(t), mode, probe_fn, p), -ENOTSUP);
        }
    }
    if (!lacks_a_mode) {
        printf("hwtimer: every timer here has both modes: -ENOTSUP not exercised\n");
    }
}

#ifdef __riscv
/* RV32 filters nesting lazily (arch/riscv32/plic.c): a handler runs with
 * interrupts open, and a less urgent interrupt that arrives is put off
 * then. A timer's interrupt, through the PLIC or the machine timer, and the
 * kernel's tick fall due while a more urgent software line's handler
 * spins: none runs inside it, each runs once after it. */
#define SPIN_US 3000u
static struct probe *spin_probe;
static volatile unsigned calls_inside;

static void
urgent_spin_isr(void)
{
    uint64_t until = pica_uptime_us() + SPIN_US;
    while (pica_uptime_us() < until) {
    }
    calls_inside = spin_probe->calls;
}

PICA_TEST(device_interrupt_and_tick_wait_for_a_more_urgent_handler)
{
    unsigned line = arch_irq_lines() - 1u;
    pica_assert_eq(pica_irq_attach_direct(line, urgent_spin_isr, PICA_CFG_IRQ_PRIO_DEFAULT - 2u), 0);
    pica_assert_eq(pica_irq_enable(line), 0);
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        if (!can(t, PICA_HWTIMER_ONESHOT)) {
            continue;
        }
        spin_probe = probe_reset(t);
        calls_inside = ~0u;
        pica_tick_t tick0 = pica_tick_now();
        pica_assert_eq(pica_hwtimer_start(t, ONESHOT_NS, PICA_HWTIMER_ONESHOT, probe_fn, spin_probe),
                       0);
        pica_assert_eq(pica_irq_trigger(line), 0);
        pica_assert_eq(calls_inside, 0);
        pica_assert_eq(pica_sleep(PICA_MS(2)), 0); /* the tick is back */
        printf("hwtimer %u: %u call inside the urgent handler, %u after; ticks %s\n", t,
               calls_inside, spin_probe->calls, u64(pica_tick_now() - tick0));
        pica_assert_eq(spin_probe->calls, 1);
        pica_assert_ge(pica_tick_now() - tick0, PICA_MS(2));
    }
    pica_assert_eq(pica_irq_detach(line), 0);
}
#endif

/* The test framework's device timer is one of these, where the board has
 * one. */
static void
devtimer_nop(void)
{
}

PICA_TEST(test_framework_devtimer_is_a_hwtimer)
{
    int err = pica_test_devtimer_start(PERIOD_NS, devtimer_nop);
    if (err == -ENOTSUP) {
        printf("hwtimer: no device timer for the test framework here (-ENOTSUP)\n");
        return;
    }
    pica_assert_eq(err, 0);
    unsigned running = 0;
    for (unsigned t = 0; t < pica_hwtimer_number(); t++) {
        running += pica_hwtimer_is_running(t) == 1;
    }
    pica_test_devtimer_stop();
    pica_assert_eq(running, 1);
}

int
main(void)
{
    pica_test_run();
}
