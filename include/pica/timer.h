/* SPDX-License-Identifier: MIT */
/* Software timers: one-shot and periodic callbacks in kernel ticks. The
 * tick interrupt only queues an expired timer; its callback runs later in
 * the timer thread. Implementation: kernel/timer.c; design notes:
 * docs/timers-and-log.md. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/list.h>
#include <pica/thread.h>
#include <pica/time.h>

/* Callbacks run in the timer thread ("timer", priority PICA_CFG_TIMER_PRIO,
 * stack PICA_CFG_TIMER_STACK_SIZE bytes), never in an interrupt, one at a
 * time in expiry order. They may call any thread-context kernel function,
 * but they share one thread: a slow or blocking callback delays every other
 * timer's callback (not their deadlines: periodic timers re-arm in the tick
 * interrupt). Block only briefly; hand longer work to a thread. */
typedef void (*pica_timer_callback_t)(void *arg);

/* Caller-allocated; fields are the kernel's. */
struct pica_timer {
    struct pica_timeout timeout; /* armed until the next deadline */
    struct pica_list pending;    /* on the timer thread's queue once expired */
    pica_timer_callback_t callback;
    void *arg;
    pica_timeout_t delay; /* of the last start, for pica_timer_restart() */
    pica_tick_t period;   /* 0: one-shot */
    uint32_t magic;       /* set by pica_timer_init() */
    uint32_t missed;      /* expiries merged into a still-pending callback */
    bool in_isr;          /* the callback runs in the timer interrupt */
};

/* Prepare @tm to call @callback(@arg); it starts inactive.
 * Context: thread or boot.
 * Returns: 0, -EINVAL (NULL timer or callback), -EBUSY (@tm is active). */
int pica_timer_init(struct pica_timer *tm, pica_timer_callback_t callback, void *arg);

/* As pica_timer_init(), but @callback runs in the kernel's timer interrupt
 * itself, on the expiry tick, with no thread switch in between: for short
 * work such as giving a semaphore. It may only use calls that are safe in an
 * ISR (PICA_NO_WAIT). A start with delay 0 fires on the next tick.
 * Context: thread or boot. Returns: as pica_timer_init(). */
int pica_timer_init_isr(struct pica_timer *tm, pica_timer_callback_t callback, void *arg);

/* Arm @tm: the callback is due at tick now + @delay (0: at once), then, if
 * @period is not 0, every @period ticks after the previous deadline
 * (drift-free: a late callback never shifts the next deadline). @period is
 * 0 (one-shot) or 1 .. PICA_TIMEOUT_MAX ticks, the range of a timeout.
 * Starting an active timer first stops it, cancelling any pending callback.
 * Context: any.
 * Returns: 0, -EINVAL (not initialised, @delay negative, @period above
 * PICA_TIMEOUT_MAX). */
int pica_timer_start(struct pica_timer *tm, pica_timeout_t delay, pica_tick_t period);

/* Start @tm again with the delay and period of its last start, from now:
 * the watchdog pattern, pushing the next deadline back.
 * Context: any. Returns: 0, -EINVAL (not initialised or never started). */
int pica_timer_restart(struct pica_timer *tm);

/* Disarm @tm and cancel its callback if it is queued but not yet started.
 * If the timer thread has already taken the callback (it is running, or
 * about to), a thread waits here until it has returned, and disarms the
 * timer again should the callback have restarted it. So when this returns
 * 0 the timer is disarmed, its callback is not running (unless the caller
 * is that callback, stopping its own timer) and will not start until the
 * next start: the callback's data may be freed. Where waiting is
 * impossible (an ISR, the kernel lock held) it returns -EINPROGRESS
 * instead: disarmed and not to start again, but the running call finishes
 * after this returns. Do not stop a timer from a thread whose progress
 * its running callback waits for. Start and restart never wait.
 * Context: any; waits only in a thread.
 * Returns: 0 (also if inactive), -EINPROGRESS (callback running, could not
 * wait), -EINVAL (not initialised). */
int pica_timer_stop(struct pica_timer *tm);

/* Whether @tm is armed or its callback is queued. A one-shot timer is
 * inactive once its callback has started. Context: any. */
bool pica_timer_is_active(const struct pica_timer *tm);

/* Expiries of a periodic @tm that found its previous callback still queued
 * (the timer thread fell behind by a whole period); each such expiry is
 * merged into that callback. Context: any. */
uint32_t pica_timer_missed(const struct pica_timer *tm);
