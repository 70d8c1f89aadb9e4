/* SPDX-License-Identifier: MIT */
/* The scheduler's invariants, walked at every switch in a debug kernel
 * (PICA_CFG_DEBUG): what the fast paths rely on without checking. A broken
 * invariant panics with what was found, at the first switch after the
 * code that broke it, instead of surfacing later as a thread that never
 * runs or a wake-up that goes astray. */
#include <pica/panic.h>

#include "check.h"
#include "sched.h"
#include "thread_priv.h"
#include "timeout.h"

/* More links than this in one list means a cycle. */
#define WALK_MAX 4096u

static void
check_ready_ring(unsigned prio)
{
    struct pica_thread *head = sched.ready_heads[prio];
    bool bit = (sched.ready_bits[sched_bit_word(prio)] & sched_bit(prio)) != 0;
    if ((head != NULL) != bit) {
        PICA_PANIC("sched: priority %u has %s but its bit is %s", prio,
                   head != NULL ? "a ring" : "no ring", bit ? "set" : "clear");
    }
    if (head == NULL) {
        return;
    }
    struct pica_list *n = &head->node;
    unsigned steps = 0;
    do {
        struct pica_thread *t = sched_thread_of(n);
        if (t->state != PICA_THREAD_READY || t->prio != prio) {
            PICA_PANIC("sched: '%s' in the ring of priority %u is %s at priority %u", t->name,
                       prio, pica_thread_state_name((enum pica_thread_state)t->state),
                       (unsigned)t->prio);
        }
        if (n->next->prev != n) {
            PICA_PANIC("sched: ring of priority %u broken after '%s'", prio, t->name);
        }
        n = n->next;
        if (++steps > WALK_MAX) {
            PICA_PANIC("sched: ring of priority %u does not close", prio);
        }
    } while (n != &head->node);
}

static void
check_ready_set(void)
{
    for (unsigned p = 0; p < PICA_CFG_PRIORITIES; p++) {
        check_ready_ring(p);
    }
    if (SCHED_BITMAP_WORDS > 1) {
        for (unsigned w = 0; w < SCHED_BITMAP_WORDS; w++) {
            bool word = (sched.ready_words & (1u << w)) != 0;
            if (word != (sched.ready_bits[w] != 0)) {
                PICA_PANIC("sched: summary bit %u disagrees with its word", w);
            }
        }
    }
    if (sched.ready_heads[PICA_PRIO_IDLE] == NULL) {
        PICA_PANIC("sched: the idle thread is not ready");
    }
}

void
sched_check_locked(void)
{
    check_ready_set();
    timeout_check_locked();
    thread_check_locked();
}
