/* SPDX-License-Identifier: MIT */
/* The portable half of hardware timers (drivers/timer/hwtimer.c) against a
 * made-up board: four timers on fake device models, two of them sharing an
 * interrupt line and one without a line, with the kernel's lock and
 * interrupt installation faked. Checks the period conversion against
 * 128-bit arithmetic, the ranges pica_hwtimer_info() states, every refusal
 * (and that it changes nothing), the lock around each hook, lazy init,
 * line sharing and the dispatch of callbacks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pica/config.h>
#include <pica/errno.h>
#include <pica/hwtimer.h>
#include <pica/irq.h>

#include "fake_irq.h"
#include "hwtimer_dev.h"

/* ---- device models, faked: dev->base points at one of these ---- */

struct fake_dev {
    uint64_t count;
    uint64_t started_period;
    bool started_periodic;
    bool armed;
    bool due; /* what the next isr() reports */
    unsigned init_calls, start_calls, stop_calls, isr_calls;
    unsigned hooks_unlocked; /* hooks called without the lock */
    unsigned hooks_before_init;
    bool drop_periodic; /* init clears PICA_HWTIMER_PERIODIC */
};

static struct fake_dev fakes[4];

static struct fake_dev *
fake(const struct hwtimer_dev *dev)
{
    return (struct fake_dev *)dev->base;
}

static void
hook_check(struct fake_dev *f)
{
    if (fake_lock_depth == 0) {
        f->hooks_unlocked++;
    }
    if (f->init_calls == 0) {
        f->hooks_before_init++;
    }
}

static uint32_t
fake_init(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    struct fake_dev *f = fake(dev);
    if (fake_lock_depth == 0) {
        f->hooks_unlocked++;
    }
    f->init_calls++;
    if (f->drop_periodic) {
        st->flags &= ~(uint32_t)PICA_HWTIMER_PERIODIC;
        st->note = "no periodic here";
    }
    return dev->hz;
}

static uint64_t
fake_count(const struct hwtimer_dev *dev)
{
    struct fake_dev *f = fake(dev);
    if (f->init_calls == 0) {
        f->hooks_before_init++;
    }
    return f->count;
}

static void
fake_start(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    struct fake_dev *f = fake(dev);
    hook_check(f);
    f->start_calls++;
    f->started_period = st->period;
    f->started_periodic = st->periodic;
    f->armed = true;
}

static void
fake_stop(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    (void)st;
    struct fake_dev *f = fake(dev);
    hook_check(f);
    f->stop_calls++;
    f->armed = false;
}

static bool
fake_isr(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    struct fake_dev *f = fake(dev);
    hook_check(f);
    f->isr_calls++;
    bool due = f->due;
    f->due = false;
    if (due && !st->periodic) {
        f->armed = false;
    }
    return due;
}

static const struct hwtimer_ops both_ops = {
    .init = fake_init,
    .count = fake_count,
    .start = fake_start,
    .stop = fake_stop,
    .isr = fake_isr,
    .flags = PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC | PICA_HWTIMER_HAS_COUNTER,
    .min_counts = 2,
};

static const struct hwtimer_ops oneshot_ops = {
    .init = fake_init,
    .count = fake_count,
    .start = fake_start,
    .stop = fake_stop,
    .isr = fake_isr,
    .flags = PICA_HWTIMER_ONESHOT,
    .min_counts = 10,
};

/* 0: 25 MHz, 32 bits, line 3; 1 and 2: 1 GHz on line 5 (16 and 32 bits);
 * 3: 10 MHz, 64 bits, one-shot only, no line. */
static const struct hwtimer_dev devs[] = {
    {.ops = &both_ops, .name = "t0", .base = (uintptr_t)&fakes[0], .hz = 25000000u, .irq = 3,
     .bits = 32},
    {.ops = &both_ops, .name = "t1", .base = (uintptr_t)&fakes[1], .hz = 1000000000u, .irq = 5,
     .bits = 16},
    {.ops = &both_ops, .name = "t2", .base = (uintptr_t)&fakes[2], .hz = 1000000000u, .irq = 5,
     .bits = 32},
    {.ops = &oneshot_ops, .name = "t3", .base = (uintptr_t)&fakes[3], .hz = 10000000u,
     .irq = HWTIMER_NO_IRQ, .bits = 64},
};

HWTIMER_BOARD_DEFINE(devs, 2);

/* ---- callbacks ---- */

