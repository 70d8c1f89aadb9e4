/* SPDX-License-Identifier: MIT */
/* Drifters: threads that workers kill at any moment and create again. A
 * kill must leave the model whole, so a drifter makes every counted call
 * without waiting and inside pica_irq_lock(), where no kill can fall between
 * the call and its count; it waits only where a kill loses nothing counted
 * (sleeps, a gate semaphore and a queue of their own, event bits it does not
 * clear, joins), and what it holds is recorded so its reaper returns it. It
 * never uses the heap or a mutex: a kill there would take the heap's lock
 * or a protected update down with it. */
#include "torture.h"

struct pica_thread tt_drifter_thread[TT_DRIFTERS];
static uint64_t drifter_stack[TT_DRIFTERS][TT_STACK / 8]
    __attribute__((aligned(PICA_STACK_GUARD_BYTES)));
static const unsigned drifter_prio[TT_DRIFTERS] = {6, 9};
static bool reaping[TT_DRIFTERS]; /* under pica_irq_lock() */
static uint32_t incarnation[TT_DRIFTERS];

/* Returns whether it took a pool block (to be tagged). */
static bool
drifter_counted(unsigned id, struct tt_ctx *c)
{
    bool allocated = false;
    unsigned key = pica_irq_lock();
    switch (tt_below(c, 7)) {
    case 0:
        tt_take(id, PICA_NO_WAIT);
        break;
    case 1:
        tt_give(id);
        break;
    case 2:
        tt_send(id, tt_below(c, TT_QUEUES), tt_below(c, 8) == 0, PICA_NO_WAIT);
        break;
    case 3:
        tt_recv(id, tt_below(c, TT_QUEUES), PICA_NO_WAIT);
        break;
    case 4:
        tt_event_produce(id);
        break;
    default:
        if (c->pool_n < TT_POOL_HOLD) {
            allocated = tt_pool_alloc(id, tt_below(c, TT_POOLS), PICA_NO_WAIT) == 0;
        }
        break;
    }
    pica_irq_unlock(key);
    return allocated;
}

static void
drifter_wait(unsigned id, struct tt_ctx *c)
{
    pica_timeout_t t = tt_timeout(c, true);
    int r;
    switch (tt_below(c, 6)) {
    case 0:
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(tt_below(c, 4))), 0);
        break;
    case 1:
        pica_yield();
        break;
    case 2:
        r = pica_sem_take(&tt_gate, t);
        TT_CHECK_WAIT(r, t);
        break;
    case 3: {
        uint32_t v = 0;
        r = pica_queue_recv(&tt_drift_queue, &v, t);
        TT_CHECK_WAIT(r, t);
        TT_CHECK(r != 0 || v == TT_DRIFT_MAGIC);
        break;
    }
    case 4: {
        pica_timeout_t to = t == PICA_FOREVER ? PICA_TICKS(3) : t;
        r = pica_thread_join(&tt_worker_thread[tt_below(c, TT_WORKERS)], to);
        TT_CHECK(r == 0 ? tt_stop : true);
        if (r != 0) {
            TT_CHECK_WAIT(r, to);
        }
        break;
    }
    default:
        tt_event_observe(id, TT_EV_ISR_BITS, PICA_EV_ANY, t);
        break;
    }
}

void
tt_drifter(void *arg)
{
    unsigned id = TT_CTX_DRIFTER + (unsigned)(uintptr_t)arg;
    struct tt_ctx *c = &tt_ctx[id];
    while (!tt_stop) {
        c->n.ops++;
        unsigned r = tt_below(c, 8);
        if (r < 4) {
            if (drifter_counted(id, c)) {
                tt_pool_tag(id, c->pool_n - 1);
            }
        } else if (r < 7) {
            drifter_wait(id, c);
        } else if (c->pool_n != 0) {
            tt_pool_free(id, tt_below(c, c->pool_n), true);
        }
        tt_work(c);
    }
    while (c->pool_n != 0) {
        tt_pool_free(id, c->pool_n - 1, true);
    }
}

int
tt_drifter_create(unsigned d)
{
    struct tt_ctx *c = &tt_ctx[TT_CTX_DRIFTER + d];
    /* Each incarnation draws its own numbers, still fixed by the seed. */
    c->rng = tt_mix(c->rng + ++incarnation[d]) | 1u;
    c->op = "drift";
    return pica_thread_create(&tt_drifter_thread[d], "drifter", tt_drifter, (void *)(uintptr_t)d,
                              drifter_stack[d], sizeof(drifter_stack[d]), drifter_prio[d], 0);
}

/* Kill drifter @d, return what it held and create it again, as context
 * @by. One reaper per drifter at a time; another that comes along leaves. */
void
tt_drifter_reap(unsigned by, unsigned d)
{
    unsigned key = pica_irq_lock();
    bool mine = !reaping[d];
    reaping[d] = true;
    pica_irq_unlock(key);
    if (!mine) {
        return;
    }
    struct pica_thread *t = &tt_drifter_thread[d];
    unsigned id = TT_CTX_DRIFTER + d;
    int r = pica_thread_kill(t);
    TT_CHECK(r == 0 || r == -ESRCH); /* -ESRCH: it ended at the stop */
    int code = 1;
    TT_CHECK_EQ(pica_thread_join_code(t, PICA_NO_WAIT, &code), 0);
    TT_CHECK_EQ(code, r == 0 ? -EINTR : 0);
    /* Killed between its allocation and its tag, a block is untagged. */
    while (tt_ctx[id].pool_n != 0) {
        tt_pool_free(id, tt_ctx[id].pool_n - 1, false);
    }
    tt_ctx[by].n.kills++;
    if (!tt_stop) {
        TT_CHECK_EQ(tt_drifter_create(d), 0);
    }
    reaping[d] = false;
}
