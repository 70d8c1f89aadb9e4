/* SPDX-License-Identifier: MIT */
/* Scheduler internals shared across kernel/: the ready set, the running
 * thread, and priority changes. Everything here needs the kernel lock
 * (arch_irq_lock) held unless said otherwise. Only sched.c chooses threads;
 * objects block and wake through waitq.h. */
#pragma once

#include <pica/thread.h>
#include <stdbool.h>

#include "arch.h"
#include "thread_priv.h"
#include "timeout.h"

extern struct pica_thread sched_idle_thread;
extern bool sched_started;
extern uint32_t sched_switch_count;

/* The ready set: per priority, a ring of the ready threads (their nodes
 * linked in a circle, no sentinel) and a pointer to its head, the next to
 * run; and a bitmap of the non-empty priorities (bit p of
 * sched.ready_bits[p / 32]; with more than 32 priorities, bit w of
 * sched.ready_words says word w is not zero). The running thread is the
 * head of its ring, so a yield or a time-slice rotation is one pointer
 * step, and choosing the next thread is a bit scan and one load. Here so
 * that the hot paths below inline. */
#define SCHED_BITMAP_WORDS ((PICA_CFG_PRIORITIES + 31) / 32)

/* The running thread and the ready set in one object, so that the switch
 * and the hot paths reach all of it from one base address. */
struct sched_state {
    struct pica_thread *ready_heads[PICA_CFG_PRIORITIES]; /* first: indexed from the base */
    struct pica_thread *current;                          /* the running thread */
    uint32_t ready_words;
    uint32_t ready_bits[SCHED_BITMAP_WORDS];
    /* The switch tap (include/pica/tap.h, PICA_TAP_SWITCH): kept here, off
     * the base sched_next() holds already, so an unset tap costs the switch
     * one load and one branch. */
    void (*switch_tap)(const struct pica_thread *from, const struct pica_thread *to);
};
extern struct sched_state sched;

/* The bitmap word of @prio: always 0 with up to 32 priorities, which the
 * compiler then knows. */
static inline unsigned
sched_bit_word(unsigned prio)
{
    return SCHED_BITMAP_WORDS == 1 ? 0u : prio / 32u;
}

/* @prio's bit in its bitmap word; prio < 32 when there is one word. */
static inline uint32_t
sched_bit(unsigned prio)
{
    return 1u << (SCHED_BITMAP_WORDS == 1 ? prio : prio % 32u);
}

/* The thread whose node is @node: the same address (node comes first). */
static inline struct pica_thread *
sched_thread_of(struct pica_list *node)
{
    return pica_container_of(node, struct pica_thread, node);
}
_Static_assert(__builtin_offsetof(struct pica_thread, node) == 0, "node first in pica_thread");

/* The index of the lowest set bit of @x (not 0): the bitmap scan below.
 * The CPU's instruction where it has one (ARCH_HAS_CTZ); elsewhere
 * __builtin_ctz would be a libgcc call that tests bit by bit, so isolate
 * the bit (x & -x), multiply by a de Bruijn sequence, whose top five bits
 * are then distinct for each of the 32 powers of two, and look them up. */
extern const uint8_t sched_debruijn_bit[32];
static inline unsigned
sched_lowest_bit(uint32_t x)
{
#if ARCH_HAS_CTZ
    return (unsigned)__builtin_ctz(x);
#else
    return sched_debruijn_bit[((x & -x) * 0x077CB531u) >> 27];
#endif
}

/* The ready thread that should run now: inline, as the switch and register
 * IPC's direct switch ask it on their hot paths. */
static inline struct pica_thread *
sched_top_locked(void)
{
    unsigned word = SCHED_BITMAP_WORDS == 1 ? 0u : sched_lowest_bit(sched.ready_words);
    unsigned prio = word * 32u + sched_lowest_bit(sched.ready_bits[word]);
    return sched.ready_heads[prio];
}

/* Put @t (not in any list) into its priority's ring: at the tail, or as
 * the new head (@first). */
static inline void
sched_ring_insert_locked(struct pica_thread *t, bool first)
{
    unsigned prio = t->prio;
    struct pica_thread *head = sched.ready_heads[prio];
    if (head == NULL) {
        pica_list_init(&t->node);
        sched.ready_heads[prio] = t;
        sched.ready_bits[sched_bit_word(prio)] |= sched_bit(prio);
        if (SCHED_BITMAP_WORDS > 1) {
            sched.ready_words |= 1u << (prio / 32u);
        }
    } else {
        pica_list_insert_before(&head->node, &t->node); /* before the head: the tail */
        if (first) {
            sched.ready_heads[prio] = t;
        }
    }
}

