/* SPDX-License-Identifier: MIT */
/* Mutexes: recursion, owner checks, a three-level priority-inheritance
 * chain with the exact priorities observed at every step (including a
 * waiter that times out), death of an owner, and deadlock refusal. Main
 * runs at priority 2 and steps the scenario by sleeping one tick at a time,
 * which lets the less urgent threads run to their next blocking point. */
#include <errno.h>
#include <pica/mutex.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <pica/thread.h>

#define STACK 1024

static struct pica_thread low, mid, high, urgent;
PICA_THREAD_STACK_DEFINE(low_stack, STACK);
PICA_THREAD_STACK_DEFINE(mid_stack, STACK);
PICA_THREAD_STACK_DEFINE(high_stack, STACK);
PICA_THREAD_STACK_DEFINE(urgent_stack, STACK);

static struct pica_mutex m1, m2;
static struct pica_sem go_low, go_mid;
static volatile int prio_low_after_unlock = -1, prio_mid_after_unlock = -1;
static volatile int high_result = 1, urgent_result = 1, mid_result = 1;

static void
step(void)
{
    pica_sleep(PICA_TICKS(1));
}

PICA_TEST(recursive_lock_needs_as_many_unlocks)
{
    pica_assert_eq(pica_mutex_init(&m1), 0);
    for (int i = 0; i < 3; i++) {
        pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), 0);
    }
    pica_assert(pica_mutex_owner(&m1) == pica_thread_self());
    for (int i = 0; i < 2; i++) {
        pica_assert_eq(pica_mutex_unlock(&m1), 0);
        pica_assert(pica_mutex_owner(&m1) == pica_thread_self());
    }
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
    pica_assert(pica_mutex_owner(&m1) == NULL);
    pica_assert_eq(pica_mutex_unlock(&m1), -EPERM);
}

static void
hold_m1_until_told(void *arg)
{
    (void)arg;
    pica_assert_eq(pica_mutex_lock(&m1, PICA_FOREVER), 0);
    pica_sem_take(&go_low, PICA_FOREVER);
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
    prio_low_after_unlock = pica_thread_prio(pica_thread_self());
}

PICA_TEST(only_the_owner_may_unlock)
{
    pica_assert_eq(pica_mutex_init(&m1), 0);
    pica_assert_eq(pica_sem_init(&go_low, 0, 1), 0);
    pica_assert_eq(pica_thread_create(&low, "low", hold_m1_until_told, NULL, low_stack, STACK, 20,
                                      0),
                   0);
    step();
    pica_assert(pica_mutex_owner(&m1) == &low);
    pica_assert_eq(pica_mutex_unlock(&m1), -EPERM);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), -EAGAIN);
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_mutex_lock(&m1, PICA_TICKS(3)), -ETIMEDOUT);
    pica_assert_eq(pica_tick_now() - t0, 3);
    pica_sem_give(&go_low);
    pica_assert_eq(pica_thread_join(&low, PICA_MS(100)), 0);
    pica_assert(pica_mutex_owner(&m1) == NULL);
}

static void
mid_body(void *arg)
{
    (void)arg;
    pica_assert_eq(pica_mutex_lock(&m2, PICA_FOREVER), 0);
    mid_result = pica_mutex_lock(&m1, PICA_FOREVER); /* blocks on low */
    pica_sem_take(&go_mid, PICA_FOREVER);
    pica_mutex_unlock(&m1);
    pica_mutex_unlock(&m2);
    prio_mid_after_unlock = pica_thread_prio(pica_thread_self());
}

static void
high_body(void *arg)
{
    (void)arg;
    high_result = pica_mutex_lock(&m2, PICA_FOREVER); /* blocks on mid */
    pica_mutex_unlock(&m2);
}

static void
urgent_body(void *arg)
{
    (void)arg;
    urgent_result = pica_mutex_lock(&m2, PICA_TICKS(5)); /* gives up */
}

