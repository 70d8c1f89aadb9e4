/* SPDX-License-Identifier: MIT */
/* Kernel time on the fake port: the tick follows the cycle counter, sleeps
 * end on their tick boundary to the cycle, and tickless idle keeps the
 * tick's phase whatever wakes the CPU (device interrupts faster or slower
 * than the tick, interrupt entry latency, a deadline passing while an
 * interrupt handler runs). At CORE_HZ, tick n begins at cycle n * CORE_CPT. */
#include <errno.h>
#include <pica/sem.h>
#include <pica/time.h>
#include <stdio.h>

#include "core_test.h"
#include "timeout.h"

static struct pica_sem sem;

static void
busy_entry(void *arg)
{
    (void)arg;
    fake_advance(3 * CORE_CPT + CORE_CPT / 2);
    assert_int_equal(core_tick(), 3);
    assert_int_equal(fake_timer_period(), CORE_CPT);
    assert_int_equal(fake_timer_next(), 4 * CORE_CPT);
    fake_advance(10 * CORE_CPT - fake_now());
    assert_int_equal(core_tick(), 10);
    assert_int_equal(pica_uptime_us(), 10000);
}

static void
test_tick_counts_timer_periods_while_busy(void **state)
{
    (void)state;
    core_boot();
    core_spawn("busy", busy_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(timer_interrupts, 10);
}

static void
sleeper_entry(void *arg)
{
    (void)arg;
    static const pica_timeout_t lengths[] = {1, 2, 7, 100, 1000, 1};
    fake_advance(300); /* start off the tick boundary */
    for (unsigned i = 0; i < sizeof(lengths) / sizeof(lengths[0]); i++) {
        pica_tick_t start = core_tick();
        uint32_t interrupts = timer_interrupts;
        assert_int_equal(pica_sleep(lengths[i]), 0);
        assert_int_equal(core_tick(), start + (pica_tick_t)lengths[i]);
        assert_int_equal(fake_now(), (start + (pica_tick_t)lengths[i]) * CORE_CPT);
        if (PICA_CFG_TICKLESS) {
            /* Idle all along: one interrupt, for the deadline. */
            assert_int_equal(timer_interrupts - interrupts, 1);
        }
        fake_advance(CORE_CPT / 3);
    }
}

static void
test_sleep_ends_at_its_tick_boundary(void **state)
{
    (void)state;
    core_boot();
    core_spawn("sleeper", sleeper_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}

/* ---- tickless idle with device interrupts (issue 11, point 1) ----------- */

#define SLEEP_TICKS 100

/* Device periods in cycles: slower and faster than the tick (1000), one
 * equal to it, one in step with nothing. */
static const uint64_t device_periods[] = {5000, 1500, 990, 1000, 500, 3001, 7};
#define RATES (sizeof(device_periods) / sizeof(device_periods[0]))

struct sleep_result {
    bool started, ended;
    pica_tick_t start, tick;
    uint64_t cycles, uptime_us;
};
static struct sleep_result results[RATES];

static void
device_isr(void *arg)
{
    (void)arg;
    pica_sem_give(&sem); /* -EOVERFLOW when the worker is behind: fine */
}

/* Less urgent than the sleeper, more than idle: each device interrupt
 * takes the CPU out of idle through this thread. */
static void
worker_entry(void *arg)
{
    (void)arg;
    for (;;) {
        pica_sem_take(&sem, PICA_FOREVER);
        fake_advance(3);
    }
}

static void
rate_sleeper_entry(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < RATES; i++) {
        int id = fake_irq_every(fake_now() + device_periods[i] / 2 + 1, device_periods[i],
                                device_isr, NULL);
        results[i].started = true;
        results[i].start = core_tick();
        assert_int_equal(pica_sleep(SLEEP_TICKS), 0);
        results[i].ended = true;
        results[i].tick = core_tick();
        results[i].cycles = fake_now();
        results[i].uptime_us = pica_uptime_us();
        fake_irq_cancel(id);
    }
    fake_stop();
}

static void
test_tickless_sleep_keeps_phase_under_device_interrupts(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    core_spawn("sleeper", rate_sleeper_entry, NULL, 10);
    core_spawn("worker", worker_entry, NULL, 20);
    /* Twice the sleeps' length: a sleep that never ends stops the run. */
    fake_run(2 * RATES * SLEEP_TICKS * CORE_CPT);
    bool ok = true;
    for (unsigned i = 0; i < RATES; i++) {
        const struct sleep_result *r = &results[i];
        pica_tick_t want = r->start + SLEEP_TICKS;
        bool good = r->ended && r->tick == want && r->cycles == want * CORE_CPT &&
                    r->uptime_us == want * CORE_CPT * 1000000u / CORE_HZ;
        if (!good) {
            printf("device every %llu cycles: ", (unsigned long long)device_periods[i]);
            if (!r->started) {
                printf("not reached\n");
            } else if (r->ended) {
                printf("sleep from tick %llu ", (unsigned long long)r->start);
                printf("ended at tick %llu, cycle %llu; want tick %llu, cycle %llu\n",
                       (unsigned long long)r->tick, (unsigned long long)r->cycles,
                       (unsigned long long)want, (unsigned long long)(want * CORE_CPT));
            } else {
                printf("sleep from tick %llu never ended\n", (unsigned long long)r->start);
            }
        }
        ok = ok && good;
    }
    assert_true(ok);
}

/* ---- a periodic loop with interrupt entry latency ----------------------- */

#define LOOP_PERIODS 1000
#define LATENCY 5

static pica_tick_t loop_start, loop_end_tick;
static uint64_t loop_end_cycles;

static void
loop_entry(void *arg)
{
    (void)arg;
    pica_tick_t next = core_tick();
    loop_start = next;
    for (unsigned i = 0; i < LOOP_PERIODS; i++) {
        fake_advance(200); /* the loop's work, then idle until the next tick */
        assert_int_equal(pica_sleep_until(&next, 1), 0);
    }
    loop_end_tick = core_tick();
    loop_end_cycles = fake_now();
}

static void
test_periodic_loop_tick_keeps_up_with_the_clock(void **state)
{
    (void)state;
    core_boot();
    fake_set_irq_latency(LATENCY);
    core_spawn("loop", loop_entry, NULL, 10);
    fake_run(2 * LOOP_PERIODS * CORE_CPT);
    assert_int_equal(loop_end_tick, loop_start + LOOP_PERIODS);
    /* Woken by the interrupt of its tick, LATENCY cycles in. */
    printf("%u ticks took %llu cycles (%llu per tick)\n", LOOP_PERIODS,
           (unsigned long long)(loop_end_cycles - loop_start * CORE_CPT),
           (unsigned long long)CORE_CPT);
    assert_in_range(loop_end_cycles, loop_end_tick * CORE_CPT, loop_end_tick * CORE_CPT + LATENCY);
}

/* ---- a deadline that passes while a handler runs ------------------------ */

#define DEADLINE_TICK 50

static pica_tick_t late_tick;
static uint64_t late_cycles;

/* Runs 10 cycles, across the sleeper's deadline, and wakes the worker:
 * the tick restarts while the deadline's interrupt is still pending. */
static void
slow_device_isr(void *arg)
{
    (void)arg;
    fake_advance(10);
    pica_sem_give(&sem);
}

static void
deadline_sleeper_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_sleep(DEADLINE_TICK), 0);
    late_tick = core_tick();
    late_cycles = fake_now();
}

