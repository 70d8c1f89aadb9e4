/* SPDX-License-Identifier: MIT */
/* The torture test's workers: threads of mixed priorities (some equal, so
 * that time slices rotate them) that each run random operations on every
 * shared object, with random timeouts, and now and then suspend, reprioritise
 * or join another thread or kill and recreate a drifter. One rule keeps the
 * run free of deadlocks it did not ask for: a worker waits without limit
 * only while it holds nothing another context may wait for (no mutex, no
 * pool block); everything else it waits for is given by the interrupt
 * sources, which run until every worker has stopped. */
#include "torture.h"

struct pica_thread tt_worker_thread[TT_WORKERS];

/* Who holds each mutex (context id + 1), checked against the kernel's own
 * view: two holders at once would show here. */
static volatile unsigned guard_holder[TT_MUTEXES];

static bool
holds_nothing(const struct tt_ctx *c)
{
    return c->pool_n == 0 && c->mutexes_held == 0;
}

static uint32_t
random_mask(struct tt_ctx *c, unsigned bits)
{
    uint32_t m = 0;
    for (unsigned i = 0; i < bits; i++) {
        m |= 1u << tt_below(c, TT_CTXS);
    }
    return m;
}

static void
op_pause(unsigned id, struct tt_ctx *c)
{
    (void)id;
    c->n.pauses++;
    switch (tt_below(c, 4)) {
    case 0:
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(tt_below(c, 4))), 0);
        break;
    case 1:
        pica_yield();
        break;
    case 2: {
        /* A deadline already begun (period 1, or preempted) is an overrun. */
        pica_tick_t deadline = pica_tick_now();
        TT_CHECK(pica_sleep_until(&deadline, 1 + tt_below(c, 3)) >= 0);
        break;
    }
    default: {
        /* Busy for up to two ticks: equal priorities must share by slices. */
        pica_tick_t end = pica_tick_now() + tt_below(c, 3);
        while (pica_tick_now() < end) {
        }
        break;
    }
    }
}

static void
op_sem(unsigned id, struct tt_ctx *c)
{
    if (tt_below(c, 2)) {
        tt_take(id, tt_timeout(c, holds_nothing(c)));
    } else {
        tt_give(id);
    }
}

static void
op_send(unsigned id, struct tt_ctx *c)
{
    tt_send(id, tt_below(c, TT_QUEUES), tt_below(c, 8) == 0, tt_timeout(c, holds_nothing(c)));
}

static void
op_recv(unsigned id, struct tt_ctx *c)
{
    tt_recv(id, tt_below(c, TT_QUEUES), tt_timeout(c, holds_nothing(c)));
}

/* Worker 0 is the only thread that consumes event bits (until main takes
 * over at the end): two clearing waiters could both be satisfied by one set,
 * as event.h documents, and the model would no longer know who took it. */
static void
op_event(unsigned id, struct tt_ctx *c)
{
    unsigned r = tt_below(c, 4);
    if (r == 0) {
        tt_event_produce(id);
    } else if (id == TT_CTX_WORKER && r == 1) {
        tt_event_consume(id, TT_EV_ALL_BITS, PICA_EV_ANY, tt_timeout(c, holds_nothing(c)));
    } else if (id == TT_CTX_WORKER && r == 2) {
        tt_event_consume(id, random_mask(c, 2), PICA_EV_ALL, tt_timeout(c, false));
    } else if (id == TT_CTX_WORKER) {
        tt_event_consume_now(id, random_mask(c, 4));
    } else if (r == 1) {
        tt_event_observe(id, random_mask(c, 2), PICA_EV_ALL, tt_timeout(c, false));
    } else {
        /* The interrupt sources' bits are set again and again: a wait for
         * any of them may be unbounded. */
        uint32_t mask = random_mask(c, 3);
        bool forever_ok = holds_nothing(c) && (mask & TT_EV_ISR_BITS) != 0;
        tt_event_observe(id, mask, PICA_EV_ANY, tt_timeout(c, forever_ok));
    }
}