PICA_TEST(inheritance_follows_a_three_level_chain_and_unwinds)
{
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), 2), 0);
    pica_mutex_init(&m1);
    pica_mutex_init(&m2);
    pica_sem_init(&go_low, 0, 1);
    pica_sem_init(&go_mid, 0, 1);
    pica_thread_create(&low, "low", hold_m1_until_told, NULL, low_stack, STACK, 20, 0);
    step(); /* low holds m1 and waits for go_low */
    pica_assert_eq(pica_thread_prio(&low), 20);

    pica_thread_create(&mid, "mid", mid_body, NULL, mid_stack, STACK, 15, 0);
    step(); /* mid holds m2 and waits for m1: low inherits 15 */
    pica_assert_eq(pica_thread_prio(&mid), 15);
    pica_assert_eq(pica_thread_prio(&low), 15);

    pica_thread_create(&high, "high", high_body, NULL, high_stack, STACK, 10, 0);
    step(); /* high waits for m2: mid inherits 10, and through it low */
    pica_assert_eq(pica_thread_prio(&high), 10);
    pica_assert_eq(pica_thread_prio(&mid), 10);
    pica_assert_eq(pica_thread_prio(&low), 10);

    pica_thread_create(&urgent, "urgent", urgent_body, NULL, urgent_stack, STACK, 6, 0);
    step(); /* urgent waits for m2 with a timeout: the chain runs at 6 */
    pica_assert_eq(pica_thread_prio(&mid), 6);
    pica_assert_eq(pica_thread_prio(&low), 6);
    pica_sleep(PICA_TICKS(6)); /* its timeout passes: back to 10 */
    pica_assert_eq(urgent_result, -ETIMEDOUT);
    pica_assert_eq(pica_thread_prio(&mid), 10);
    pica_assert_eq(pica_thread_prio(&low), 10);
    pica_assert_eq(pica_thread_prio(&low), 10);

    /* low unlocks m1: it is handed to mid, and low drops to its base. */
    pica_sem_give(&go_low);
    step();
    pica_assert_eq(prio_low_after_unlock, 20);
    pica_assert_eq(mid_result, 0);
    pica_assert(pica_mutex_owner(&m1) == &mid);
    pica_assert_eq(pica_thread_prio(&mid), 10); /* high still waits for m2 */

    /* mid unlocks both: high gets m2 and mid drops to 15. */
    pica_sem_give(&go_mid);
    step();
    pica_assert_eq(prio_mid_after_unlock, 15);
    pica_assert_eq(high_result, 0);
    pica_assert_eq(pica_thread_join(&high, PICA_MS(100)), 0);
    pica_assert_eq(pica_thread_join(&mid, PICA_MS(100)), 0);
    pica_assert_eq(pica_thread_join(&low, PICA_MS(100)), 0);
    pica_assert(pica_mutex_owner(&m1) == NULL && pica_mutex_owner(&m2) == NULL);
    pica_assert_eq(pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN), 0);
}

static void
lock_m1_forever(void *arg)
{
    (void)arg;
    pica_mutex_lock(&m1, PICA_FOREVER);
    pica_sleep(PICA_TICKS(1000000));
}

static void
wait_for_m1(void *arg)
{
    (void)arg;
    high_result = pica_mutex_lock(&m1, PICA_FOREVER);
    if (high_result == -EOWNERDEAD) {
        pica_mutex_unlock(&m1);
    }
}

PICA_TEST(death_of_the_owner_hands_the_mutex_on_with_eownerdead)
{
    pica_mutex_init(&m1);
    pica_thread_create(&low, "holder", lock_m1_forever, NULL, low_stack, STACK, 12, 0);
    pica_thread_create(&high, "waiter", wait_for_m1, NULL, high_stack, STACK, 11, 0);
    pica_assert_eq(pica_thread_prio(&low), 11);
    high_result = 1;
    pica_assert_eq(pica_thread_kill(&low), 0);
    pica_assert_eq(pica_thread_join(&high, PICA_MS(100)), 0);
    pica_assert_eq(high_result, -EOWNERDEAD);
    pica_assert(pica_mutex_owner(&m1) == NULL);
}

