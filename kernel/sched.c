/* SPDX-License-Identifier: MIT */
/* The scheduler: one FIFO list per priority and a bitmap of non-empty lists,
 * so picking the next thread is a find-first-set and a list head (O(1));
 * making a thread ready or not is inline in sched.h.
 * The running thread stays at the head of its list while it runs; yielding
 * or using up its time slice moves it to the tail. sched_next() is what the
 * port's switch code calls; everything else only asks for a switch. */
#include "sched.h"

#include <errno.h>
#include <pica/panic.h>
#include <stdio.h>

#include "arch.h"
#include "check.h"
#include "thread_priv.h"
#include "timeout.h"
#include "waitq.h"

/* Until sched_start() the running context is boot, which no thread
 * preempts: a placeholder at the most urgent priority. */
static struct pica_thread boot_placeholder = {
    .node = {&boot_placeholder.node, &boot_placeholder.node}, /* alone: a yield does nothing */
    .prio = 0,
    .name = "boot",
};
struct sched_state sched = {.current = &boot_placeholder};
struct pica_thread sched_idle_thread;
bool sched_started;
uint32_t sched_switch_count;

#if !ARCH_HAS_CTZ
/* sched_lowest_bit()'s table (sched.h). */
const uint8_t sched_debruijn_bit[32] = {0,  1,  28, 2,  29, 14, 24, 3,  30, 22, 20,
                                        15, 25, 17, 4,  8,  31, 27, 13, 23, 21, 19,
                                        16, 7,  26, 12, 18, 6,  11, 5,  10, 9};
#endif

void
sched_reschedule_locked(void)
{
    if (sched_started && sched_top_locked() != sched.current) {
        arch_switch_request();
    }
}

void
sched_rotate_locked(void)
{
    struct pica_thread *t = sched.current;
    t->slice_left = PICA_CFG_TIME_SLICE_TICKS;
    /* From the tick, the running thread may have just blocked, its switch
     * still pending: then it is in no ready list to rotate. */
    if (t->state == PICA_THREAD_READY && sched_to_tail_locked(t)) {
        arch_switch_request();
    }
}

void
sched_set_prio_locked(struct pica_thread *t, unsigned prio)
{
    if (t->prio == prio) {
        return;
    }
    if (t->state == PICA_THREAD_READY) {
        /* The running thread keeps the head of its new level, so a change
         * (inheritance given or taken back) never costs it its turn; any
         * other ready thread queues behind its new equals. */
        bool running = t == sched.current;
        sched_unready_locked(t);
        t->prio = (uint8_t)prio;
        if (running) {
            sched_ring_insert_locked(t, true);
        } else {
            sched_ready_locked(t);
        }
        sched_reschedule_locked();
    } else {
        t->prio = (uint8_t)prio;
        if (t->state == PICA_THREAD_BLOCKED) {
            waitq_reorder_locked(t);
        }
    }
}

/* The switch with the switch tap (include/pica/tap.h) set, which sees it
 * made: apart and reached by a tail call with @next alone (the outgoing
 * thread is still sched.current), so that sched_next() needs no stack frame
 * and no register kept when no tap is set. */
static __attribute__((noinline, cold)) void *
sched_switch_tapped(struct pica_thread *next)
{
    struct pica_thread *prev = sched.current;
    sched_switch_to_locked(next);
    sched.switch_tap(prev, next);
    return next->sp;
}

/* The second half of sched_next(): choose, and switch to the choice. */
static inline __attribute__((always_inline)) void *
sched_choose_locked(struct pica_thread *prev)
{
    if (PICA_CFG_DEBUG) {
        sched_check_locked();
    }
    struct pica_thread *next = sched_top_locked();
    if (next != prev) {
        if (PICA_CFG_THREAD_STATS) {
            thread_account_locked(prev, next);
            next->switches++;
            sched_switch_count++;
        }
        if (__builtin_expect(sched.switch_tap != NULL, 0)) {
            return sched_switch_tapped(next);
        }
        sched_switch_to_locked(next);
    }
    return next->sp;
}

/* sched_next() for an outgoing thread whose stack overflowed: stop it,
 * then choose. Apart, so that sched_next() calls nothing on its common
 * path and needs no stack frame of its own. */
