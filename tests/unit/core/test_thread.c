/* SPDX-License-Identifier: MIT */
/* Thread lifecycles on the fake port: kill, suspend, resume and join, and
 * the races between them and interrupts. The race tests replay one
 * scenario with an interrupt at each of its interrupt windows in turn
 * (every point where code runs unlocked between critical sections), so
 * every interleaving a CPU could produce there is tried once. */
#include <errno.h>
#include <pica/mutex.h>
#include <pica/sem.h>
#include <pica/time.h>

#include "core_test.h"
#include "sched.h"
#include "timeout.h"

#define LIFE_STACK 1024

static struct pica_sem sem, ctl_sem;
static struct pica_mutex mutex;
static struct pica_thread target;
PICA_THREAD_STACK_DEFINE(target_stack, LIFE_STACK);

/* ---- plain lifecycle ---------------------------------------------------- */

static void
blocked_entry(void *arg)
{
    (void)arg;
    core_trace("target:blocks");
    pica_sem_take(&sem, PICA_TICKS(100));
    core_trace("target:never");
}

static void
joiner_entry(void *arg)
{
    (void)arg;
    assert_int_equal(pica_thread_join(&target, PICA_TICKS(2)), -ETIMEDOUT);
    assert_int_equal(pica_thread_join(&target, PICA_FOREVER), 0);
    core_trace("joiner:joined@%llu", (unsigned long long)core_tick());
}

static void
killer_entry(void *arg)
{
    (void)arg;
    pica_sleep(5);
    core_trace("kill");
    assert_int_equal(pica_thread_kill(&target), 0);
    assert_int_equal(pica_thread_kill(&target), -ESRCH);
    assert_false(timeout_is_armed(&target.timeout));
    assert_true(pica_list_empty(&sem.waiters.head));
    /* The unit goes to the count, not to the dead waiter. */
    assert_int_equal(pica_sem_give(&sem), 0);
    assert_int_equal(pica_sem_count(&sem), 1);
    struct pica_thread_info info;
    assert_int_equal(pica_thread_info(&target, &info), 0);
    assert_int_equal(info.exit_code, -EINTR);
    core_check_sched();
}

static void
test_kill_of_a_blocked_thread_leaves_every_queue(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    assert_int_equal(pica_thread_create(&target, "target", blocked_entry, NULL, target_stack,
                                        sizeof(target_stack), 10, 0),
                     0);
    core_spawn("joiner", joiner_entry, NULL, 12);
    core_spawn("killer", killer_entry, NULL, 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "target:blocks kill joiner:joined@5");
    assert_int_equal(target.state, PICA_THREAD_DEAD);
}

static void
suspended_waiter_entry(void *arg)
{
    (void)arg;
    int err = pica_sem_take(&sem, PICA_TICKS(10));
    core_trace("target:%s@%llu", core_err(err), (unsigned long long)core_tick());
}

static void
suspender_entry(void *arg)
{
    (void)arg;
    pica_sleep(2);
    assert_int_equal(pica_thread_suspend(&target), 0);
    assert_int_equal(target.state, PICA_THREAD_BLOCKED); /* until its wait ends */
    pica_sleep(2);
    assert_int_equal(pica_sem_give(&sem), 0);
    assert_int_equal(target.state, PICA_THREAD_SUSPENDED);
    pica_sleep(20);
    core_trace("resume@%llu", (unsigned long long)core_tick());
    assert_int_equal(pica_thread_resume(&target), 0);
}