struct calls {
    unsigned n;
    unsigned last_timer;
    unsigned locked; /* calls made with the lock held */
    bool restart;    /* start the same one-shot again from the callback */
    int restart_result;
};

static struct calls calls[4];

static void
callback(unsigned timer, void *arg)
{
    struct calls *c = arg;
    c->n++;
    c->last_timer = timer;
    if (fake_lock_depth != 0) {
        c->locked++;
    }
    if (c->restart) {
        c->restart = false;
        c->restart_result = pica_hwtimer_start(timer, 1000u, PICA_HWTIMER_ONESHOT, callback, c);
    }
}

static int
reset(void **state)
{
    (void)state;
    memset(fakes, 0, sizeof(fakes));
    memset(calls, 0, sizeof(calls));
    memset(hwtimer_state_, 0, sizeof(hwtimer_state_));
    fake_irq_reset();
    return 0;
}

/* ---- period conversion ---- */

static uint64_t
reference_counts(uint64_t ns, uint32_t hz, bool *fits)
{
    unsigned __int128 c = ((unsigned __int128)ns * hz + 500000000u) / 1000000000u;
    *fits = c <= UINT64_MAX;
    return (uint64_t)c;
}

static void
test_hwtimer_ns_to_counts_rounds_to_nearest(void **state)
{
    (void)state;
    uint64_t c;
    assert_int_equal(pica_hwtimer_ns_to_counts(0, 25000000u, &c), 0);
    assert_int_equal(c, 0);
    assert_int_equal(pica_hwtimer_ns_to_counts(19, 25000000u, &c), 0); /* 0.475 */
    assert_int_equal(c, 0);
    assert_int_equal(pica_hwtimer_ns_to_counts(20, 25000000u, &c), 0); /* 0.5: half up */
    assert_int_equal(c, 1);
    assert_int_equal(pica_hwtimer_ns_to_counts(60, 25000000u, &c), 0); /* 1.5 */
    assert_int_equal(c, 2);
    assert_int_equal(pica_hwtimer_ns_to_counts(1000000u, 12500000u, &c), 0);
    assert_int_equal(c, 12500);
    assert_int_equal(pica_hwtimer_ns_to_counts(123456789u, 1000000000u, &c), 0);
    assert_int_equal(c, 123456789u);
    assert_int_equal(pica_hwtimer_ns_to_counts(UINT64_MAX, 1000000000u, &c), 0);
    assert_true(c == UINT64_MAX);
}

static void
test_hwtimer_ns_to_counts_refuses_what_does_not_fit(void **state)
{
    (void)state;
    uint64_t c = 7;
    assert_int_equal(pica_hwtimer_ns_to_counts(UINT64_MAX, 1000000001u, &c), -EINVAL);
    assert_int_equal(pica_hwtimer_ns_to_counts(UINT64_MAX / 2u, UINT32_MAX, &c), -EINVAL);
    assert_int_equal(pica_hwtimer_ns_to_counts(1000u, 0, &c), -EINVAL);
    assert_int_equal(c, 7);
    assert_int_equal(pica_hwtimer_ns_to_counts(1000u, 1000u, NULL), -EINVAL);
}

static void
test_hwtimer_ns_to_counts_matches_128_bit_arithmetic(void **state)
{
    (void)state;
    static const uint32_t rates[] = {1, 32768, 10000000u, 12500000u, 25000000u, 84000000u,
                                     1000000000u, UINT32_MAX};
    uint64_t x = 0x9e3779b97f4a7c15u;
    for (unsigned i = 0; i < 200000; i++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint64_t ns = x >> (x % 64u); /* every magnitude */
        uint32_t hz = rates[i % (sizeof(rates) / sizeof(rates[0]))];
        bool fits;
        uint64_t want = reference_counts(ns, hz, &fits);
        uint64_t c = 0;
        int err = pica_hwtimer_ns_to_counts(ns, hz, &c);
        if (fits) {
            assert_int_equal(err, 0);
            assert_true(c == want);
        } else {
            assert_int_equal(err, -EINVAL);
        }
    }
}

