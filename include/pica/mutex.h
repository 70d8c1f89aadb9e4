/* SPDX-License-Identifier: MIT */
/* Mutexes: recursive, owner-checked, with transitive priority inheritance
 * (the owner runs at the priority of its most urgent waiter, and so on down
 * a chain of owners waiting for each other). If the owner dies holding it,
 * the mutex passes to the next waiter, whose lock returns -EOWNERDEAD: it
 * owns the mutex, but the data it guards may be inconsistent. */
#pragma once

#include <stdint.h>

#include <pica/list.h>
#include <pica/thread.h>
#include <pica/time.h>

struct pica_mutex {
    struct pica_thread *owner;
    uint32_t depth;             /* recursive lock count */
    struct pica_list held_node; /* in the owner's list of held mutexes */
    struct pica_waitq waiters;
};

/* Context: thread or boot. Returns: 0, -EINVAL. */
int pica_mutex_init(struct pica_mutex *m);

/* Lock, waiting up to @timeout; the owner may lock again (recursion).
 * Arguments are checked first: a bad timeout is refused even when the
 * mutex is free or already the caller's.
 * Context: thread. Returns: 0, -EOWNERDEAD (locked, previous owner died),
 * -EAGAIN (no wait, locked elsewhere), -ETIMEDOUT, -EDEADLK (waiting would
 * close a cycle of owners), -EINVAL (NULL or not initialised, a negative
 * timeout other than PICA_FOREVER, in an ISR). */
int pica_mutex_lock(struct pica_mutex *m, pica_timeout_t timeout);

/* Unlock once; the last unlock hands the mutex to the first waiter.
 * Context: thread. Returns: 0, -EPERM (caller is not the owner), -EINVAL
 * (NULL or not initialised, in an ISR). */
int pica_mutex_unlock(struct pica_mutex *m);

/* The owner, or NULL. Context: any. */
struct pica_thread *pica_mutex_owner(const struct pica_mutex *m);