static __attribute__((noinline, cold)) void *
sched_next_overflowed(struct pica_thread *prev)
{
    thread_stack_overflow_locked(prev);
    return sched_choose_locked(prev);
}

/* The switch itself: the port calls this with the lock held, between
 * saving the outgoing context and restoring the incoming one. It is the
 * hottest function in the kernel, so the rare cases leave through calls. */
void *
sched_next(void *sp)
{
    struct pica_thread *prev = sched.current;
    prev->sp = sp;
    if (!ARCH_HAS_STACK_GUARD && PICA_CFG_STACK_CHECK &&
        __builtin_expect(!thread_stack_intact(prev), 0)) {
        return sched_next_overflowed(prev);
    }
    return sched_choose_locked(prev);
}

int
sched_may_block(unsigned key)
{
    if (arch_in_isr()) {
        return -EINVAL;
    }
    if (!sched_started || !arch_irq_key_unlocked(key)) {
        return -EDEADLK;
    }
    return 0;
}

/* Inlined into both, so that the common block pays no call. */
static inline __attribute__((always_inline)) void
sched_block_prepare_locked(uint8_t state, struct pica_waitq *q, pica_tick_t deadline,
                           void (*expire)(struct pica_timeout *))
{
    struct pica_thread *t = sched.current;
    sched_unready_locked(t);
    t->state = state;
    if (q != NULL) {
        waitq_enqueue_locked(q, t);
    }
    if (deadline != SCHED_NO_DEADLINE) {
        t->timeout.expire = expire;
        timeout_add_locked(&t->timeout, deadline);
    }
}

void
sched_block_defer_locked(uint8_t state, struct pica_waitq *q, pica_tick_t deadline,
                         void (*expire)(struct pica_timeout *))
{
    sched_block_prepare_locked(state, q, deadline, expire);
}

int
sched_block_locked(unsigned key, uint8_t state, struct pica_waitq *q, pica_tick_t deadline,
                   void (*expire)(struct pica_timeout *))
{
    int err = sched_may_block(key);
    if (err != 0) {
        arch_irq_unlock(key);
        return err;
    }
    struct pica_thread *t = sched.current;
    sched_block_prepare_locked(state, q, deadline, expire);
    arch_switch_request();
    /* The port takes a switch requested in a thread before the unlock
     * returns (arch.h): from here on the wait is over and its result set. */
    arch_irq_unlock(key);
    if (PICA_CFG_DEBUG && (sched.current != t || t->state != PICA_THREAD_READY)) {
        PICA_PANIC("thread '%s' ran on before its wait ended (state %u)", t->name,
                   (unsigned)t->state);
    }
    return t->wait_result;
}

static volatile bool idle_busy = PICA_CFG_IDLE_BUSY;

void
pica_idle_set_busy(bool busy)
{
    idle_busy = busy;
}

/* The idle thread runs only when nothing else is ready. With tickless idle
 * it stops the tick first, leaving one interrupt armed for the first
 * deadline; making any thread ready restarts the tick (sched.h). */
static void
idle_entry(void *arg)
{
    (void)arg;
    for (;;) {
        if (PICA_CFG_TICKLESS && !tick_stopped) {
            unsigned key = arch_irq_lock();
            timeout_tick_stop_locked();
            arch_irq_unlock(key);
        }
        if (!idle_busy) {
            arch_idle();
        }
    }
}

PICA_THREAD_STACK_DEFINE(idle_stack, PICA_CFG_IDLE_STACK_SIZE);

void
sched_init(void)
{
    int err = thread_create_internal(&sched_idle_thread, "idle", idle_entry, NULL, idle_stack,
                                     sizeof(idle_stack), PICA_PRIO_IDLE, THREAD_BOOT_TLS);
    if (err != 0) {
        PICA_PANIC("idle thread: %d", err);
    }
}

void
sched_start(void)
{
    arch_irq_lock();
    struct pica_thread *first = sched_top_locked();
    sched.current = first;
    first->switches++;
    arch_mpu_load(first);
    arch_tls_load(first);
    sched_started = true;
    timeout_start_locked();
    arch_sched_start(first->sp);
}