static void
test_deadline_passing_in_a_handler_is_not_lost(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    core_spawn("sleeper", deadline_sleeper_entry, NULL, 10);
    core_spawn("worker", worker_entry, NULL, 20);
    fake_irq_every(DEADLINE_TICK * CORE_CPT - 5, 0, slow_device_isr, NULL);
    fake_run(2 * DEADLINE_TICK * CORE_CPT);
    assert_int_equal(late_tick, DEADLINE_TICK);
    /* Right after the handler, not a tick later. */
    assert_in_range(late_cycles, DEADLINE_TICK * CORE_CPT, DEADLINE_TICK * CORE_CPT + 5);
}

/* ---- refusals ------------------------------------------------------------ */

static int isr_result;

static void
sleep_isr(void *arg)
{
    (void)arg;
    isr_result = pica_sleep(1);
}

static void
refusing_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_sleep(PICA_FOREVER), -EINVAL);
    assert_int_equal(pica_sleep(-5), -EINVAL);
    assert_int_equal(pica_sleep(PICA_NO_WAIT), 0);
    fake_irq_now(sleep_isr, NULL);
    assert_int_equal(isr_result, -EINVAL);
    assert_int_equal(fake_now(), 0);
}

static void
test_sleep_refuses_forever_negative_and_isr(void **state)
{
    (void)state;
    core_boot();
    core_spawn("sleeper", refusing_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}

static const struct core_test tests[] = {
    CORE_TEST(test_tick_counts_timer_periods_while_busy),
    CORE_TEST(test_sleep_ends_at_its_tick_boundary),
    CORE_TEST(test_tickless_sleep_keeps_phase_under_device_interrupts),
    CORE_TEST(test_periodic_loop_tick_keeps_up_with_the_clock),
    CORE_TEST(test_deadline_passing_in_a_handler_is_not_lost),
    CORE_TEST(test_sleep_refuses_forever_negative_and_isr),
};

CORE_TEST_MAIN(tests)