static void
op_pool(unsigned id, struct tt_ctx *c)
{
    if (c->pool_n < TT_POOL_HOLD && (c->pool_n == 0 || tt_below(c, 2))) {
        if (tt_pool_alloc(id, tt_below(c, TT_POOLS), tt_timeout(c, holds_nothing(c))) == 0) {
            tt_pool_tag(id, c->pool_n - 1);
        }
    } else {
        tt_pool_free(id, tt_below(c, c->pool_n), true);
    }
}

/* Heap blocks carry a pattern derived from their address and length. */
static bool
heap_pattern(void *p, size_t n, bool check)
{
    uint8_t *b = p;
    uint32_t h = tt_mix((uint32_t)(uintptr_t)p ^ (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        uint8_t want = (uint8_t)(h >> (i % 4u * 8u)) ^ (uint8_t)i;
        if (check && b[i] != want) {
            return false;
        }
        b[i] = want;
    }
    return true;
}

static void
heap_alloc(unsigned id, struct tt_ctx *c)
{
    /* Now and then more than the heap has: refused and counted. */
    bool huge = tt_below(c, 32) == 0;
    size_t n = huge ? (size_t)1 << 30 : 1 + tt_below(c, 300);
    void *p = pica_malloc(n);
    if (p == NULL) {
        c->n.heap_failed++;
        return;
    }
    TT_CHECK(!huge);
    TT_CHECK(((uintptr_t)p & 7u) == 0);
    heap_pattern(p, n, false);
    c->heap_held[c->heap_n] = p;
    c->heap_len[c->heap_n] = n;
    c->heap_n++;
    c->n.heap_allocs++;
}

static void
heap_free(unsigned id, struct tt_ctx *c, unsigned i, bool to_isr)
{
    void *p = c->heap_held[i];
    TT_CHECK(heap_pattern(p, c->heap_len[i], true));
    c->heap_n--;
    c->heap_held[i] = c->heap_held[c->heap_n];
    c->heap_len[i] = c->heap_len[c->heap_n];
    if (to_isr) {
        /* A heap call first returns what handlers freed, so the kernel's
         * queue of such frees never holds more than the mailbox plus one
         * block per handing worker (two): below PICA_CFG_HEAP_ISR_FREES. */
        struct pica_heap_stats st;
        TT_CHECK_EQ(pica_heap_stats(&st), 0);
        tt_heap_give_to_isr(id, p);
    } else {
        pica_free(p);
        c->n.heap_frees++;
    }
}

static void
op_heap(unsigned id, struct tt_ctx *c)
{
    unsigned r = tt_below(c, 8);
    if (c->heap_n < TT_HEAP_HOLD && (c->heap_n == 0 || r < 4)) {
        heap_alloc(id, c);
    } else {
        heap_free(id, c, tt_below(c, c->heap_n), id < 2 && r == 7);
    }
}

static bool
guard_lock(unsigned id, struct tt_ctx *c, unsigned m, pica_timeout_t t)
{
    bool nested = c->mutexes_held != 0;
    int r = pica_mutex_lock(&tt_mutex[m], t);
    if (r == -EDEADLK) {
        /* A cycle of owners can only close through a mutex the caller holds. */
        TT_CHECK(nested);
        c->n.deadlocks++;
        return false;
    }
    TT_CHECK_WAIT(r, t); /* never -EOWNERDEAD: no holder is ever killed */
    if (r != 0) {
        c->n.lock_misses++;
        return false;
    }
    TT_CHECK(pica_mutex_owner(&tt_mutex[m]) == pica_thread_self());
    TT_CHECK_EQ(guard_holder[m], 0);
    guard_holder[m] = id + 1;
    c->mutexes_held++;
    c->n.locks++;
    return true;
}

static void
guard_unlock(unsigned id, struct tt_ctx *c, unsigned m)
{
    TT_CHECK_EQ(guard_holder[m], id + 1);
    guard_holder[m] = 0;
    c->mutexes_held--;
    TT_CHECK_EQ(pica_mutex_unlock(&tt_mutex[m]), 0);
}

/* A read-modify-write spread over switches: only the mutex keeps it whole. */
static void
guard_update(unsigned id, struct tt_ctx *c, unsigned m)
{
    uint32_t v = tt_guarded[m];
    tt_work(c);
    if (tt_below(c, 3) == 0) {
        op_pause(id, c);
    }
    if (tt_below(c, 4) == 0) {
        TT_CHECK_EQ(pica_mutex_lock(&tt_mutex[m], PICA_NO_WAIT), 0); /* recursion */
        TT_CHECK_EQ(pica_mutex_unlock(&tt_mutex[m]), 0);
        TT_CHECK(pica_mutex_owner(&tt_mutex[m]) == pica_thread_self());
    }
    tt_guarded[m] = v + 1;
    c->n.incs[m]++;
}

static void
op_mutex(unsigned id, struct tt_ctx *c)
{
    unsigned m = tt_below(c, TT_MUTEXES);
    if (!guard_lock(id, c, m, tt_timeout(c, holds_nothing(c)))) {
        return;
    }
    guard_update(id, c, m);
    unsigned r = tt_below(c, 4);
    if (r == 0) {
        /* The other mutex too, in either order across workers: waits that
         * would close a cycle are refused. */
        unsigned other = (m + 1) % TT_MUTEXES;
        if (guard_lock(id, c, other, tt_timeout(c, false))) {
            guard_update(id, c, other);
            guard_unlock(id, c, other);
        }
    } else if (r == 1) {
        tt_send(id, tt_below(c, TT_QUEUES), false, tt_timeout(c, false));
    } else if (r == 2) {
        tt_take(id, tt_timeout(c, false));
    }
    guard_unlock(id, c, m);
}

/* Wait for @units callbacks of the worker's one-shot, then see that no
 * more come: one start, one callback. */
static void
oneshot_wait(unsigned id, struct tt_ctx *c, unsigned units, pica_tick_t delay)
{
    for (unsigned k = 0; k < units; k++) {
        int r = pica_sem_take(&tt_fired[id], PICA_TICKS(delay + TT_TIMER_SLACK));
        TT_CHECK_EQ(r, 0);
        if (r == 0) {
            c->n.timer_units++;
        }
    }
    TT_CHECK(!pica_timer_is_active(&tt_oneshot[id]));
    TT_CHECK_EQ(pica_sem_take(&tt_fired[id], PICA_NO_WAIT), -EAGAIN);
}

static void
oneshot_stop(unsigned id, struct tt_ctx *c, pica_tick_t delay)
{
    TT_CHECK_EQ(pica_timer_stop(&tt_oneshot[id]), 0);
    c->n.timer_stops++;
    TT_CHECK(!pica_timer_is_active(&tt_oneshot[id]));
    unsigned units = 0;
    while (pica_sem_take(&tt_fired[id], PICA_NO_WAIT) == 0) {
        units++;
    }
    TT_CHECK(units <= 1); /* fired before the stop, or not at all */
    c->n.timer_units += units;
    if (tt_below(c, 2)) {
        /* Stopped means it does not fire later either. */
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(delay + 1)), 0);
        TT_CHECK_EQ(pica_sem_take(&tt_fired[id], PICA_NO_WAIT), -EAGAIN);
    }
}

