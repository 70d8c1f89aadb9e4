/* SPDX-License-Identifier: MIT */
/* Scheduler internals shared across kernel/: the ready set, the running
 * thread, and priority changes. Everything here needs the kernel lock
 * (arch_irq_lock) held unless said otherwise. Only sched.c chooses threads;
 * objects block and wake through waitq.h. */
#pragma once

#include <pica/thread.h>
#include <stdbool.h>

#include "arch.h"
#include "timeout.h"

extern struct pica_thread *sched_current;
extern struct pica_thread sched_idle_thread;
extern bool sched_started;
extern uint32_t sched_switch_count;

/* The ready set: one FIFO list per priority, and a bitmap of the non-empty
 * ones (bit p of sched_ready_bits[p / 32]; with more than 32 priorities,
 * bit w of sched_ready_words says word w is not zero). Here so that the
 * hot paths below inline. */
#define SCHED_BITMAP_WORDS ((PICA_CFG_PRIORITIES + 31) / 32)
extern struct pica_list sched_ready_lists[PICA_CFG_PRIORITIES];
extern uint32_t sched_ready_bits[SCHED_BITMAP_WORDS];
extern uint32_t sched_ready_words;

/* Make @t ready (state READY, at the tail of its priority) and ask for a
 * switch if it should preempt: only a thread more urgent than the running
 * one does. */
static inline void
sched_ready_locked(struct pica_thread *t)
{
    unsigned prio = t->prio;
    t->state = PICA_THREAD_READY;
    t->slice_left = PICA_CFG_TIME_SLICE_TICKS;
    pica_list_append(&sched_ready_lists[prio], &t->node);
    sched_ready_bits[prio / 32u] |= 1u << (prio % 32u);
    if (SCHED_BITMAP_WORDS > 1) {
        sched_ready_words |= 1u << (prio / 32u);
    }
    /* Before the scheduler starts, sched_current is a placeholder at
     * priority 0 that nothing preempts. */
    if (prio < sched_current->prio) {
        arch_switch_request();
        if (PICA_CFG_TICKLESS && __builtin_expect(tick_stopped, 0)) {
            /* Only the idle thread stops the tick, and it is leaving. */
            timeout_tick_restart_locked();
        }
    }
}

/* Take @t (ready) out of the ready set; the caller sets its new state. */
static inline void
sched_unready_locked(struct pica_thread *t)
{
    unsigned prio = t->prio;
    pica_list_remove(&t->node);
    if (pica_list_empty(&sched_ready_lists[prio])) {
        sched_ready_bits[prio / 32u] &= ~(1u << (prio % 32u));
        if (SCHED_BITMAP_WORDS > 1 && sched_ready_bits[prio / 32u] == 0) {
            sched_ready_words &= ~(1u << (prio / 32u));
        }
    }
}
/* Ask for a switch if the best ready thread is not the running one. */
void sched_reschedule_locked(void);
/* Move the running thread behind its equals. */
void sched_rotate_locked(void);
/* Change @t's effective priority, keeping whatever queue it is in ordered. */
void sched_set_prio_locked(struct pica_thread *t, unsigned prio);
/* The ready thread that should run now. */
struct pica_thread *sched_top_locked(void);
/* Whether the ready thread @t shares its priority with another ready one. */
static inline bool
sched_has_peers_locked(const struct pica_thread *t)
{
    return t->node.next != t->node.prev;
}

/* Kernel start: idle and main threads, then the first switch. */
void sched_init(void);
__attribute__((noreturn)) void sched_start(void);
