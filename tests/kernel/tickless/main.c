/* SPDX-License-Identifier: MIT */
/* Kernel time against interrupts the kernel does not cause. A device timer
 * of the board wakes a thread at rates faster and slower than the tick
 * while another thread sleeps, so the idle thread keeps stopping the tick
 * and a non-timer wake keeps restarting it. A sleep of N ticks must still
 * end on tick N, and N ticks must be N tick periods of the microsecond
 * clock: restarting the tick never moves its boundaries. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <stdbool.h>
#include <stdio.h>

#define TICK_US (1000000u / PICA_CFG_TICK_HZ)
#define SLEEP_TICKS 12u

static struct pica_sem wake;
static volatile uint32_t device_irqs;
static volatile uint32_t irq_limit;
static volatile uint32_t wakes;

/* The device's handler wakes the listener; past the limit it stops the
 * device, so a kernel that loses the tick under this load shows up as a
 * late wake instead of a hang. */
static void
device_tick(void)
{
    if (++device_irqs >= irq_limit) {
        pica_test_devtimer_stop();
    }
    pica_sem_give(&wake);
}

static void
listener(void *arg)
{
    (void)arg;
    for (;;) {
        if (pica_sem_take(&wake, PICA_FOREVER) == 0) {
            wakes++;
        }
    }
}

/* Sleep on a tick boundary first, so that the sleep measured starts at the
 * beginning of a tick: its length in microseconds is then known to within
 * the wake's own latency. */
static void
sleep_measured(uint32_t ticks, pica_tick_t *elapsed_ticks, uint64_t *elapsed_us)
{
    pica_assert_eq(pica_sleep(PICA_TICKS(1)), 0);
    pica_tick_t t0 = pica_tick_now();
    uint64_t us0 = pica_uptime_us();
    pica_assert_eq(pica_sleep(PICA_TICKS(ticks)), 0);
    *elapsed_ticks = pica_tick_now() - t0;
    *elapsed_us = pica_uptime_us() - us0;
}

/* Whether the board has a device timer; if not, say the test skips. */
static bool
have_devtimer(void)
{
    irq_limit = 1;
    if (pica_test_devtimer_start(1000000, device_tick) == -ENOTSUP) {
        printf("  skipped: no device timer on this board\n");
        return false;
    }
    pica_test_devtimer_stop();
    return true;
}

static void
run_at_rate(uint32_t period_ns)
{
    device_irqs = 0;
    wakes = 0;
    /* Enough interrupts for three times the sleep: the stop is a backstop. */
    uint64_t limit = (uint64_t)3u * SLEEP_TICKS * TICK_US * 1000u / period_ns + 2u;
    irq_limit = (uint32_t)limit;
    pica_assert_eq(pica_test_devtimer_start(period_ns, device_tick), 0);
    pica_tick_t ticks;
    uint64_t us;
    sleep_measured(SLEEP_TICKS, &ticks, &us);
    pica_test_devtimer_stop();
    pica_assert_gt(wakes, 0); /* the device really woke the listener */
    pica_assert_eq(ticks, SLEEP_TICKS);
    /* From a tick's start to the wake after N boundaries: N periods, plus
     * the wake's latency (well under a tenth of a tick). */
    pica_assert_ge(us, (uint64_t)SLEEP_TICKS * TICK_US);
    pica_assert_lt(us, (uint64_t)SLEEP_TICKS * TICK_US + TICK_US / 10u);
}

static struct pica_thread listener_thread;
PICA_THREAD_STACK_DEFINE(listener_stack, 1024);

PICA_TEST(setup)
{
    pica_assert_eq(pica_sem_init(&wake, 0, 1000000), 0);
    pica_assert_eq(pica_thread_create(&listener_thread, "listener", listener, NULL, listener_stack,
                                      sizeof(listener_stack), 4, 0),
                   0);
}

PICA_TEST(sleep_keeps_time_under_fast_device_interrupts)
{
    if (!have_devtimer()) {
        return;
    }
    run_at_rate(50000);  /* 20 per tick */
    run_at_rate(300000); /* about 3 per tick */
}

PICA_TEST(sleep_keeps_time_under_device_interrupts_near_the_tick)
{
    if (!have_devtimer()) {
        return;
    }
    run_at_rate(990000);
    run_at_rate(1010000);
}

PICA_TEST(sleep_keeps_time_under_slow_device_interrupts)
{
    if (!have_devtimer()) {
        return;
    }
    run_at_rate(1500000);
    run_at_rate(5000000);
}

PICA_TEST(ticks_match_the_microsecond_clock_in_a_periodic_loop)
{
    if (!have_devtimer()) {
        return;
    }
    /* A periodic loop that idles between wakes, with device interrupts in
     * the idle time: the tick count never falls behind the clock. */
    device_irqs = 0;
    irq_limit = 3u * 50u * TICK_US * 1000u / 700000u + 2u;
    pica_assert_eq(pica_test_devtimer_start(700000, device_tick), 0);
    pica_assert_eq(pica_sleep(PICA_TICKS(1)), 0);
    pica_tick_t next = pica_tick_now();
    pica_tick_t t0 = next;
    uint64_t us0 = pica_uptime_us();
    for (int i = 0; i < 50; i++) {
        pica_assert_eq(pica_sleep_until(&next, 1), 0);
    }
    pica_tick_t ticks = pica_tick_now() - t0;
    uint64_t us = pica_uptime_us() - us0;
    pica_test_devtimer_stop();
    pica_assert_eq(ticks, 50);
    pica_assert_ge(us, 50u * TICK_US);
    pica_assert_lt(us, 50u * TICK_US + TICK_US / 10u);
    /* And the tick is where the clock says it is. */
    pica_assert_eq(pica_tick_now(), pica_uptime_us() / TICK_US);
}

PICA_TEST(sleep_alone_keeps_time)
{
    /* No device: the idle thread's one-shot alone ends the sleep. */
    pica_tick_t ticks;
    uint64_t us;
    sleep_measured(SLEEP_TICKS, &ticks, &us);
    pica_assert_eq(ticks, SLEEP_TICKS);
    pica_assert_lt(us, (uint64_t)SLEEP_TICKS * TICK_US + TICK_US / 10u);
}

int
main(void)
{
    pica_test_run();
}