PICA_TEST(owner_death_with_no_waiter_is_reported_to_the_next_locker)
{
    pica_mutex_init(&m1);
    pica_thread_create(&low, "holder", lock_m1_forever, NULL, low_stack, STACK, 12, 0);
    step(); /* it takes m1 and sleeps */
    pica_assert(pica_mutex_owner(&m1) == &low);
    pica_assert_eq(pica_thread_kill(&low), 0);
    /* Nobody was waiting; the next lock, however late, hears of it. */
    pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), -EOWNERDEAD);
    pica_assert(pica_mutex_owner(&m1) == pica_thread_self());
    /* Repaired and marked: normal again. */
    pica_assert_eq(pica_mutex_consistent(&m1), 0);
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_mutex_consistent(&m1), -EINVAL); /* nothing to repair */
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
    pica_assert_eq(pica_mutex_consistent(&m1), -EPERM);  /* not the owner */
}

PICA_TEST(unlock_without_repair_makes_the_mutex_not_recoverable)
{
    pica_mutex_init(&m1);
    pica_thread_create(&low, "holder", lock_m1_forever, NULL, low_stack, STACK, 12, 0);
    step();
    pica_assert_eq(pica_thread_kill(&low), 0);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), -EOWNERDEAD);
    /* A waiter queues behind this owner. */
    high_result = 1;
    pica_thread_create(&high, "waiter", wait_for_m1, NULL, high_stack, STACK, 11, 0);
    step();
    pica_assert_eq(high_result, 1);
    /* Unlocked unrepaired: the waiter and every later lock are told. */
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
    pica_assert_eq(pica_thread_join(&high, PICA_MS(100)), 0);
    pica_assert_eq(high_result, -ENOTRECOVERABLE);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), -ENOTRECOVERABLE);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_TICKS(5)), -ENOTRECOVERABLE);
    pica_assert(pica_mutex_owner(&m1) == NULL);
    /* Only a new start makes it usable. */
    pica_assert_eq(pica_mutex_init(&m1), 0);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_NO_WAIT), 0);
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
}

static void
lock_m2_then_m1(void *arg)
{
    (void)arg;
    pica_mutex_lock(&m2, PICA_FOREVER);
    mid_result = pica_mutex_lock(&m1, PICA_FOREVER);
    pica_mutex_unlock(&m1);
    pica_mutex_unlock(&m2);
}

PICA_TEST(a_wait_that_would_deadlock_is_refused)
{
    pica_mutex_init(&m1);
    pica_mutex_init(&m2);
    pica_assert_eq(pica_mutex_lock(&m1, PICA_FOREVER), 0);
    mid_result = 1;
    pica_thread_create(&mid, "other", lock_m2_then_m1, NULL, mid_stack, STACK, 10, 0);
    /* other holds m2 and waits for m1, which main holds. */
    pica_assert_eq(pica_mutex_lock(&m2, PICA_FOREVER), -EDEADLK);
    pica_assert_eq(pica_mutex_unlock(&m1), 0);
    pica_assert_eq(pica_thread_join(&mid, PICA_MS(100)), 0);
    pica_assert_eq(mid_result, 0);
}

PICA_TEST(bad_mutex_arguments_are_refused)
{
    static struct pica_mutex never_initialised;
    pica_assert_eq(pica_mutex_init(NULL), -EINVAL);
    pica_assert_eq(pica_mutex_lock(NULL, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_mutex_unlock(NULL), -EINVAL);
    pica_assert_eq(pica_mutex_lock(&never_initialised, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_mutex_unlock(&never_initialised), -EINVAL);
}

int
main(void)
{
    pica_test_run();
}