static void
test_suspend_of_a_waiter_takes_effect_when_its_wait_ends(void **state)
{
    (void)state;
    core_boot();
    pica_sem_init(&sem, 0, 1);
    assert_int_equal(pica_thread_create(&target, "target", suspended_waiter_entry, NULL,
                                        target_stack, sizeof(target_stack), 10, 0),
                     0);
    core_spawn("suspender", suspender_entry, NULL, 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    /* It got the unit at tick 4 but ran only once resumed at 24. */
    assert_string_equal(core_traced(), "resume@24 target:0@24");
}

static int isr_result;

static void
kill_isr(void *arg)
{
    (void)arg;
    isr_result = pica_thread_kill(&target);
}

static void
victim_entry(void *arg)
{
    (void)arg;
    fake_irq_now(kill_isr, NULL);
    core_trace("victim:alive");
}

static void
test_kill_from_an_isr_is_refused(void **state)
{
    (void)state;
    core_boot();
    assert_int_equal(pica_thread_create(&target, "target", victim_entry, NULL, target_stack,
                                        sizeof(target_stack), 10, 0),
                     0);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(isr_result, -EINVAL);
    assert_string_equal(core_traced(), "victim:alive");
}

/* Writes over the lowest words of its own stack, as a deep overflow would,
 * and carries on: the check at its next switch stops it. */
static void
overflowing_entry(void *arg)
{
    (void)arg;
    uint32_t *bottom = (uint32_t *)target.stack_base;
    bottom[1] = 0xdeadbeef;
    core_trace("overflowed");
    pica_yield();
    core_trace("never");
}

static void
other_entry(void *arg)
{
    (void)arg;
    core_trace("other:ran");
}

static void
test_stack_overflow_stops_the_thread_at_its_next_switch(void **state)
{
    (void)state;
    core_boot();
    assert_int_equal(pica_thread_create(&target, "target", overflowing_entry, NULL, target_stack,
                                        sizeof(target_stack), 10, 0),
                     0);
    core_spawn("other", other_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "overflowed other:ran");
    assert_int_equal(target.state, PICA_THREAD_DEAD);
    assert_int_equal(target.exit_code, -EFAULT);
}

/* ---- resume from an interrupt during pica_thread_create (point 4) ------- */

static unsigned runs;

static void
created_entry(void *arg)
{
    (void)arg;
    runs++;
}

static void
resume_isr(void *arg)
{
    (void)arg;
    pica_thread_resume(&target); /* whatever state it is in: never harmful */
}

static void
creator_entry(void *arg)
{
    unsigned n = *(const unsigned *)arg;
    fake_isr_at_window(n, resume_isr, NULL);
    assert_int_equal(pica_thread_create(&target, "target", created_entry, NULL, target_stack,
                                        sizeof(target_stack), 5, PICA_START_SUSPENDED),
                     0);
    pica_thread_resume(&target);
    core_check_sched();
}

static int
create_scenario(unsigned n)
{
    core_boot();
    core_spawn("creator", creator_entry, &n, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(runs, 1);
    assert_int_equal(target.state, PICA_THREAD_DEAD);
    assert_int_equal(target.exit_code, 0);
    core_check_sched();
    return fake_window_isr_ran() ? 0 : CORE_WINDOW_PAST;
}

static void
test_resume_from_isr_at_every_window_of_create(void **state)
{
    (void)state;
    assert_true(core_for_each_window(create_scenario, 200) > 4);
}

/* ---- a whole life, interrupted at every window -------------------------- */

/* What happens at the chosen window: an interrupt resumes the target, or
 * wakes the most urgent thread, which suspends (and later resumes) or
 * kills (and re-creates) it there. */
enum action { RESUME_FROM_ISR, SUSPEND, KILL };
static enum action action;
static unsigned lives;

/* Waits with a timeout that a unit ends, sleeps, suspends itself (RESUME
 * runs only), waits for a timeout, works holding a mutex, and ends. */
static void
life_entry(void *arg)
{
    (void)arg;
    int err = pica_sem_take(&sem, PICA_TICKS(5));
    assert_true(err == 0 || err == -ETIMEDOUT);
    assert_int_equal(pica_sleep(2), 0);
    if (action == RESUME_FROM_ISR) {
        assert_int_equal(pica_thread_suspend(pica_thread_self()), 0);
    }
    err = pica_sem_take(&sem, PICA_TICKS(3));
    assert_true(err == 0 || err == -ETIMEDOUT);
    /* A life killed holding the mutex left it to be repaired (robust). */
    err = pica_mutex_lock(&mutex, PICA_FOREVER);
    if (err == -EOWNERDEAD) {
        assert_int_equal(pica_mutex_consistent(&mutex), 0);
        err = 0;
    }
    assert_int_equal(err, 0);
    fake_advance(CORE_CPT / 2);
    assert_int_equal(pica_mutex_unlock(&mutex), 0);
    lives++;
}

static void
start_life(void)
{
    assert_int_equal(pica_thread_create(&target, "target", life_entry, NULL, target_stack,
                                        sizeof(target_stack), 10, 0),
                     0);
}

/* Gives the target its first unit at tick 2 and resumes it at tick 10. */
static void
helper_entry(void *arg)
{
    (void)arg;
    pica_sleep(2);
    pica_sem_give(&sem);
    pica_sleep(8);
    pica_thread_resume(&target);
}

static void
controller_entry(void *arg)
{
    (void)arg;
    pica_sem_take(&ctl_sem, PICA_FOREVER);
    core_check_sched();
    if (action == SUSPEND) {
        int err = pica_thread_suspend(&target);
        assert_true(err == 0 || err == -ESRCH);
        pica_sleep(7);
        err = pica_thread_resume(&target);
        assert_true(err == 0 || err == -ESRCH);
    } else if (pica_thread_kill(&target) == 0) {
        assert_false(timeout_is_armed(&target.timeout));
        assert_null(pica_mutex_owner(&mutex));
        core_check_sched();
        start_life();
    }
}

static void
window_isr(void *arg)
{
    (void)arg;
    if (action == RESUME_FROM_ISR) {
        pica_thread_resume(&target);
    } else {
        pica_sem_give(&ctl_sem);
    }
}

static int
life_scenario(unsigned n)
{
    core_boot();
    pica_sem_init(&sem, 0, 1);
    pica_sem_init(&ctl_sem, 0, 1);
    pica_mutex_init(&mutex);
    start_life();
    core_spawn("helper", helper_entry, NULL, 15);
    core_spawn("controller", controller_entry, NULL, 1);
    fake_isr_at_window(n, window_isr, NULL);
    assert_int_equal(fake_run(1000 * CORE_CPT), FAKE_IDLE_FOREVER);
    /* Two when a kill came after the first life's work, before its end. */
    assert_in_range(lives, 1, action == KILL ? 2 : 1);
    assert_int_equal(target.state, PICA_THREAD_DEAD);
    assert_int_equal(target.exit_code, 0);
    assert_null(pica_mutex_owner(&mutex));
    assert_true(pica_list_empty(&sem.waiters.head));
    core_check_sched();
    return fake_window_isr_ran() ? 0 : CORE_WINDOW_PAST;
}

static void
test_resume_from_isr_at_every_window_of_a_life(void **state)
{
    (void)state;
    action = RESUME_FROM_ISR;
    assert_true(core_for_each_window(life_scenario, 500) > 20);
}

static void
test_suspend_at_every_window_of_a_life(void **state)
{
    (void)state;
    action = SUSPEND;
    assert_true(core_for_each_window(life_scenario, 500) > 20);
}

static void
test_kill_at_every_window_of_a_life(void **state)
{
    (void)state;
    action = KILL;
    assert_true(core_for_each_window(life_scenario, 500) > 20);
}

static const struct core_test tests[] = {
    CORE_TEST(test_kill_of_a_blocked_thread_leaves_every_queue),
    CORE_TEST(test_suspend_of_a_waiter_takes_effect_when_its_wait_ends),
    CORE_TEST(test_kill_from_an_isr_is_refused),
    CORE_TEST(test_stack_overflow_stops_the_thread_at_its_next_switch),
    CORE_TEST(test_resume_from_isr_at_every_window_of_create),
    CORE_TEST(test_resume_from_isr_at_every_window_of_a_life),
    CORE_TEST(test_suspend_at_every_window_of_a_life),
    CORE_TEST(test_kill_at_every_window_of_a_life),
};

CORE_TEST_MAIN(tests)