/* The timer thread outranks every worker and its callbacks never block, so
 * a one-shot that is no longer active has finished its callback. */
static void
op_timer(unsigned id, struct tt_ctx *c)
{
    struct pica_timer *tm = &tt_oneshot[id];
    pica_tick_t delay = 1 + tt_below(c, 4);
    TT_CHECK_EQ(pica_timer_start(tm, PICA_TICKS(delay), 0), 0);
    switch (tt_below(c, 3)) {
    case 0:
        oneshot_wait(id, c, 1, delay);
        break;
    case 1: {
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(tt_below(c, (uint32_t)delay + 1))), 0);
        /* A restart replaces a pending expiry, or arms a second one if the
         * first has fired: decided where no tick can fall in between. */
        unsigned key = pica_irq_lock();
        bool pending = pica_timer_is_active(tm);
        TT_CHECK_EQ(pica_timer_restart(tm), 0);
        pica_irq_unlock(key);
        oneshot_wait(id, c, pending ? 1 : 2, delay);
        break;
    }
    default:
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(tt_below(c, (uint32_t)delay + 2))), 0);
        oneshot_stop(id, c, delay);
        break;
    }
}

/* A worker or drifter by context id, and one at random but @except. */
static struct pica_thread *
thread_of(unsigned id)
{
    return id < TT_WORKERS ? &tt_worker_thread[id] : &tt_drifter_thread[id - TT_WORKERS];
}