/* The stated ns range is exactly what rounds into the count range. */
static void
test_hwtimer_info_ns_bounds_are_exact(void **state)
{
    (void)state;
    for (unsigned t = 0; t < board_hwtimer.count; t++) {
        struct pica_hwtimer_info info;
        assert_int_equal(pica_hwtimer_info(t, &info), 0);
        assert_string_equal(info.name, devs[t].name);
        assert_int_equal(info.hz, devs[t].hz);
        assert_int_equal(info.bits, devs[t].bits);
        assert_int_equal(info.min_counts, devs[t].ops->min_counts);
        assert_true(info.max_counts == hwtimer_max_counts(devs[t].bits));
        uint64_t c;
        assert_int_equal(pica_hwtimer_ns_to_counts(info.min_ns, info.hz, &c), 0);
        assert_true(c >= info.min_counts);
        assert_int_equal(pica_hwtimer_ns_to_counts(info.min_ns - 1u, info.hz, &c), 0);
        assert_true(c < info.min_counts);
        if (info.max_ns != UINT64_MAX) {
            assert_int_equal(pica_hwtimer_ns_to_counts(info.max_ns, info.hz, &c), 0);
            assert_true(c <= info.max_counts);
            assert_int_equal(pica_hwtimer_ns_to_counts(info.max_ns + 1u, info.hz, &c), 0);
            assert_true(c > info.max_counts);
        }
    }
    struct pica_hwtimer_info info;
    assert_int_equal(pica_hwtimer_info(1, &info), 0);
    assert_true(info.max_counts == 65536u);
    assert_true(info.max_ns == 65536u);
    assert_int_equal(pica_hwtimer_info(3, &info), 0);
    assert_true(info.max_counts == (uint64_t)1 << 60);
    assert_true(info.max_ns == UINT64_MAX); /* 2^60 counts at 10 MHz: beyond 64-bit ns */
}

/* ---- arguments ---- */

static void
test_hwtimer_unknown_timers_are_refused_with_enodev(void **state)
{
    (void)state;
    struct pica_hwtimer_info info;
    assert_int_equal(pica_hwtimer_number(), 4);
    assert_int_equal(pica_hwtimer_info(4, &info), -ENODEV);
    assert_int_equal(pica_hwtimer_start(4, 1000u, PICA_HWTIMER_ONESHOT, callback, NULL), -ENODEV);
    assert_int_equal(pica_hwtimer_stop(4), -ENODEV);
    assert_int_equal(pica_hwtimer_is_running(4), -ENODEV);
    assert_true(pica_hwtimer_count(4) == 0);
    assert_true(pica_hwtimer_count(UINT32_MAX) == 0);
}

static void
test_hwtimer_bad_arguments_are_einval_and_change_nothing(void **state)
{
    (void)state;
    struct calls *c = &calls[0];
    assert_int_equal(pica_hwtimer_info(0, NULL), -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, 1000u, 0, callback, c), -EINVAL);
    assert_int_equal(
        pica_hwtimer_start(0, 1000u, PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC, callback, c),
        -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_ONESHOT | (1u << 8), callback, c),
                     -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_PERIODIC, NULL, c), -EINVAL);
    /* 25 MHz, 2 .. 2^32 counts: 60 ns .. 171798691820 ns. */
    assert_int_equal(pica_hwtimer_start(0, 59u, PICA_HWTIMER_PERIODIC, callback, c), -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, 171798691860u, PICA_HWTIMER_PERIODIC, callback, c),
                     -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, UINT64_MAX, PICA_HWTIMER_PERIODIC, callback, c),
                     -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, 1u, PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIOD_COUNTS,
                                        callback, c),
                     -EINVAL);
    assert_int_equal(pica_hwtimer_start(0, ((uint64_t)1 << 32) + 1u,
                                        PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIOD_COUNTS,
                                        callback, c),
                     -EINVAL);
    assert_int_equal(pica_hwtimer_start(1, 65537u,
                                        PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIOD_COUNTS,
                                        callback, c),
                     -EINVAL);
    assert_int_equal(fakes[0].start_calls + fakes[1].start_calls, 0);
    assert_int_equal(fake_attach_calls, 0);
    assert_int_equal(pica_hwtimer_is_running(0), 0);
    /* The bounds themselves are taken. */
    assert_int_equal(pica_hwtimer_start(0, 60u, PICA_HWTIMER_PERIODIC, callback, c), 0);
    assert_int_equal(fakes[0].started_period, 2);
    assert_int_equal(pica_hwtimer_stop(0), 0);
    assert_int_equal(pica_hwtimer_start(0, 171798691840u, PICA_HWTIMER_ONESHOT, callback, c), 0);
    assert_true(fakes[0].started_period == (uint64_t)1 << 32);
}