/* Make @t ready (state READY, at the tail of its priority) and ask for a
 * switch if it should preempt: only a thread more urgent than the running
 * one does. */
static inline void
sched_ready_locked(struct pica_thread *t)
{
    t->state = PICA_THREAD_READY;
    t->slice_left = PICA_CFG_TIME_SLICE_TICKS;
    sched_ring_insert_locked(t, false);
    /* Before the scheduler starts, sched.current is a placeholder at
     * priority 0 that nothing preempts. */
    if (t->prio < sched.current->prio) {
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
    if (t->node.next == &t->node) {
        /* Alone at its priority. */
        sched.ready_heads[prio] = NULL;
        unsigned w = sched_bit_word(prio);
        sched.ready_bits[w] &= ~sched_bit(prio);
        if (SCHED_BITMAP_WORDS > 1 && sched.ready_bits[w] == 0) {
            sched.ready_words &= ~(1u << (prio / 32u));
        }
    } else {
        if (sched.ready_heads[prio] == t) {
            sched.ready_heads[prio] = sched_thread_of(t->node.next);
        }
        pica_list_remove(&t->node);
    }
}

/* Move the ready thread @t behind its equals, if it has any; returns
 * whether it did. The running thread is its ring's head: one step. */
static inline bool
sched_to_tail_locked(struct pica_thread *t)
{
    struct pica_thread *next = sched_thread_of(t->node.next);
    if (next == t) {
        return false;
    }
    struct pica_thread **head = &sched.ready_heads[t->prio];
    if (__builtin_expect(*head == t, 1)) {
        *head = next;
    } else {
        pica_list_move_before(&(*head)->node, &t->node); /* before the head: the tail */
    }
    return true;
}

/* Make @next the running thread: its MPU regions and TLS. */
static inline __attribute__((always_inline)) void
sched_switch_to_locked(struct pica_thread *next)
{
    sched.current = next;
    arch_mpu_load(next);
    arch_tls_load(next);
}

/* A switch a port makes itself, outside sched_next(), from the running
 * thread @prev to @next, which sched_top_locked() chose (register IPC's
 * direct switch from its trap): what sched_next() does besides saving and
 * restoring. Returns false, having changed nothing, where the switch tap
 * is set, which only sched_next() calls: the port then switches the usual
 * way. */
static inline __attribute__((always_inline)) bool
sched_switch_direct_locked(struct pica_thread *prev, struct pica_thread *next)
{
    if (__builtin_expect(sched.switch_tap != NULL, 0)) {
        return false;
    }
    if (PICA_CFG_THREAD_STATS) {
        thread_account_locked(prev, next);
        next->switches++;
        sched_switch_count++;
    }
    sched_switch_to_locked(next);
    return true;
}

/* Blocking: the one path by which a thread stops running to wait.
 * sched_may_block() is the one rule for whether the caller's context may
 * block: 0, -EINVAL in an interrupt handler, -EDEADLK with the kernel lock
 * held or interrupts masked by the caller, or before the scheduler starts
 * (no switch could happen, so nothing could ever wake it). */
#define SCHED_NO_DEADLINE UINT64_MAX
int sched_may_block(unsigned key);
/* Block the running thread: check sched_may_block() first (an error
 * releases the lock and is returned with nothing changed), then take it
 * out of the ready set with @state, queue it on @q if not NULL, arm its
 * timeout at tick @deadline (unless SCHED_NO_DEADLINE) to call @expire,
 * switch away and release the lock (@key). Returns the wait's result once
 * the thread runs again: whatever its waker or @expire passed. */
int sched_block_locked(unsigned key, uint8_t state, struct pica_waitq *q, pica_tick_t deadline,
                       void (*expire)(struct pica_timeout *));

/* sched_block_locked() up to the switch, for a system call that blocks
 * while the port still runs it in its trap (kernel/proc/syscall_ipc_regs.c): the
 * running thread leaves the ready set, queued and timed as there; the port
 * switches away as the trap ends, and the thread resumes in user mode
 * without returning here. Nothing is checked: only a user thread's call
 * may ask, and it may always block. */
void sched_block_defer_locked(uint8_t state, struct pica_waitq *q, pica_tick_t deadline,
                              void (*expire)(struct pica_timeout *));

/* Ask for a switch if the best ready thread is not the running one. */
void sched_reschedule_locked(void);
/* Move the running thread behind its equals. */
void sched_rotate_locked(void);
/* Change @t's effective priority, keeping whatever queue it is in ordered. */
void sched_set_prio_locked(struct pica_thread *t, unsigned prio);

/* Kernel start: idle and main threads, then the first switch. */
void sched_init(void);
__attribute__((noreturn)) void sched_start(void);
