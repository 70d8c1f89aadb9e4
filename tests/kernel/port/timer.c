/* SPDX-License-Identifier: MIT */
/* The port's timer (arch.h): a periodic setting interrupts at the absolute
 * counts first + k * period, whatever the distance to the first and without
 * drift; one already past or too near fires at once and then keeps the
 * phase; a one-shot fires at its count and not before; each setting
 * replaces the last. The timer is taken from the kernel while a test runs
 * (port.h); interrupts are timed at entry, so each may be late by the entry
 * path (LATE) but never early. Every check runs after the timer is back. */
#include <pica/pica.h>
#include <pica/test.h>

#include "arch.h"
#include "port.h"

static uint64_t hz;
/* Entry path from the compare match to the logged count: some dozens of
 * instructions; 0.5 us, tight enough that a drift of a few counts per
 * period shows within the periods a test waits for. */
static uint64_t late;
/* How soon a setting already due fires: the hardware's shortest distance
 * (SysTick: 64 counts) plus the entry path; 10 us. */
static uint64_t soon;

static void
timer_rates(void)
{
    hz = arch_timer_hz();
    late = hz / 2000000u + 2u;
    soon = hz / 100000u + late;
}

/* Arm a periodic setting at @first relative to the count now; returns the
 * count at which it was armed. */
static uint64_t
periodic_from_now(int64_t first_offset, uint32_t period, uint64_t *first)
{
    unsigned key = arch_irq_lock();
    port_timer_take_locked(NULL);
    uint64_t now = arch_timer_cycles();
    *first = now + (uint64_t)first_offset;
    arch_timer_periodic(*first, period);
    arch_irq_unlock(key);
    return now;
}

/* Interrupts from log entry @from on fall on consecutive boundaries
 * first + (k0 + k) * period, each within LATE after it. */
static void
assert_on_phase(unsigned from, unsigned n, uint64_t first, uint64_t k0, uint32_t period)
{
    for (unsigned i = from; i < n; i++) {
        uint64_t boundary = first + (k0 + (i - from)) * period;
        pica_assert_ge(port_timer_log.at[i], boundary);
        pica_assert_le(port_timer_log.at[i] - boundary, late);
    }
}

PICA_TEST(periodic_timer_fires_at_first_plus_k_periods)
{
    timer_rates();
    /* An odd period, first off any tick boundary: nothing lines up by luck. */
    uint32_t period = (uint32_t)(hz / 2000u) + 13u;
    uint64_t first;
    periodic_from_now(3 * (int64_t)period + 5, period, &first);
    unsigned n = port_timer_wait(24, first + 28u * period);
    port_timer_give_back();
    pica_assert_ge(n, 24);
    assert_on_phase(0, 24, first, 0, period);
}

PICA_TEST(periodic_timer_with_its_first_count_past_fires_at_once_then_keeps_the_phase)
{
    timer_rates();
    uint32_t period = (uint32_t)(hz / 1000u) + 7u;
    uint64_t first;
    uint64_t armed = periodic_from_now(-(3 * (int64_t)period + (int64_t)period / 2), period,
                                       &first);
    unsigned n = port_timer_wait(12, armed + 16u * period);
    port_timer_give_back();
    pica_assert_ge(n, 12);
    pica_assert_le(port_timer_log.at[0] - armed, soon);
    /* Then every boundary after that first interrupt, none skipped. */
    uint64_t k0 = (port_timer_log.at[0] - first) / period + 1u;
    assert_on_phase(1, 12, first, k0, period);
}

PICA_TEST(periodic_timer_with_its_first_count_too_near_fires_at_once_then_keeps_the_phase)
{
    timer_rates();
    uint32_t period = (uint32_t)(hz / 1000u) + 7u;
    uint64_t first;
    periodic_from_now(1, period, &first);
    unsigned n = port_timer_wait(12, first + 16u * period);
    port_timer_give_back();
    pica_assert_ge(n, 12);
    pica_assert_ge(port_timer_log.at[0], first);
    pica_assert_le(port_timer_log.at[0] - first, soon);
    assert_on_phase(1, 12, first, 1, period);
}

/* A one-shot stays quiet once it has fired, as the kernel makes it. */
static void
oneshot_quiet(void)
{
    arch_timer_oneshot(UINT64_MAX);
}

/* Arm a one-shot @delay counts from now; returns the count it was armed at
 * and the interrupts logged up to 2 ms after the deadline. */
static unsigned
oneshot_after(int64_t delay, uint64_t *armed, uint64_t *deadline)
{
    unsigned key = arch_irq_lock();
    port_timer_take_locked(oneshot_quiet);
    *armed = arch_timer_cycles();
    *deadline = *armed + (uint64_t)delay;
    arch_timer_oneshot(*deadline);
    arch_irq_unlock(key);
    uint64_t end = (delay > 0 ? *deadline : *armed) + hz / 500u;
    unsigned n = port_timer_wait(2, end);
    port_timer_give_back();
    return n;
}

PICA_TEST(oneshot_timer_fires_at_its_count_and_not_before)
{
    timer_rates();
    /* From just past the hardware's shortest distance to 20 ms, within
     * every port's range (SysTick: 2^24 counts). */
    const uint64_t delays[] = {hz / 50000u + 1u, hz / 10000u + 3u, hz / 1000u + 7u,
                               hz / 100u + 11u, hz / 50u + 1u};
    for (unsigned i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
        uint64_t armed, deadline;
        unsigned n = oneshot_after((int64_t)delays[i], &armed, &deadline);
        pica_assert_eq(n, 1);
        pica_assert_ge(port_timer_log.at[0], deadline);
        pica_assert_le(port_timer_log.at[0] - deadline, late);
    }
}

PICA_TEST(oneshot_timer_already_due_fires_at_once)
{
    timer_rates();
    const int64_t delays[] = {-(int64_t)(hz / 1000u), -1, 0, 1};
    for (unsigned i = 0; i < sizeof(delays) / sizeof(delays[0]); i++) {
        uint64_t armed, deadline;
        unsigned n = oneshot_after(delays[i], &armed, &deadline);
        pica_assert_eq(n, 1);
        pica_assert_ge(port_timer_log.at[0], deadline);
        pica_assert_le(port_timer_log.at[0] - armed, soon);
    }
}

PICA_TEST(each_timer_setting_replaces_the_last)
{
    timer_rates();
    uint32_t period = (uint32_t)(hz / 2000u);
    unsigned key = arch_irq_lock();
    port_timer_take_locked(oneshot_quiet);
    uint64_t now = arch_timer_cycles();
    arch_timer_periodic(now + period, period);
    uint64_t deadline = now + 10u * period;
    arch_timer_oneshot(deadline); /* no periodic interrupt may remain */
    arch_irq_unlock(key);
    unsigned n = port_timer_wait(2, deadline + 5u * period);
    port_timer_give_back();
    pica_assert_eq(n, 1);
    pica_assert_ge(port_timer_log.at[0], deadline);
    pica_assert_le(port_timer_log.at[0] - deadline, late);
}

PICA_TEST(kernel_time_goes_on_after_the_timer_is_given_back)
{
    pica_tick_t before = pica_tick_now();
    pica_assert_eq(pica_sleep(PICA_TICKS(3)), 0);
    pica_assert_eq(pica_tick_now() - before, 3);
}
