/* SPDX-License-Identifier: MIT */
/* The torture test's shared state. Contexts (workers, drifters, three
 * interrupt sources, the pacer and main) act on one set of kernel objects
 * at random; each counts what it did in its own struct tt_ctx, and the
 * model (model.c, messages.c, blocks.c) checks at the end that the totals
 * agree with what the objects hold. The actors are in workers.c, drifter.c
 * and sources.c, the run in main.c. */
#pragma once

#include <pica/pica.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define TT_WORKERS 10
#define TT_DRIFTERS 2

/* Who acts. Each context owns event bit (1 << id) and sends messages as
 * sender id; interrupt sources never nest into themselves, so a context's
 * counters have one writer. */
enum tt_ctx_id {
    TT_CTX_WORKER = 0,
    TT_CTX_DRIFTER = TT_WORKERS,
    TT_CTX_DEVTIMER = TT_WORKERS + TT_DRIFTERS, /* the board's device timer */
    TT_CTX_SOFT,                                 /* a line triggered from software */
    TT_CTX_TICK,                                 /* a timer callback in the tick interrupt */
    TT_CTX_PACER,
    TT_CTX_MAIN,
    TT_CTXS,
};
_Static_assert(TT_CTXS <= 31, "one event bit per context");

/* Priorities: the timer thread (1) above main, main above the pacer, the
 * pacer above every worker; set_prio moves workers within their range. */
#define TT_PRIO_MAIN 2u
#define TT_PRIO_PACER 3u
#define TT_PRIO_LOW 4u
#define TT_PRIO_HIGH 12u
_Static_assert(PICA_CFG_TIMER_PRIO < TT_PRIO_MAIN, "timer callbacks outrank every actor");

#define TT_QUEUES 2       /* 8-byte messages (copied by words), 24-byte ones */
#define TT_POOLS 2        /* a power-of-two block size (inline free), and not */
#define TT_MUTEXES 2
#define TT_POOL_HOLD 3    /* blocks one context holds at most */
#define TT_HEAP_HOLD 4
#define TT_HEAP_MAIL 4    /* heap blocks waiting for an interrupt to free them */
#define TT_TOKENS_INIT 4u
#define TT_TOKENS_MAX 16u
#define TT_TIMER_SLACK 5u /* ticks a one-shot's callback may be late */
/* Bytes per thread stack, twice what the threads use: QEMU runs every
 * access to a page (1 KB on Arm) that holds a region smaller than a page,
 * such as the 64-byte stack guard, on its slow path, so the frames in use
 * are kept a page above the guard. With 1 KB stacks the run takes three
 * times as long on the mps2 boards. */
#define TT_STACK 2048
#define TT_DRIFT_MAGIC 0xd1f7u

/* Bits of the interrupt sources every board has: a wait for any of them
 * always ends while the sources run. */
#define TT_EV_ISR_BITS ((1u << TT_CTX_SOFT) | (1u << TT_CTX_TICK))
#define TT_EV_ALL_BITS ((1u << TT_CTXS) - 1u)

struct tt_counts {
    uint32_t ops;
    uint32_t sem_gives, sem_full, sem_takes, sem_misses;
    uint32_t sent, send_misses, received, recv_misses;
    uint32_t ev_sets, ev_observed, ev_misses;
    uint32_t pool_allocs, pool_frees, pool_misses;
    uint32_t heap_allocs, heap_frees, heap_failed, heap_handed, heap_isr_frees, isr_mallocs;
    uint32_t locks, lock_misses, deadlocks, incs[TT_MUTEXES];
    uint32_t timer_units, timer_stops;
    uint32_t suspends, resumes, prio_changes, kills, joins;
    uint32_t pauses;
};

struct tt_pool_ref {
    void *blk;
    unsigned pool;
};

struct tt_ctx {
    uint32_t rng;
    const char *volatile op; /* what it is doing now, for a report if it hangs */
    struct tt_counts n;
    uint32_t seq[TT_QUEUES][2];                  /* sent: [queue][urgent] */
    uint32_t last_seen[TT_QUEUES][TT_CTXS];      /* received in order, per sender */
    struct tt_pool_ref pool_held[TT_POOL_HOLD];
    unsigned pool_n;
    void *heap_held[TT_HEAP_HOLD];
    size_t heap_len[TT_HEAP_HOLD];
    unsigned heap_n;
    unsigned mutexes_held;
};

extern struct tt_ctx tt_ctx[TT_CTXS];
extern volatile bool tt_stop;         /* workers and drifters: wind down */
extern volatile bool tt_sources_stop; /* the pacer: stop the device timer and end */

