/* SPDX-License-Identifier: MIT */
/* The scheduler: one FIFO list per priority and a bitmap of non-empty lists,
 * so picking the next thread is a find-first-set and a list head (O(1)).
 * The running thread stays at the head of its list while it runs; yielding
 * or using up its time slice moves it to the tail. sched_next() is what the
 * port's switch code calls; everything else only asks for a switch. */
#include "sched.h"

#include <pica/panic.h>
#include <stdio.h>

#include "arch.h"
#include "thread_priv.h"
#include "timeout.h"
#include "waitq.h"

#define BITMAP_WORDS ((PICA_CFG_PRIORITIES + 31) / 32)

struct pica_thread *sched_current;
struct pica_thread sched_idle_thread;
bool sched_started;
uint32_t sched_switch_count;

static struct pica_list ready[PICA_CFG_PRIORITIES];
/* Bit p of ready_bits[p / 32] set iff ready[p] is not empty; with more than
 * 32 priorities, bit w of ready_words says ready_bits[w] is not zero. */
static uint32_t ready_bits[BITMAP_WORDS];
static uint32_t ready_words;

static void
bitmap_set(unsigned prio)
{
    ready_bits[prio / 32u] |= 1u << (prio % 32u);
    ready_words |= 1u << (prio / 32u);
}

static void
bitmap_clear(unsigned prio)
{
    ready_bits[prio / 32u] &= ~(1u << (prio % 32u));
    if (ready_bits[prio / 32u] == 0) {
        ready_words &= ~(1u << (prio / 32u));
    }
}

struct pica_thread *
sched_top_locked(void)
{
    unsigned word = BITMAP_WORDS == 1 ? 0u : (unsigned)__builtin_ctz(ready_words);
    unsigned prio = word * 32u + (unsigned)__builtin_ctz(ready_bits[word]);
    return pica_container_of(ready[prio].next, struct pica_thread, node);
}

bool
sched_has_peers_locked(const struct pica_thread *t)
{
    return t->node.next != t->node.prev;
}

void
sched_reschedule_locked(void)
{
    if (sched_started && sched_top_locked() != sched_current) {
        arch_switch_request();
    }
}

void
sched_ready_locked(struct pica_thread *t)
{
    t->state = PICA_THREAD_READY;
    t->slice_left = PICA_CFG_TIME_SLICE_TICKS;
    pica_list_append(&ready[t->prio], &t->node);
    bitmap_set(t->prio);
    /* Only a thread more urgent than the running one preempts it. */
    if (sched_started && t->prio < sched_current->prio) {
        arch_switch_request();
    }
}

void
sched_unready_locked(struct pica_thread *t)
{
    pica_list_remove(&t->node);
    if (pica_list_empty(&ready[t->prio])) {
        bitmap_clear(t->prio);
    }
}

void
sched_rotate_locked(void)
{
    struct pica_thread *t = sched_current;
    if (t->state == PICA_THREAD_READY && sched_has_peers_locked(t)) {
        sched_unready_locked(t);
        sched_ready_locked(t);
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
        bool running = t == sched_current;
        sched_unready_locked(t);
        t->prio = (uint8_t)prio;
        if (running) {
            pica_list_insert_before(ready[prio].next, &t->node);
            bitmap_set(prio);
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

void *
sched_next(void *sp)
{
    struct pica_thread *prev = sched_current;
    prev->sp = sp;
    if (PICA_CFG_STACK_CHECK && !thread_stack_intact(prev)) {
        thread_stack_overflow_locked(prev);
    }
    struct pica_thread *next = sched_top_locked();
    if (next != prev) {
        if (PICA_CFG_THREAD_STATS) {
            thread_account_locked(prev, next);
        }
        if (PICA_CFG_TICKLESS && (next == &sched_idle_thread || prev == &sched_idle_thread)) {
            timeout_idle_changed_locked(next == &sched_idle_thread);
        }
        next->switches++;
        sched_switch_count++;
        sched_current = next;
    }
    return next->sp;
}

static volatile bool idle_busy = PICA_CFG_IDLE_BUSY;

void
pica_idle_set_busy(bool busy)
{
    idle_busy = busy;
}

static void
idle_entry(void *arg)
{
    (void)arg;
    for (;;) {
        if (!idle_busy) {
            arch_idle();
        }
    }
}

PICA_THREAD_STACK_DEFINE(idle_stack, PICA_CFG_IDLE_STACK_SIZE);

void
sched_init(void)
{
    for (unsigned p = 0; p < PICA_CFG_PRIORITIES; p++) {
        pica_list_init(&ready[p]);
    }
    int err = thread_create_internal(&sched_idle_thread, "idle", idle_entry, NULL, idle_stack,
                                     sizeof(idle_stack), PICA_PRIO_IDLE, 0);
    if (err != 0) {
        PICA_PANIC("idle thread: %d", err);
    }
}

void
sched_start(void)
{
    arch_irq_lock();
    struct pica_thread *first = sched_top_locked();
    sched_current = first;
    first->switches++;
    sched_started = true;
    timeout_start_locked();
    arch_sched_start(first->sp);
}
