/* SPDX-License-Identifier: MIT */
/* Software timers on the fake port: one-shot and periodic callbacks on
 * their exact ticks (to the cycle, with tickless idle in between and with
 * device interrupts waking the CPU off the tick), callbacks in the tick
 * interrupt, restart, merged expiries, and a stop racing the timer thread. */
#include <errno.h>
#include <pica/sem.h>
#include <pica/time.h>
#include <pica/timer.h>

#include "core_test.h"
#include "timeout.h"

static struct pica_timer timer;
static struct pica_sem sem;
static unsigned calls;

/* Notes the tick and whether the clock is exactly on it. */
static void
note_cb(void *arg)
{
    (void)arg;
    calls++;
    uint64_t off = fake_now() - core_tick() * CORE_CPT;
    core_trace("%s%llu%s", arch_in_isr() ? "isr@" : "@", (unsigned long long)core_tick(),
               off == 0 ? "" : "+late");
}

static void
starter_entry(void *arg)
{
    const pica_tick_t *delay_period = arg;
    fake_advance(CORE_CPT / 3);
    assert_int_equal(pica_timer_start(&timer, (pica_timeout_t)delay_period[0], delay_period[1]), 0);
}

static void
test_one_shot_runs_on_its_tick(void **state)
{
    (void)state;
    static const pica_tick_t delay_period[] = {7, 0};
    core_boot();
    pica_timer_init(&timer, note_cb, NULL);
    core_spawn("starter", starter_entry, (void *)delay_period, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "@7");
    assert_false(pica_timer_is_active(&timer));
}

/* Stops its own timer at the fifth call. */
static void
five_times_cb(void *arg)
{
    note_cb(arg);
    if (calls == 5) {
        assert_int_equal(pica_timer_stop(&timer), 0);
    }
}

static void
test_periodic_runs_on_every_period_tick_while_idle(void **state)
{
    (void)state;
    static const pica_tick_t delay_period[] = {3, 5};
    core_boot();
    pica_timer_init(&timer, five_times_cb, NULL);
    core_spawn("starter", starter_entry, (void *)delay_period, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "@3 @8 @13 @18 @23");
    if (PICA_CFG_TICKLESS) {
        assert_true(timer_interrupts <= 5 + 1);
    }
}

static void
device_isr(void *arg)
{
    (void)arg;
    pica_sem_give(&sem);
}

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
test_periodic_stays_on_its_ticks_under_device_interrupts(void **state)
{
    (void)state;
    static const pica_tick_t delay_period[] = {3, 5};
    core_boot();
    pica_sem_init(&sem, 0, 1);
    pica_timer_init(&timer, five_times_cb, NULL);
    core_spawn("starter", starter_entry, (void *)delay_period, 10);
    core_spawn("worker", worker_entry, NULL, 20);
    fake_irq_every(700, 1500, device_isr, NULL);
    fake_run(50 * CORE_CPT);
    assert_string_equal(core_traced(), "@3 @8 @13 @18 @23");
}

static void
isr_give_cb(void *arg)
{
    note_cb(arg);
    assert_int_equal(pica_sem_give(&sem), 0);
}

static void
isr_timer_waiter_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_timer_start(&timer, 4, 0), 0);
    assert_int_equal(pica_sem_take(&sem, PICA_FOREVER), 0);
    core_trace("woke@%llu", (unsigned long long)fake_now());
}

static void
test_isr_timer_runs_in_the_tick_interrupt(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    pica_timer_init_isr(&timer, isr_give_cb, NULL);
    core_spawn("waiter", isr_timer_waiter_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "isr@4 woke@4000");
}

static void
watchdog_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_timer_restart(&timer), -EINVAL); /* never started */
    assert_int_equal(pica_timer_start(&timer, 5, 0), 0);
    pica_sleep(3);
    assert_int_equal(pica_timer_restart(&timer), 0);
}

static void
test_restart_pushes_the_deadline_back(void **state)
{
    (void)state;
    core_boot();
    pica_timer_init(&timer, note_cb, NULL);
    core_spawn("watchdog", watchdog_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "@8");
}

/* More urgent than the timer thread: keeps it from running until tick 7. */
static void
hog_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_timer_start(&timer, 2, 2), 0);
    fake_advance(7 * CORE_CPT);
    assert_int_equal(pica_timer_missed(&timer), 2); /* ticks 4 and 6 */
    pica_timer_stop(&timer);
}

static void
test_expiries_while_the_callback_waits_are_merged(void **state)
{
    (void)state;
    core_boot();
    pica_timer_init(&timer, note_cb, NULL);
    core_spawn("hog", hog_entry, NULL, 0);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* Pending when stopped: the callback queued at tick 2 is cancelled. */
    assert_int_equal(calls, 0);
}

/* ---- stop racing the timer thread (issue 11, point 12) ------------------ */

static volatile bool stopped, late;

static void
watched_cb(void *arg)
{
    (void)arg;
    if (stopped) {
        late = true;
    }
}

static void
stop_isr(void *arg)
{
    (void)arg;
    /* 0: stopped for good; -EINPROGRESS: the callback is running and a
     * handler cannot wait for it, so nothing is promised. */
    if (pica_timer_stop(&timer) == 0) {
        stopped = true;
    }
}

static int
stop_scenario(unsigned n)
{
    core_boot();
    pica_timer_init(&timer, watched_cb, NULL);
    pica_timer_start(&timer, 2, 0);
    fake_isr_at_window(n, stop_isr, NULL);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_false(late);
    return fake_window_isr_ran() ? 0 : CORE_WINDOW_PAST;
}

/* pica_timer_stop() promises that once it returns the callback will not
 * start: stop from an interrupt at every window around the expiry. */
static void
test_stop_from_isr_at_every_window_keeps_the_callback_from_starting(void **state)
{
    (void)state;
    assert_true(core_for_each_window(stop_scenario, 200) > 4);
}

static const struct core_test tests[] = {
    CORE_TEST(test_one_shot_runs_on_its_tick),
    CORE_TEST(test_periodic_runs_on_every_period_tick_while_idle),
    CORE_TEST(test_periodic_stays_on_its_ticks_under_device_interrupts),
    CORE_TEST(test_isr_timer_runs_in_the_tick_interrupt),
    CORE_TEST(test_restart_pushes_the_deadline_back),
    CORE_TEST(test_expiries_while_the_callback_waits_are_merged),
    CORE_TEST(test_stop_from_isr_at_every_window_keeps_the_callback_from_starting),
};

CORE_TEST_MAIN(tests)