static void
test_hwtimer_a_mode_the_device_lacks_is_enotsup(void **state)
{
    (void)state;
    assert_int_equal(pica_hwtimer_start(3, 1000000u, PICA_HWTIMER_PERIODIC, callback, calls),
                     -ENOTSUP);
    assert_int_equal(fakes[3].start_calls, 0);
    /* Range before mode: an out-of-range period is -EINVAL either way. */
    assert_int_equal(pica_hwtimer_start(3, 1u, PICA_HWTIMER_PERIODIC, callback, calls), -EINVAL);
    assert_int_equal(pica_hwtimer_start(3, 1000000u, PICA_HWTIMER_ONESHOT, callback, calls), 0);
    assert_int_equal(fakes[3].started_period, 10000);
}

static void
test_hwtimer_init_may_take_a_mode_away_and_say_why(void **state)
{
    (void)state;
    fakes[0].drop_periodic = true;
    struct pica_hwtimer_info info;
    assert_int_equal(pica_hwtimer_info(0, &info), 0);
    assert_int_equal(info.flags & PICA_HWTIMER_PERIODIC, 0);
    assert_string_equal(info.note, "no periodic here");
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_PERIODIC, callback, calls),
                     -ENOTSUP);
    assert_int_equal(pica_hwtimer_info(2, &info), 0);
    assert_null(info.note);
}

static void
test_hwtimer_a_running_timer_is_busy(void **state)
{
    (void)state;
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_PERIODIC, callback, calls), 0);
    assert_int_equal(pica_hwtimer_is_running(0), 1);
    assert_int_equal(pica_hwtimer_start(0, 2000u, PICA_HWTIMER_ONESHOT, callback, calls), -EBUSY);
    assert_int_equal(fakes[0].start_calls, 1);
    assert_int_equal(fakes[0].started_period, 25); /* 1000 ns at 25 MHz */
    assert_true(fakes[0].started_periodic);
}

static void
test_hwtimer_a_failed_line_install_starts_nothing(void **state)
{
    (void)state;
    fake_attach_error = -EBUSY;
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_ONESHOT, callback, calls), -EBUSY);
    assert_int_equal(fakes[0].start_calls, 0);
    assert_int_equal(pica_hwtimer_is_running(0), 0);
    fake_attach_error = 0;
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_ONESHOT, callback, calls), 0);
    assert_int_equal(fake_lines[3].prio, PICA_CFG_IRQ_PRIO_DEFAULT);
}

/* ---- hooks and dispatch ---- */

static void
test_hwtimer_init_runs_once_before_any_other_hook_and_hooks_hold_the_lock(void **state)
{
    (void)state;
    fakes[2].count = 1234;
    assert_true(pica_hwtimer_count(2) == 1234);
    assert_true(pica_hwtimer_count(2) == 1234);
    assert_int_equal(pica_hwtimer_start(2, 500u, PICA_HWTIMER_PERIODIC, callback, &calls[2]), 0);
    fakes[2].due = true;
    fake_irq_fire(5);
    assert_int_equal(pica_hwtimer_stop(2), 0);
    assert_int_equal(fakes[2].init_calls, 1);
    assert_int_equal(fakes[2].hooks_before_init, 0);
    assert_int_equal(fakes[2].hooks_unlocked, 0);
    assert_int_equal(calls[2].n, 1);
    assert_int_equal(calls[2].locked, 0); /* callbacks run outside the lock */
    assert_int_equal(fake_lock_depth, 0);
}

static void
test_hwtimer_timers_sharing_a_line_install_it_once_and_each_sees_its_own_events(void **state)
{
    (void)state;
    assert_int_equal(pica_hwtimer_start(1, 1000u, PICA_HWTIMER_PERIODIC, callback, &calls[1]), 0);
    assert_int_equal(pica_hwtimer_start(2, 3000u, PICA_HWTIMER_PERIODIC, callback, &calls[2]), 0);
    assert_int_equal(fake_attach_calls, 1);
    fakes[2].due = true;
    fake_irq_fire(5);
    assert_int_equal(calls[1].n, 0);
    assert_int_equal(calls[2].n, 1);
    assert_int_equal(calls[2].last_timer, 2);
    fakes[1].due = true;
    fakes[2].due = true;
    fake_irq_fire(5);
    assert_int_equal(calls[1].n, 1);
    assert_int_equal(calls[1].last_timer, 1);
    assert_int_equal(calls[2].n, 2);
    /* A stopped timer's isr is not consulted, and runs no callback. */
    assert_int_equal(pica_hwtimer_stop(1), 0);
    unsigned isr_calls = fakes[1].isr_calls;
    fakes[1].due = true;
    fake_irq_fire(5);
    assert_int_equal(fakes[1].isr_calls, isr_calls);
    assert_int_equal(calls[1].n, 1);
    assert_int_equal(calls[2].n, 2); /* its isr said not due */
    /* Started again, the line is not installed again. */
    assert_int_equal(pica_hwtimer_start(1, 1000u, PICA_HWTIMER_ONESHOT, callback, &calls[1]), 0);
    assert_int_equal(fake_attach_calls, 1);
}

