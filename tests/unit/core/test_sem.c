/* SPDX-License-Identifier: MIT */
/* Semaphores on the fake port: timeouts on their tick, wake-ups in
 * priority order from interrupts, and a unit given just after a waiter
 * timed out (it goes to the count, neither lost nor handed to the waiter
 * that gave up). */
#include <errno.h>
#include <pica/sem.h>
#include <pica/time.h>

#include "core_test.h"

static struct pica_sem sem;

static void
timeout_entry(void *arg)
{
    (void)arg;
    fake_advance(CORE_CPT / 4);
    assert_int_equal(pica_sem_take(&sem, PICA_TICKS(5)), -ETIMEDOUT);
    assert_int_equal(core_tick(), 5);
    assert_int_equal(fake_now(), 5 * CORE_CPT);
    assert_int_equal(pica_sem_take(&sem, PICA_NO_WAIT), -EAGAIN);
    assert_int_equal(pica_sem_take(&sem, -7), -EINVAL);
    assert_int_equal(pica_sem_give(&sem), 0);
    assert_int_equal(pica_sem_give(&sem), -EOVERFLOW);
    assert_int_equal(pica_sem_take(&sem, PICA_TICKS(5)), 0);
    assert_int_equal(fake_now(), 5 * CORE_CPT);
}

static void
test_take_times_out_at_its_tick(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    core_spawn("taker", timeout_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
}

static void
waiter_entry(void *arg)
{
    assert_int_equal(pica_sem_take(&sem, PICA_FOREVER), 0);
    core_trace("%s@%llu", (const char *)arg, (unsigned long long)fake_now());
}

static void
give_isr(void *arg)
{
    (void)arg;
    assert_int_equal(pica_sem_give(&sem), 0);
}

static void
test_isr_gives_wake_waiters_by_priority_then_fifo(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 5);
    core_spawn("late", waiter_entry, "p12", 12);
    core_spawn("first", waiter_entry, "p10a", 10);
    core_spawn("second", waiter_entry, "p10b", 10);
    core_spawn("urgent", waiter_entry, "p3", 3);
    fake_irq_every(100, 100, give_isr, NULL);
    assert_int_equal(fake_run(450), FAKE_LIMIT);
    assert_string_equal(core_traced(), "p3@100 p10a@200 p10b@300 p12@400");
    /* Every unit went straight to a waiter. */
    assert_int_equal(pica_sem_count(&sem), 0);
}

static void
giving_up_entry(void *arg)
{
    (void)arg;
    int err = pica_sem_take(&sem, PICA_TICKS(3));
    core_trace("waiter:%s@%llu", core_err(err), (unsigned long long)core_tick());
}

/* Wakes on the tick the waiter gives up, and runs first. */
static void
late_giver_entry(void *arg)
{
    (void)arg;
    pica_sleep(3);
    core_trace("give");
    assert_int_equal(pica_sem_give(&sem), 0);
}

static void
test_unit_given_after_a_timeout_goes_to_the_count(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    core_spawn("waiter", giving_up_entry, NULL, 12);
    core_spawn("giver", late_giver_entry, NULL, 5);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "give waiter:ETIMEDOUT@3");
    assert_int_equal(pica_sem_count(&sem), 1);
    assert_int_equal(pica_sem_take(&sem, PICA_NO_WAIT), 0);
}

static int isr_results[3];

static void
take_isr(void *arg)
{
    (void)arg;
    isr_results[0] = pica_sem_take(&sem, PICA_NO_WAIT);
    isr_results[1] = pica_sem_take(&sem, PICA_NO_WAIT);
    isr_results[2] = pica_sem_take(&sem, PICA_TICKS(1));
}

static void
test_take_in_an_isr_never_waits(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 1, 1);
    fake_irq_every(10, 0, take_isr, NULL);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(isr_results[0], 0);
    assert_int_equal(isr_results[1], -EAGAIN);
    assert_int_equal(isr_results[2], -EINVAL);
}

static const struct core_test tests[] = {
    CORE_TEST(test_take_times_out_at_its_tick),
    CORE_TEST(test_isr_gives_wake_waiters_by_priority_then_fifo),
    CORE_TEST(test_unit_given_after_a_timeout_goes_to_the_count),
    CORE_TEST(test_take_in_an_isr_never_waits),
};

CORE_TEST_MAIN(tests)
