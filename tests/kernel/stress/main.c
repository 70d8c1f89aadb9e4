/* SPDX-License-Identifier: MIT */
/* Stress: 16 threads of mixed priorities hammer a queue, a mutex and a pool
 * of semaphore tokens for two virtual seconds, with random sleeps, yields
 * and timeouts. Afterwards every thread must stop on request (no deadlock),
 * and the invariants must hold: every message delivered exactly once and in
 * order per producer, no lost update under the mutex, no token created or
 * destroyed. */
#include <errno.h>
#include <pica/mutex.h>
#include <pica/pica.h>
#include <pica/queue.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <pica/thread.h>

#define STACK 1024
#define PRODUCERS 4
#define CONSUMERS 4
#define LOCKERS 4
#define TOKENERS 4
#define NTHREADS (PRODUCERS + CONSUMERS + LOCKERS + TOKENERS)
#define TOKENS 3
#define RUN_TICKS (2 * PICA_CFG_TICK_HZ)

struct msg {
    uint32_t producer;
    uint32_t seq;
};

static struct pica_thread th[NTHREADS];
static uint64_t stacks[NTHREADS][STACK / 8];
static struct pica_queue queue;
static struct msg queue_buf[8];
static struct pica_mutex lock;
static struct pica_sem tokens;
static volatile int stop;

static uint32_t sent[PRODUCERS];               /* written by each producer */
static uint32_t last_seen[CONSUMERS][PRODUCERS]; /* per consumer, per producer */
static uint32_t received[CONSUMERS];
static volatile int order_errors;
static uint32_t shared_counter;                /* only under the mutex */
static uint32_t lock_rounds[LOCKERS];
static volatile int tokens_held;               /* only changed under the kernel lock */
static volatile int token_errors;

static uint32_t
rnd(uint32_t *s)
{
    /* xorshift32: cheap, per-thread, deterministic */
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}

static void
producer(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg, seed = 0x1234u + id;
    while (!stop) {
        struct msg m = {id, sent[id] + 1};
        if (pica_queue_send(&queue, &m, PICA_TICKS(rnd(&seed) % 4 + 1)) == 0) {
            sent[id]++;
        }
        if (rnd(&seed) % 8 == 0) {
            pica_sleep(PICA_TICKS(rnd(&seed) % 3));
        }
    }
}

static void
consumer(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg, seed = 0x9876u + id;
    struct msg m;
    for (;;) {
        int r = pica_queue_recv(&queue, &m, PICA_TICKS(rnd(&seed) % 5 + 1));
        if (r == -ETIMEDOUT && stop) {
            return;
        }
        if (r != 0) {
            continue;
        }
        /* Messages of one producer stay in order even across consumers. */
        if (m.producer >= PRODUCERS || m.seq <= last_seen[id][m.producer]) {
            order_errors++;
        } else {
            last_seen[id][m.producer] = m.seq;
        }
        received[id]++;
        if (rnd(&seed) % 16 == 0) {
            pica_yield();
        }
    }
}

static void
locker(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg, seed = 0x5555u + id;
    while (!stop) {
        if (pica_mutex_lock(&lock, PICA_TICKS(10)) != 0) {
            continue;
        }
        /* A read-modify-write spread over a switch: only the mutex makes
         * it safe. */
        uint32_t v = shared_counter;
        if (rnd(&seed) % 4 == 0) {
            pica_yield();
        }
        if (rnd(&seed) % 8 == 0) {
            pica_mutex_lock(&lock, PICA_NO_WAIT); /* recursion */
            pica_mutex_unlock(&lock);
        }
        shared_counter = v + 1;
        lock_rounds[id]++;
        pica_mutex_unlock(&lock);
        if (rnd(&seed) % 4 == 0) {
            pica_sleep(PICA_TICKS(1));
        }
    }
}

static void
tokener(void *arg)
{
    uint32_t id = (uint32_t)(uintptr_t)arg, seed = 0x7777u + id;
    while (!stop) {
        if (pica_sem_take(&tokens, PICA_TICKS(rnd(&seed) % 3 + 1)) != 0) {
            continue;
        }
        unsigned key = pica_irq_lock();
        if (++tokens_held > TOKENS) {
            token_errors++;
        }
        pica_irq_unlock(key);
        if (rnd(&seed) % 2) {
            pica_sleep(PICA_TICKS(rnd(&seed) % 2));
        }
        key = pica_irq_lock();
        tokens_held--;
        pica_irq_unlock(key);
        if (pica_sem_give(&tokens) != 0) {
            token_errors++;
        }
    }
}

PICA_TEST(sixteen_threads_keep_every_invariant_and_stop_cleanly)
{
    pica_assert_eq(pica_queue_init(&queue, queue_buf, sizeof(struct msg), 8), 0);
    pica_assert_eq(pica_mutex_init(&lock), 0);
    pica_assert_eq(pica_sem_init(&tokens, TOKENS, TOKENS), 0);
    static const struct {
        void (*fn)(void *);
        unsigned prio[4];
    } roles[] = {
        {producer, {8, 10, 12, 14}},
        {consumer, {9, 11, 11, 13}},
        {locker, {7, 10, 13, 15}},
        {tokener, {9, 9, 12, 14}},
    };
    /* Main outranks them all while creating, then lets them loose. */
    pica_thread_set_prio(pica_thread_self(), 1);
    for (int r = 0; r < 4; r++) {
        for (int i = 0; i < 4; i++) {
            pica_assert_eq(pica_thread_create(&th[r * 4 + i], "stress", roles[r].fn,
                                              (void *)(uintptr_t)i, stacks[r * 4 + i], STACK,
                                              roles[r].prio[i], 0),
                           0);
        }
    }
    pica_sleep(PICA_TICKS(RUN_TICKS));
    stop = 1;
    for (int i = 0; i < NTHREADS; i++) {
        pica_assert_eq(pica_thread_join(&th[i], PICA_MS(1000)), 0);
    }
    /* Drain what producers left behind and check it too. */
    struct msg m;
    uint32_t leftover = 0;
    while (pica_queue_recv(&queue, &m, PICA_NO_WAIT) == 0) {
        leftover++;
    }
    uint32_t total_sent = 0, total_received = leftover, total_rounds = 0;
    for (int i = 0; i < PRODUCERS; i++) {
        total_sent += sent[i];
        pica_assert_gt(sent[i], 0);
    }
    for (int i = 0; i < CONSUMERS; i++) {
        total_received += received[i];
    }
    for (int i = 0; i < LOCKERS; i++) {
        total_rounds += lock_rounds[i];
        pica_assert_gt(lock_rounds[i], 0);
    }
    pica_assert_eq(total_received, total_sent);
    pica_assert_eq(order_errors, 0);
    pica_assert_eq(shared_counter, total_rounds);
    pica_assert(pica_mutex_owner(&lock) == NULL);
    pica_assert_eq(token_errors, 0);
    pica_assert_eq(tokens_held, 0);
    pica_assert_eq(pica_sem_count(&tokens), TOKENS);
    pica_assert_gt(total_sent, 1000);
    pica_thread_set_prio(pica_thread_self(), PICA_PRIO_MAIN);
}

int
main(void)
{
    pica_test_run();
}