static void
test_hwtimer_a_oneshot_stops_before_its_callback_which_may_start_it_again(void **state)
{
    (void)state;
    calls[0].restart = true;
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_ONESHOT, callback, &calls[0]), 0);
    fakes[0].due = true;
    fake_irq_fire(3);
    assert_int_equal(calls[0].n, 1);
    assert_int_equal(calls[0].restart_result, 0);
    assert_int_equal(pica_hwtimer_is_running(0), 1);
    assert_int_equal(fakes[0].start_calls, 2);
    fakes[0].due = true;
    fake_irq_fire(3);
    assert_int_equal(calls[0].n, 2);
    assert_int_equal(pica_hwtimer_is_running(0), 0);
    /* A stale interrupt after it ended runs nothing. */
    fakes[0].due = true;
    fake_irq_fire(3);
    assert_int_equal(calls[0].n, 2);
}

static void
test_hwtimer_a_periodic_timer_keeps_running_until_stopped(void **state)
{
    (void)state;
    assert_int_equal(pica_hwtimer_start(0, 1000u, PICA_HWTIMER_PERIODIC, callback, &calls[0]), 0);
    for (unsigned i = 0; i < 5; i++) {
        fakes[0].due = true;
        fake_irq_fire(3);
        fake_irq_fire(3); /* not due: no call */
    }
    assert_int_equal(calls[0].n, 5);
    assert_int_equal(pica_hwtimer_is_running(0), 1);
    assert_int_equal(pica_hwtimer_stop(0), 0);
    assert_int_equal(pica_hwtimer_stop(0), 0); /* stopped already: no hook */
    assert_int_equal(fakes[0].stop_calls, 1);
    assert_int_equal(pica_hwtimer_is_running(0), 0);
}

static void
test_hwtimer_a_device_without_a_line_reports_through_hwtimer_event(void **state)
{
    (void)state;
    assert_int_equal(pica_hwtimer_start(3, 5000u, PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIOD_COUNTS,
                                        callback, &calls[3]),
                     0);
    assert_int_equal(fake_attach_calls, 0);
    fakes[3].due = true;
    hwtimer_event(&devs[3]);
    assert_int_equal(calls[3].n, 1);
    assert_int_equal(calls[3].last_timer, 3);
    assert_int_equal(pica_hwtimer_is_running(3), 0);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_hwtimer_ns_to_counts_rounds_to_nearest, reset),
        cmocka_unit_test_setup(test_hwtimer_ns_to_counts_refuses_what_does_not_fit, reset),
        cmocka_unit_test_setup(test_hwtimer_ns_to_counts_matches_128_bit_arithmetic, reset),
        cmocka_unit_test_setup(test_hwtimer_info_ns_bounds_are_exact, reset),
        cmocka_unit_test_setup(test_hwtimer_unknown_timers_are_refused_with_enodev, reset),
        cmocka_unit_test_setup(test_hwtimer_bad_arguments_are_einval_and_change_nothing, reset),
        cmocka_unit_test_setup(test_hwtimer_a_mode_the_device_lacks_is_enotsup, reset),
        cmocka_unit_test_setup(test_hwtimer_init_may_take_a_mode_away_and_say_why, reset),
        cmocka_unit_test_setup(test_hwtimer_a_running_timer_is_busy, reset),
        cmocka_unit_test_setup(test_hwtimer_a_failed_line_install_starts_nothing, reset),
        cmocka_unit_test_setup(
            test_hwtimer_init_runs_once_before_any_other_hook_and_hooks_hold_the_lock, reset),
        cmocka_unit_test_setup(
            test_hwtimer_timers_sharing_a_line_install_it_once_and_each_sees_its_own_events,
            reset),
        cmocka_unit_test_setup(
            test_hwtimer_a_oneshot_stops_before_its_callback_which_may_start_it_again, reset),
        cmocka_unit_test_setup(test_hwtimer_a_periodic_timer_keeps_running_until_stopped, reset),
        cmocka_unit_test_setup(test_hwtimer_a_device_without_a_line_reports_through_hwtimer_event,
                               reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
