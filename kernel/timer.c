/* SPDX-License-Identifier: MIT */
/* Software timers (include/pica/timer.h) and the timer thread. A timer's
 * pica_timeout sits in the kernel's deadline list (timeout.c); its expire
 * hook runs in the tick interrupt with the lock held, re-arms a periodic
 * timer and moves the timer to the pending queue, whose callbacks the timer
 * thread runs in order with the lock released. Entry: timer_service_init(). */
#include <pica/timer.h>

#include <errno.h>
#include <pica/panic.h>

#include "arch.h"
#include "timeout.h"
#include "waitq.h"

#define TIMER_MAGIC 0x544d5251u

/* Expired timers whose callbacks have not started, oldest deadline first
 * (expiry order). Only under the kernel lock. */
static struct pica_list pending = PICA_LIST_INIT(pending);
/* The timer thread sleeps here while nothing is pending. Initialised
 * statically: a timer may be started at boot, before timer_service_init(). */
static struct pica_waitq timer_waitq = {PICA_LIST_INIT(timer_waitq.head), NULL};
/* The timer whose callback the timer thread has taken off the pending queue
 * and not yet returned from, or NULL. It is set under the lock in the same
 * step that dequeues the timer, so from then on a stop cannot cancel the
 * call, only wait for it; only compared, never dereferenced, since the
 * callback may reuse its timer's memory. */
static const struct pica_timer *running;
/* Threads in pica_timer_stop() waiting for that call to return. */
static struct pica_waitq stop_waitq = {PICA_LIST_INIT(stop_waitq.head), NULL};
static struct pica_thread timer_thread;
PICA_THREAD_STACK_DEFINE(timer_stack, PICA_CFG_TIMER_STACK_SIZE);

static bool
timer_is_valid(const struct pica_timer *tm)
{
    return tm != NULL && tm->magic == TIMER_MAGIC;
}

static bool
timer_is_active_locked(const struct pica_timer *tm)
{
    return timeout_is_armed(&tm->timeout) || pica_list_is_linked(&tm->pending);
}

/* Queue @tm's callback. A timer still queued from its previous expiry is
 * not queued twice: one call covers both, and the loss is counted. */
static void
timer_queue_locked(struct pica_timer *tm)
{
    if (pica_list_is_linked(&tm->pending)) {
        tm->missed++;
        return;
    }
    pica_list_append(&pending, &tm->pending);
    waitq_wake_one_locked(&timer_waitq, 0);
}

/* The deadline came (tick ISR, or a start with no delay). The next one is
 * counted from this deadline, not from now, so periods never drift; a
 * deadline already past expires on the next tick and is merged. */
static void
timer_expire(struct pica_timeout *to)
{
    struct pica_timer *tm = pica_container_of(to, struct pica_timer, timeout);
    if (tm->period != 0) {
        timeout_add_locked(&tm->timeout, to->deadline + tm->period);
    }
    if (tm->in_isr) {
        /* Only ever reached from the tick interrupt (see start). The lock
         * nests, so the callback may give, send or start timers. */
        tm->callback(tm->arg);
        return;
    }
    timer_queue_locked(tm);
}

static void
timer_stop_locked(struct pica_timer *tm)
{
    /* Both are harmless on a node that is on no list. */
    timeout_cancel_locked(&tm->timeout);
    pica_list_remove(&tm->pending);
}

static void
timer_start_locked(struct pica_timer *tm, pica_timeout_t delay, pica_tick_t period)
{
    timer_stop_locked(tm);
    tm->delay = delay;
    tm->period = period;
    pica_tick_t deadline = tick_now_locked() + (pica_tick_t)delay;
    if (delay == 0 && !tm->in_isr) {
        tm->timeout.deadline = deadline;
        timer_expire(&tm->timeout);
    } else {
        timeout_add_locked(&tm->timeout, deadline);
    }
}

