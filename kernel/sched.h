/* SPDX-License-Identifier: MIT */
/* Scheduler internals shared across kernel/: the ready set, the running
 * thread, and priority changes. Everything here needs the kernel lock
 * (arch_irq_lock) held unless said otherwise. Only sched.c chooses threads;
 * objects block and wake through waitq.h. */
#pragma once

#include <pica/thread.h>
#include <stdbool.h>

extern struct pica_thread *sched_current;
extern struct pica_thread sched_idle_thread;
extern bool sched_started;
extern uint32_t sched_switch_count;

/* Make @t ready (state READY, at the tail of its priority) and ask for a
 * switch if it should preempt. */
void sched_ready_locked(struct pica_thread *t);
/* Take @t (ready) out of the ready set; the caller sets its new state. */
void sched_unready_locked(struct pica_thread *t);
/* Ask for a switch if the best ready thread is not the running one. */
void sched_reschedule_locked(void);
/* Move the running thread behind its equals. */
void sched_rotate_locked(void);
/* Change @t's effective priority, keeping whatever queue it is in ordered. */
void sched_set_prio_locked(struct pica_thread *t, unsigned prio);
/* The ready thread that should run now. */
struct pica_thread *sched_top_locked(void);
/* Whether the running thread shares its priority with another ready one. */
bool sched_has_peers_locked(const struct pica_thread *t);

/* Kernel start: idle and main threads, then the first switch. */
void sched_init(void);
__attribute__((noreturn)) void sched_start(void);