/* The shared objects (model.c). */
extern struct pica_sem tt_tokens;
extern struct pica_queue tt_queue[TT_QUEUES];
extern struct pica_event tt_events;
extern struct pica_pool tt_pool[TT_POOLS];
extern struct pica_mutex tt_mutex[TT_MUTEXES];
extern uint32_t tt_guarded[TT_MUTEXES];        /* changed only by the mutex's owner */
extern struct pica_timer tt_oneshot[TT_WORKERS]; /* one per worker */
extern struct pica_sem tt_fired[TT_WORKERS];     /* given by its callback */
extern uint32_t tt_fire_count[TT_WORKERS];       /* written by the timer thread */
extern struct pica_timer tt_watchdog;            /* kicked from anywhere */
extern struct pica_sem tt_gate;                  /* drifters block here; not counted */
extern struct pica_queue tt_drift_queue;         /* nor here */
extern struct pica_thread tt_worker_thread[TT_WORKERS];
extern struct pica_thread tt_drifter_thread[TT_DRIFTERS];

/* xorshift32 per context: each context's choices follow from the seed and
 * from what it saw, so a run replays from its seed. */
static inline uint32_t
tt_rand(struct tt_ctx *c)
{
    uint32_t x = c->rng;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c->rng = x;
    return x;
}

static inline uint32_t
tt_below(struct tt_ctx *c, uint32_t n)
{
    return tt_rand(c) % n;
}

uint32_t tt_mix(uint32_t x);

/* Compute for a random while (up to some 20 us): a thread that is running,
 * not waiting, when an interrupt or a higher priority thread comes. */
void tt_work(struct tt_ctx *c);

/* Failures: recorded (the first in full), and the run told to stop; main
 * reports them with the seed. Context: any. */
void tt_fail(const char *file, int line, const char *expr, int64_t a, int64_t b);
void tt_fail_cond(const char *file, int line, const char *expr);
unsigned tt_failures(void);
void tt_report_failure(void);

#define TT_CHECK(cond)                                                                            \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            tt_fail_cond(__FILE__, __LINE__, #cond);                                              \
        }                                                                                         \
    } while (0)

#define TT_CHECK_EQ(a, b)                                                                         \
    do {                                                                                          \
        int64_t tt_a_ = (int64_t)(a), tt_b_ = (int64_t)(b);                                       \
        if (tt_a_ != tt_b_) {                                                                     \
            tt_fail(__FILE__, __LINE__, #a " == " #b, tt_a_, tt_b_);                              \
        }                                                                                         \
    } while (0)

/* A wait's result must be one its timeout allows. */
void tt_check_wait(const char *file, int line, int r, pica_timeout_t t);
#define TT_CHECK_WAIT(r, t) tt_check_wait(__FILE__, __LINE__, r, t)

/* A random timeout: no wait, a few ticks, or (if @forever_ok: the caller
 * holds nothing another context may be waiting for) PICA_FOREVER. */
pica_timeout_t tt_timeout(struct tt_ctx *c, bool forever_ok);

/* The model's operations (model.c, messages.c, blocks.c): each does one call on a shared object
 * as context @id and counts it. A drifter wraps them in pica_irq_lock()
 * with PICA_NO_WAIT so that a kill never falls between a call and its
 * count. */
void tt_model_init(uint32_t seed);
void tt_messages_init(void);
void tt_messages_check(void);
void tt_pools_init(void);
void tt_pools_check(void);
int tt_give(unsigned id);
int tt_take(unsigned id, pica_timeout_t t);
int tt_send(unsigned id, unsigned q, bool urgent, pica_timeout_t t);
int tt_recv(unsigned id, unsigned q, pica_timeout_t t);
void tt_event_produce(unsigned id);
void tt_event_observe(unsigned id, uint32_t mask, unsigned options, pica_timeout_t t);
void tt_event_consume(unsigned id, uint32_t mask, unsigned options, pica_timeout_t t);
void tt_event_consume_now(unsigned id, uint32_t mask);
int tt_pool_alloc(unsigned id, unsigned pool, pica_timeout_t t);
void tt_pool_tag(unsigned id, unsigned i);
void tt_pool_free(unsigned id, unsigned i, bool check_tag);
void tt_watchdog_kick(unsigned id);
void tt_watchdog_stop(unsigned id);
void tt_oneshot_fired(void *arg);
void tt_watchdog_fired(void *arg);
void tt_heap_give_to_isr(unsigned id, void *p);
void tt_heap_free_from_isr(unsigned id);
void tt_heap_mail_drain(unsigned id);
void tt_model_check(const struct pica_heap_stats *before);
void tt_model_summary(void);

/* The actors. */
void tt_worker(void *arg);
void tt_worker_release_all(unsigned id);
void tt_drifter(void *arg);
void tt_drifter_reap(unsigned by, unsigned d);
int tt_drifter_create(unsigned d);
void tt_isr_work(unsigned id);
bool tt_sources_start(void);
void tt_sources_stop_all(void);
extern struct pica_thread tt_pacer_thread;
