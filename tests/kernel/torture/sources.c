/* SPDX-License-Identifier: MIT */
/* The torture test's interrupt sources: the board's device timer (mps2,
 * virt-rv32) at a period the pacer changes every few tens of milliseconds,
 * a line the pacer and the device timer trigger from software at a varying
 * rate (every board), and a periodic timer whose callback runs in the tick
 * interrupt and changes its own period. Each does random interrupt-safe
 * calls (no waiting) on the shared objects. The device timer's line is more
 * urgent than the software one, so the two nest. */
#include <pica/test.h>

#include "arch.h"
#include "torture.h"

struct pica_thread tt_pacer_thread;
static uint64_t pacer_stack[TT_STACK / 8] __attribute__((aligned(PICA_STACK_GUARD_BYTES)));
static struct pica_timer tick_timer;
static unsigned soft_line;
static bool have_devtimer;

static void
isr_pool(unsigned id, struct tt_ctx *c)
{
    if (c->pool_n < TT_POOL_HOLD && tt_below(c, 2)) {
        if (tt_pool_alloc(id, tt_below(c, TT_POOLS), PICA_NO_WAIT) == 0) {
            tt_pool_tag(id, c->pool_n - 1);
        }
    } else if (c->pool_n != 0) {
        tt_pool_free(id, 0, true);
    }
}

static void
isr_rare(unsigned id, struct tt_ctx *c)
{
    int r;
    switch (tt_below(c, 6)) {
    case 0:
        /* The heap refuses handlers, and counts it as a failed allocation. */
        TT_CHECK(pica_malloc(16) == NULL);
        c->n.isr_mallocs++;
        break;
    case 1: {
        unsigned n = tt_below(c, TT_WORKERS + TT_DRIFTERS);
        r = pica_thread_resume(n < TT_WORKERS ? &tt_worker_thread[n]
                                              : &tt_drifter_thread[n - TT_WORKERS]);
        TT_CHECK(r == 0 || r == -ESRCH || r == -EBUSY);
        c->n.resumes++;
        break;
    }
    case 2:
        r = pica_sem_give(&tt_gate);
        TT_CHECK(r == 0 || r == -EOVERFLOW);
        break;
    case 3: {
        uint32_t v = TT_DRIFT_MAGIC;
        r = pica_queue_send(&tt_drift_queue, &v, PICA_NO_WAIT);
        TT_CHECK(r == 0 || r == -EAGAIN);
        break;
    }
    case 4:
        if (id != TT_CTX_SOFT) {
            TT_CHECK_EQ(pica_irq_trigger(soft_line), 0);
        }
        break;
    default:
        if (id == TT_CTX_TICK) {
            /* From inside its own callback, in the tick interrupt. */
            TT_CHECK_EQ(pica_timer_start(&tick_timer, PICA_TICKS(tt_below(c, 3)),
                                         1 + tt_below(c, 4)),
                        0);
        }
        break;
    }
}

void
tt_isr_work(unsigned id)
{
    struct tt_ctx *c = &tt_ctx[id];
    c->n.ops++;
    for (unsigned k = 1 + tt_below(c, 3); k > 0; k--) {
        switch (tt_below(c, 10)) {
        case 0:
            tt_give(id);
            break;
        case 1:
            tt_take(id, PICA_NO_WAIT);
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
        case 5:
            tt_event_observe(id, 1u << tt_below(c, TT_CTXS), PICA_EV_ANY, PICA_NO_WAIT);
            break;
        case 6:
            isr_pool(id, c);
            break;
        case 7:
            tt_heap_free_from_isr(id);
            break;
        case 8:
            tt_watchdog_kick(id);
            break;
        default:
            isr_rare(id, c);
            break;
        }
    }
}

static void
devtimer_fn(void)
{
    tt_isr_work(TT_CTX_DEVTIMER);
}

static void
soft_handler(void *arg)
{
    (void)arg;
    tt_isr_work(TT_CTX_SOFT);
}

static void
tick_fn(void *arg)
{
    (void)arg;
    tt_isr_work(TT_CTX_TICK);
}

/* A new period from 16 us to about 2 ms, even on a log scale. A start is
 * refused while the line is attached, so stop first; from a thread, since
 * attaching is refused in a handler. */
static void
devtimer_retune(struct tt_ctx *c)
{
    uint32_t period_ns = (16000u << tt_below(c, 8)) + tt_below(c, 16000);
    pica_test_devtimer_stop();
    TT_CHECK_EQ(pica_test_devtimer_start(period_ns, devtimer_fn), 0);
}

/* A burst of triggers of the software line (longer without a device timer:
 * then it is the only fast source), now and then with the line disabled,
 * where they wait for the enable. */
static void
soft_burst(struct tt_ctx *c)
{
    bool masked = tt_below(c, 16) == 0;
    if (masked) {
        TT_CHECK_EQ(pica_irq_disable(soft_line), 0);
    }
    for (unsigned k = tt_below(c, have_devtimer ? 4 : 8); k > 0; k--) {
        TT_CHECK_EQ(pica_irq_trigger(soft_line), 0);
    }
    if (masked) {
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(1)), 0);
        TT_CHECK_EQ(pica_irq_enable(soft_line), 0);
    }
}

/* Triggers the software line in bursts at a varying rate, and retunes the
 * device timer and the tick-interrupt timer, until the sources stop. */
static void
pacer(void *arg)
{
    (void)arg;
    struct tt_ctx *c = &tt_ctx[TT_CTX_PACER];
    uint32_t gap = 1;
    while (!tt_sources_stop) {
        c->n.ops++;
        TT_CHECK_EQ(pica_sleep(PICA_TICKS(1 + tt_below(c, gap))), 0);
        soft_burst(c);
        if (have_devtimer && tt_below(c, 32) == 0) {
            devtimer_retune(c);
        }
        if (tt_below(c, 64) == 0) {
            gap = 1 + tt_below(c, 8);
            TT_CHECK_EQ(pica_timer_start(&tick_timer, PICA_TICKS(tt_below(c, 3)),
                                         1 + tt_below(c, 4)),
                        0);
        }
    }
    if (have_devtimer) {
        pica_test_devtimer_stop();
    }
}

bool
tt_sources_start(void)
{
    unsigned lines = arch_irq_lines();
    soft_line = (lines < PICA_CFG_IRQ_MAX ? lines : PICA_CFG_IRQ_MAX) - 1u;
    pica_assert_eq(pica_irq_attach(soft_line, soft_handler, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(soft_line), 0);
    pica_assert_eq(pica_timer_init_isr(&tick_timer, tick_fn, NULL), 0);
    pica_assert_eq(pica_timer_start(&tick_timer, PICA_TICKS(1), 2), 0);
    /* netduinoplus2 has none: the pacer's software line stands in. */
    int r = pica_test_devtimer_start(100000, devtimer_fn);
    pica_assert(r == 0 || r == -ENOTSUP);
    have_devtimer = r == 0;
    pica_assert_eq(pica_thread_create(&tt_pacer_thread, "pacer", pacer, NULL, pacer_stack,
                                      sizeof(pacer_stack), TT_PRIO_PACER, 0),
                   0);
    return have_devtimer;
}

void
tt_sources_stop_all(void)
{
    tt_sources_stop = true;
    pica_assert_eq(pica_thread_join(&tt_pacer_thread, PICA_MS(1000)), 0);
    pica_assert_eq(pica_timer_stop(&tick_timer), 0);
    pica_assert_eq(pica_irq_detach(soft_line), 0);
}