static unsigned
random_thread(struct tt_ctx *c, unsigned except)
{
    unsigned n = tt_below(c, TT_WORKERS + TT_DRIFTERS);
    return n != except ? n : (n + 1) % (TT_WORKERS + TT_DRIFTERS);
}

/* Another thread may have ended (after the stop) or be a drifter being
 * killed or created. */
static bool
thread_call_ok(int r)
{
    return r == 0 || r == -ESRCH || r == -EBUSY;
}

static void
op_suspend(unsigned id, struct tt_ctx *c)
{
    /* Nothing but a sleep in between, so every suspend ends in a resume
     * soon (an interrupt source may resume it earlier). */
    struct pica_thread *t = thread_of(random_thread(c, id));
    TT_CHECK(thread_call_ok(pica_thread_suspend(t)));
    TT_CHECK_EQ(pica_sleep(PICA_TICKS(tt_below(c, 4))), 0);
    TT_CHECK(thread_call_ok(pica_thread_resume(t)));
    c->n.suspends++;
}

static void
op_prio(unsigned id, struct tt_ctx *c)
{
    (void)id;
    unsigned prio = TT_PRIO_LOW + tt_below(c, TT_PRIO_HIGH - TT_PRIO_LOW + 1);
    TT_CHECK(thread_call_ok(pica_thread_set_prio(thread_of(random_thread(c, TT_CTXS)), prio)));
    c->n.prio_changes++;
}

static void
op_join(unsigned id, struct tt_ctx *c)
{
    unsigned n = random_thread(c, id);
    pica_timeout_t to = tt_below(c, 2) ? PICA_NO_WAIT : PICA_TICKS(1 + tt_below(c, 3));
    int r = pica_thread_join(thread_of(n), to);
    if (r == 0) {
        /* Workers end only after the stop; drifters also when killed. */
        TT_CHECK(n >= TT_WORKERS || tt_stop);
    } else {
        TT_CHECK_WAIT(r, to);
    }
    c->n.joins++;
}

static void
op_reap(unsigned id, struct tt_ctx *c)
{
    tt_drifter_reap(id, tt_below(c, TT_DRIFTERS));
}

static void
op_watchdog(unsigned id, struct tt_ctx *c)
{
    if (tt_below(c, 4) != 0) {
        tt_watchdog_kick(id);
    } else {
        tt_watchdog_stop(id);
    }
}

static const struct {
    void (*fn)(unsigned id, struct tt_ctx *c);
    const char *name;
    unsigned weight;
} ops[] = {
    {op_sem, "semaphore", 3}, {op_send, "send", 3},      {op_recv, "receive", 3},
    {op_event, "event", 3},   {op_pool, "pool", 2},      {op_heap, "heap", 2},
    {op_mutex, "mutex", 3},   {op_timer, "one-shot", 1}, {op_suspend, "suspend", 1},
    {op_prio, "set_prio", 1}, {op_join, "join", 1},      {op_reap, "kill", 1},
    {op_watchdog, "watchdog", 1}, {op_pause, "pause", 2},
};

static unsigned
ops_weight(void)
{
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        sum += ops[i].weight;
    }
    return sum;
}

void
tt_worker_release_all(unsigned id)
{
    struct tt_ctx *c = &tt_ctx[id];
    while (c->pool_n != 0) {
        tt_pool_free(id, c->pool_n - 1, true);
    }
    while (c->heap_n != 0) {
        heap_free(id, c, c->heap_n - 1, false);
    }
}

void
tt_worker(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    struct tt_ctx *c = &tt_ctx[id];
    unsigned total = ops_weight();
    while (!tt_stop) {
        unsigned pick = tt_below(c, total);
        size_t i = 0;
        while (pick >= ops[i].weight) {
            pick -= ops[i++].weight;
        }
        c->op = ops[i].name;
        c->n.ops++;
        ops[i].fn(id, c);
        tt_work(c);
    }
    c->op = "release";
    tt_worker_release_all(id);
    c->op = "done";
}