static int
timer_init(struct pica_timer *tm, pica_timer_callback_t callback, void *arg, bool in_isr)
{
    PICA_CHECK(tm != NULL && callback != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (timer_is_valid(tm) && timer_is_active_locked(tm)) {
        err = -EBUSY; /* re-initialising would corrupt the lists it is on */
    } else {
        pica_list_init(&tm->timeout.node);
        tm->timeout.expire = timer_expire;
        pica_list_init(&tm->pending);
        tm->callback = callback;
        tm->arg = arg;
        tm->delay = -1; /* never started */
        tm->period = 0;
        tm->missed = 0;
        tm->in_isr = in_isr;
        tm->magic = TIMER_MAGIC;
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_timer_init(struct pica_timer *tm, pica_timer_callback_t callback, void *arg)
{
    return timer_init(tm, callback, arg, false);
}

int
pica_timer_init_isr(struct pica_timer *tm, pica_timer_callback_t callback, void *arg)
{
    return timer_init(tm, callback, arg, true);
}

int
pica_timer_start(struct pica_timer *tm, pica_timeout_t delay, pica_tick_t period)
{
    /* A period past the timeout range could wrap the 64-bit deadline behind
     * now, and the tick interrupt would re-expire the timer without end. */
    PICA_CHECK(timer_is_valid(tm) && delay >= 0 && period <= (pica_tick_t)PICA_TIMEOUT_MAX,
               -EINVAL);
    unsigned key = arch_irq_lock();
    timer_start_locked(tm, delay, period);
    arch_irq_unlock(key);
    return 0;
}

int
pica_timer_restart(struct pica_timer *tm)
{
    PICA_CHECK(timer_is_valid(tm), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (tm->delay < 0) {
        err = -EINVAL;
    } else {
        timer_start_locked(tm, tm->delay, tm->period);
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_timer_stop(struct pica_timer *tm)
{
    PICA_CHECK(timer_is_valid(tm), -EINVAL);
    unsigned key = arch_irq_lock();
    timer_stop_locked(tm);
    int err = 0;
    /* The callback may stop its own timer: waiting for its own return would
     * never end. (No other callback can be running while one calls this.) */
    bool from_callback = !arch_in_isr() && pica_thread_self() == &timer_thread;
    while (running == tm && !from_callback) {
        if (arch_in_isr() || !arch_irq_key_unlocked(key)) {
            err = -EINPROGRESS; /* cannot wait here: the call finishes later */
            break;
        }
        waitq_block_locked(&stop_waitq, key, PICA_FOREVER); /* unlocks */
        key = arch_irq_lock();
        /* The callback may have started its timer again before returning. */
        timer_stop_locked(tm);
    }
    arch_irq_unlock(key);
    return err;
}

bool
pica_timer_is_active(const struct pica_timer *tm)
{
    if (!timer_is_valid(tm)) {
        return false;
    }
    unsigned key = arch_irq_lock();
    bool active = timer_is_active_locked(tm);
    arch_irq_unlock(key);
    return active;
}

uint32_t
pica_timer_missed(const struct pica_timer *tm)
{
    return timer_is_valid(tm) ? tm->missed : 0;
}

/* Run pending callbacks one at a time. The callback and its argument are
 * read under the lock, and the timer is not touched after the call, so a
 * callback may stop, restart or re-initialise its own timer. */
static void
timer_thread_entry(void *unused)
{
    (void)unused;
    for (;;) {
        unsigned key = arch_irq_lock();
        if (running != NULL) {
            /* The last call has returned: release the stops waiting for it. */
            running = NULL;
            waitq_wake_all_locked(&stop_waitq, 0);
        }
        while (pica_list_empty(&pending)) {
            waitq_block_locked(&timer_waitq, key, PICA_FOREVER); /* unlocks */
            key = arch_irq_lock();
        }
        struct pica_timer *tm = pica_container_of(pending.next, struct pica_timer, pending);
        pica_list_remove(&tm->pending);
        running = tm;
        pica_timer_callback_t callback = tm->callback;
        void *arg = tm->arg;
        arch_irq_unlock(key);
        callback(arg);
    }
}

/* Create the timer thread. Context: boot, from kernel_services_init(). */
void
timer_service_init(void)
{
    if (pica_thread_create(&timer_thread, "timer", timer_thread_entry, NULL, timer_stack,
                           sizeof(timer_stack), PICA_CFG_TIMER_PRIO, 0) != 0) {
        PICA_PANIC("timer thread");
    }
}
