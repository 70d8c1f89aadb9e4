/* SPDX-License-Identifier: MIT */
/* Switch requests (arch.h): one made in a thread with the kernel lock held
 * is taken inside the arch_irq_unlock() that releases the lock, so the
 * statement right after the unlock already sees what the more urgent thread
 * did. A blocking call relies on this to read its wait result. An inner
 * unlock of a nested lock releases nothing and switches nothing. */
#include <pica/pica.h>
#include <pica/test.h>

#include "arch.h"

#define ROUNDS 200

static struct pica_sem wake;
static volatile uint32_t urgent_runs;
static volatile bool stop;

/* More urgent than the test: runs as soon as the semaphore wakes it. */
static void
urgent_entry(void *arg)
{
    (void)arg;
    for (;;) {
        pica_sem_take(&wake, PICA_FOREVER);
        if (stop) {
            return;
        }
        urgent_runs++;
    }
}

static void
urgent_start(void)
{
    stop = false;
    urgent_runs = 0;
    pica_assert_eq(pica_sem_init(&wake, 0, 1), 0);
    unsigned prio = pica_thread_prio(pica_thread_self());
    pica_assert_eq(pica_test_spawn(0, urgent_entry, NULL, prio - 1u), 0);
}

static void
urgent_stop(void)
{
    stop = true;
    pica_assert_eq(pica_sem_give(&wake), 0);
    pica_test_join_workers(1);
}

PICA_TEST(switch_requested_under_the_lock_is_taken_inside_the_unlock)
{
    urgent_start();
    uint32_t missed = 0, early = 0;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        unsigned key = arch_irq_lock();
        pica_sem_give(&wake); /* wakes the urgent thread: a switch request */
        early += urgent_runs > i;
        arch_irq_unlock(key);
        /* The very next load: the switch must be over by now. */
        missed += urgent_runs != i + 1u;
    }
    urgent_stop();
    pica_assert_eq(early, 0);
    pica_assert_eq(missed, 0);
}

PICA_TEST(inner_unlock_of_a_nested_lock_does_not_switch)
{
    urgent_start();
    uint32_t early = 0, missed = 0;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        unsigned outer = arch_irq_lock();
        unsigned inner = arch_irq_lock();
        pica_sem_give(&wake);
        arch_irq_unlock(inner);
        early += urgent_runs > i;
        arch_irq_unlock(outer);
        missed += urgent_runs != i + 1u;
    }
    urgent_stop();
    pica_assert_eq(early, 0);
    pica_assert_eq(missed, 0);
}

/* A yield asks for a switch to the equal-priority thread queued behind; it
 * has run once whenever the yield returns. */
static volatile uint32_t peer_runs;

static void
peer_entry(void *arg)
{
    (void)arg;
    while (!stop) {
        peer_runs++;
        pica_yield();
    }
}

PICA_TEST(yield_runs_the_equal_priority_thread_before_it_returns)
{
    stop = false;
    peer_runs = 0;
    pica_assert_eq(pica_test_spawn(0, peer_entry, NULL, pica_thread_prio(pica_thread_self())),
                   0);
    uint32_t missed = 0;
    for (uint32_t i = 0; i < ROUNDS; i++) {
        uint32_t before = peer_runs;
        pica_yield();
        missed += peer_runs != before + 1u;
    }
    stop = true;
    pica_yield();
    pica_test_join_workers(1);
    pica_assert_eq(missed, 0);
}
