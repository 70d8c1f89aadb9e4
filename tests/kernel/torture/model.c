/* SPDX-License-Identifier: MIT */
/* The torture test's model: the shared objects, one counted wrapper per
 * kind of call (queues in messages.c, pools in blocks.c), and the final
 * check that what the contexts counted agrees with what the objects hold.
 * What is counted where two contexts meet (watchdog armings, heap blocks
 * handed over) is updated under pica_irq_lock(), so interrupt sources and
 * threads can share it. */
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "torture.h"

struct tt_ctx tt_ctx[TT_CTXS];
volatile bool tt_stop;
volatile bool tt_sources_stop;

struct pica_sem tt_tokens;
struct pica_event tt_events;
struct pica_mutex tt_mutex[TT_MUTEXES];
uint32_t tt_guarded[TT_MUTEXES];
struct pica_timer tt_oneshot[TT_WORKERS];
struct pica_sem tt_fired[TT_WORKERS];
uint32_t tt_fire_count[TT_WORKERS];
struct pica_timer tt_watchdog;
struct pica_sem tt_gate;

static uint32_t ev_consumed[TT_CTXS]; /* one clearing consumer at a time */

static uint32_t wd_armings, wd_cancels, wd_fires;

static void *heap_mail[TT_HEAP_MAIL];
static unsigned heap_mail_n;

static struct {
    const char *file;
    int line;
    const char *expr;
    bool has_values;
    int64_t a, b;
    unsigned count;
} failure;

uint32_t
tt_mix(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

static void
fail_record(const char *file, int line, const char *expr, bool has_values, int64_t a, int64_t b)
{
    unsigned key = pica_irq_lock();
    if (failure.count++ == 0) {
        failure.file = file;
        failure.line = line;
        failure.expr = expr;
        failure.has_values = has_values;
        failure.a = a;
        failure.b = b;
    }
    tt_stop = true;
    pica_irq_unlock(key);
}

void
tt_work(struct tt_ctx *c)
{
    volatile uint32_t sink = 0;
    for (uint32_t n = tt_below(c, 2048); n > 0; n--) {
        sink = tt_mix(sink + n);
    }
}

void
tt_fail(const char *file, int line, const char *expr, int64_t a, int64_t b)
{
    fail_record(file, line, expr, true, a, b);
}

void
tt_fail_cond(const char *file, int line, const char *expr)
{
    fail_record(file, line, expr, false, 0, 0);
}

unsigned
tt_failures(void)
{
    return failure.count;
}

/* In decimal: the integer printf has no 64-bit conversions, and sums of
 * sequence numbers need them. */
static const char *
i64_str(char buf[24], int64_t v)
{
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    char *p = buf + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0);
    if (v < 0) {
        *--p = '-';
    }
    return p;
}

void
tt_report_failure(void)
{
    char a[24], b[24];
    printf("torture: %u model check(s) failed; the first: %s:%d: %s", failure.count,
           failure.file, failure.line, failure.expr);
    if (failure.has_values) {
        printf(" (%s vs %s)", i64_str(a, failure.a), i64_str(b, failure.b));
    }
    printf("\n");
}

void
tt_check_wait(const char *file, int line, int r, pica_timeout_t t)
{
    bool ok = r == 0 || (t == PICA_NO_WAIT && r == -EAGAIN) || (t > 0 && r == -ETIMEDOUT);
    if (!ok) {
        tt_fail(file, line, "a wait's result its timeout allows (result, timeout)", r, t);
    }
}

pica_timeout_t
tt_timeout(struct tt_ctx *c, bool forever_ok)
{
    uint32_t r = tt_below(c, 16);
    if (r < 4) {
        return PICA_NO_WAIT;
    }
    if (r < 14 || !forever_ok) {
        return PICA_TICKS(1 + tt_below(c, 8));
    }
    return PICA_FOREVER;
}

/* ---- semaphore: tokens are neither made nor lost ---- */

int
tt_give(unsigned id)
{
    int r = pica_sem_give(&tt_tokens);
    TT_CHECK(r == 0 || r == -EOVERFLOW);
    if (r == 0) {
        tt_ctx[id].n.sem_gives++;
    } else {
        tt_ctx[id].n.sem_full++;
    }
    return r;
}

int
tt_take(unsigned id, pica_timeout_t t)
{
    int r = pica_sem_take(&tt_tokens, t);
    TT_CHECK_WAIT(r, t);
    if (r == 0) {
        tt_ctx[id].n.sem_takes++;
    } else {
        tt_ctx[id].n.sem_misses++;
    }
    return r;
}

/* ---- event flags: each context sets only its own bit, and only while it
 * is clear, so every set is one unit that exactly one consumption (a
 * clearing wait or clear) takes, or that is still set at the end ---- */

void
tt_event_produce(unsigned id)
{
    uint32_t bit = 1u << id;
    if ((pica_event_get(&tt_events) & bit) == 0) {
        TT_CHECK_EQ(pica_event_set(&tt_events, bit), 0);
        tt_ctx[id].n.ev_sets++;
    }
}

