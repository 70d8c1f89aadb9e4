/* SPDX-License-Identifier: MIT */
/* Invariant walkers of the debug kernel (PICA_CFG_DEBUG): each panics with
 * what it found if its part of the kernel's state is inconsistent. All need
 * the kernel lock. */
#pragma once

/* Everything below, in one call; sched_next() runs it at every switch. */
void sched_check_locked(void);
/* The timeout list is ordered by deadline and each entry is armed once. */
void timeout_check_locked(void);
/* Every thread: a waiter is in the queue it waits on, in priority order;
 * each mutex it holds names it as owner. */
void thread_check_locked(void);