static void
event_result(unsigned id, int r, uint32_t mask, unsigned options, pica_timeout_t t)
{
    if (r > 0) {
        TT_CHECK(((uint32_t)r & ~mask) == 0);
        if (options & PICA_EV_ALL) {
            TT_CHECK_EQ(r, mask);
        }
        tt_ctx[id].n.ev_observed++;
    } else {
        TT_CHECK_WAIT(r, t);
        tt_ctx[id].n.ev_misses++;
    }
}

void
tt_event_observe(unsigned id, uint32_t mask, unsigned options, pica_timeout_t t)
{
    int r = pica_event_wait(&tt_events, mask, options & PICA_EV_ALL, t);
    event_result(id, r, mask, options, t);
}

static void
event_consumed(uint32_t bits)
{
    for (unsigned b = 0; b < TT_CTXS; b++) {
        if (bits & (1u << b)) {
            ev_consumed[b]++;
        }
    }
}

void
tt_event_consume(unsigned id, uint32_t mask, unsigned options, pica_timeout_t t)
{
    int r = pica_event_wait(&tt_events, mask, options | PICA_EV_CLEAR, t);
    event_result(id, r, mask, options, t);
    if (r > 0) {
        event_consumed((uint32_t)r);
    }
}

void
tt_event_consume_now(unsigned id, uint32_t mask)
{
    /* Interrupt sources set bits too: read and clear as one step. */
    unsigned key = pica_irq_lock();
    uint32_t bits = pica_event_get(&tt_events) & mask;
    if (bits != 0) {
        TT_CHECK_EQ(pica_event_clear(&tt_events, bits), 0);
        event_consumed(bits);
        tt_ctx[id].n.ev_observed++;
    }
    pica_irq_unlock(key);
}

/* ---- the watchdog: a start that finds it inactive arms one callback, a
 * stop that finds it active cancels one ---- */

void
tt_watchdog_kick(unsigned id)
{
    struct tt_ctx *c = &tt_ctx[id];
    pica_timeout_t delay = PICA_TICKS(tt_below(c, 4));
    unsigned key = pica_irq_lock();
    if (!pica_timer_is_active(&tt_watchdog)) {
        wd_armings++;
    }
    TT_CHECK_EQ(pica_timer_start(&tt_watchdog, delay, 0), 0);
    pica_irq_unlock(key);
}

void
tt_watchdog_stop(unsigned id)
{
    /* The timer thread outranks every caller and its callbacks never block,
     * so no callback is running here and the stop cannot be refused. */
    unsigned key = pica_irq_lock();
    if (pica_timer_is_active(&tt_watchdog)) {
        wd_cancels++;
    }
    TT_CHECK_EQ(pica_timer_stop(&tt_watchdog), 0);
    tt_ctx[id].n.timer_stops++;
    pica_irq_unlock(key);
}

void
tt_watchdog_fired(void *arg)
{
    (void)arg;
    wd_fires++;
}

void
tt_oneshot_fired(void *arg)
{
    unsigned w = (unsigned)(uintptr_t)arg;
    tt_fire_count[w]++;
    TT_CHECK_EQ(pica_sem_give(&tt_fired[w]), 0);
}

/* ---- heap blocks handed to interrupt handlers to free ---- */

void
tt_heap_give_to_isr(unsigned id, void *p)
{
    unsigned key = pica_irq_lock();
    bool room = heap_mail_n < TT_HEAP_MAIL;
    if (room) {
        heap_mail[heap_mail_n++] = p;
        tt_ctx[id].n.heap_handed++;
    }
    pica_irq_unlock(key);
    if (!room) {
        pica_free(p);
        tt_ctx[id].n.heap_frees++;
    }
}

void
tt_heap_free_from_isr(unsigned id)
{
    unsigned key = pica_irq_lock();
    void *p = heap_mail_n != 0 ? heap_mail[--heap_mail_n] : NULL;
    pica_irq_unlock(key);
    if (p != NULL) {
        pica_free(p);
        tt_ctx[id].n.heap_isr_frees++;
    }
}

void
tt_heap_mail_drain(unsigned id)
{
    while (heap_mail_n != 0) {
        pica_free(heap_mail[--heap_mail_n]);
        tt_ctx[id].n.heap_frees++;
    }
}

void
tt_model_init(uint32_t seed)
{
    for (unsigned i = 0; i < TT_CTXS; i++) {
        /* xorshift must not start at 0. */
        tt_ctx[i].rng = tt_mix(seed + 0x9e3779b9u * (i + 1)) | 1u;
    }
    pica_assert_eq(pica_sem_init(&tt_tokens, TT_TOKENS_INIT, TT_TOKENS_MAX), 0);
    tt_messages_init();
    pica_assert_eq(pica_event_init(&tt_events), 0);
    tt_pools_init();
    for (unsigned m = 0; m < TT_MUTEXES; m++) {
        pica_assert_eq(pica_mutex_init(&tt_mutex[m]), 0);
    }
    for (unsigned w = 0; w < TT_WORKERS; w++) {
        pica_assert_eq(pica_sem_init(&tt_fired[w], 0, 4), 0);
        pica_assert_eq(pica_timer_init(&tt_oneshot[w], tt_oneshot_fired, (void *)(uintptr_t)w),
                       0);
    }
    pica_assert_eq(pica_timer_init(&tt_watchdog, tt_watchdog_fired, NULL), 0);
    pica_assert_eq(pica_sem_init(&tt_gate, 0, 1), 0);
}

/* ---- the final check, with every context stopped ---- */

static struct tt_counts total;

static void
counts_sum(void)
{
    uint32_t *t = (uint32_t *)&total;
    memset(&total, 0, sizeof(total));
    for (unsigned c = 0; c < TT_CTXS; c++) {
        const uint32_t *n = (const uint32_t *)&tt_ctx[c].n;
        for (size_t i = 0; i < sizeof(total) / sizeof(uint32_t); i++) {
            t[i] += n[i];
        }
    }
}

static void
check_objects(void)
{
    TT_CHECK_EQ(TT_TOKENS_INIT + total.sem_gives, total.sem_takes + pica_sem_count(&tt_tokens));
    uint32_t bits = pica_event_get(&tt_events);
    for (unsigned b = 0; b < TT_CTXS; b++) {
        TT_CHECK_EQ(tt_ctx[b].n.ev_sets, ev_consumed[b] + ((bits >> b) & 1u));
    }
    tt_pools_check();
    TT_CHECK_EQ(total.pool_allocs, total.pool_frees);
    for (unsigned m = 0; m < TT_MUTEXES; m++) {
        uint32_t incs = 0;
        for (unsigned c = 0; c < TT_CTXS; c++) {
            incs += tt_ctx[c].n.incs[m];
        }
        TT_CHECK(pica_mutex_owner(&tt_mutex[m]) == NULL);
        TT_CHECK_EQ(tt_guarded[m], incs);
    }
    for (unsigned w = 0; w < TT_WORKERS; w++) {
        TT_CHECK(!pica_timer_is_active(&tt_oneshot[w]));
        TT_CHECK_EQ(tt_ctx[w].n.timer_units + pica_sem_count(&tt_fired[w]), tt_fire_count[w]);
    }
    TT_CHECK(!pica_timer_is_active(&tt_watchdog));
    TT_CHECK_EQ(wd_fires, wd_armings - wd_cancels);
}

static void
check_heap(const struct pica_heap_stats *before)
{
    struct pica_heap_stats now;
    TT_CHECK_EQ(pica_heap_stats(&now), 0); /* also frees what handlers queued */
    TT_CHECK_EQ(now.allocated_blocks, before->allocated_blocks);
    TT_CHECK_EQ(now.used_bytes, before->used_bytes);
    TT_CHECK_EQ(now.free_bytes, before->free_bytes);
    TT_CHECK_EQ(now.alloc_count - before->alloc_count, total.heap_allocs);
    TT_CHECK_EQ(now.free_count - before->free_count, total.heap_frees + total.heap_isr_frees);
    TT_CHECK_EQ(now.failed_allocs - before->failed_allocs, total.heap_failed + total.isr_mallocs);
    TT_CHECK_EQ(now.bad_frees, before->bad_frees);
}

void
tt_model_check(const struct pica_heap_stats *before)
{
    counts_sum();
    tt_messages_check();
    check_objects();
    check_heap(before);
}

void
tt_model_summary(void)
{
    const struct tt_counts *t = &total;
    printf("torture: %lu operations; sem %lu gives %lu takes; queue %lu sent %lu received; "
           "events %lu sets %lu waits\n",
           (unsigned long)t->ops, (unsigned long)t->sem_gives, (unsigned long)t->sem_takes,
           (unsigned long)t->sent, (unsigned long)t->received, (unsigned long)t->ev_sets,
           (unsigned long)t->ev_observed);
    printf("torture: pool %lu allocs; heap %lu allocs %lu handed to handlers; mutex %lu locks "
           "%lu deadlocks refused; one-shots %lu fired %lu stopped; watchdog %lu fired\n",
           (unsigned long)t->pool_allocs, (unsigned long)t->heap_allocs,
           (unsigned long)t->heap_handed, (unsigned long)t->locks, (unsigned long)t->deadlocks,
           (unsigned long)t->timer_units, (unsigned long)t->timer_stops, (unsigned long)wd_fires);
    printf("torture: %lu suspends, %lu resumes in handlers, %lu priority changes, %lu kills, "
           "%lu joins, %lu pauses; interrupts: devtimer %lu soft %lu tick %lu\n",
           (unsigned long)t->suspends, (unsigned long)t->resumes, (unsigned long)t->prio_changes,
           (unsigned long)t->kills, (unsigned long)t->joins, (unsigned long)t->pauses,
           (unsigned long)tt_ctx[TT_CTX_DEVTIMER].n.ops, (unsigned long)tt_ctx[TT_CTX_SOFT].n.ops,
           (unsigned long)tt_ctx[TT_CTX_TICK].n.ops);
}
