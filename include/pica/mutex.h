/* SPDX-License-Identifier: MIT */
/* Mutexes: recursive, owner-checked, with transitive priority inheritance
 * (the owner runs at the priority of its most urgent waiter, and so on down
 * a chain of owners waiting for each other).
 *
 * Robust, in the POSIX model: if the owner dies holding it, the next lock
 * (by a waiter at once, or by whoever locks it later) returns -EOWNERDEAD:
 * the caller owns the mutex, but the data it guards may be half-updated.
 * The caller repairs the data and calls pica_mutex_consistent(), and the
 * mutex is normal again; if it unlocks without doing so, the mutex becomes
 * not recoverable: every lock, and every thread waiting then, gets
 * -ENOTRECOVERABLE until pica_mutex_init() starts it over. */
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
    uint32_t robust; /* PICA_MUTEX_CONSISTENT, _OWNER_DIED or _NOT_RECOVERABLE */
};

enum {
    PICA_MUTEX_CONSISTENT,      /* normal */
    PICA_MUTEX_OWNER_DIED,      /* an owner died holding it; not yet repaired */
    PICA_MUTEX_NOT_RECOVERABLE, /* unlocked without repair: unusable */
};

/* Context: thread or boot. Returns: 0, -EINVAL. */
int pica_mutex_init(struct pica_mutex *m);

/* Lock, waiting up to @timeout; the owner may lock again (recursion).
 * Arguments are checked first: a bad timeout is refused even when the
 * mutex is free or already the caller's.
 * Context: thread. Returns: 0, -EOWNERDEAD (locked; an owner died holding
 * it: repair, then pica_mutex_consistent()), -ENOTRECOVERABLE (not locked:
 * unlocked without repair after an owner died), -EAGAIN (no wait, locked elsewhere), -ETIMEDOUT, -EDEADLK (waiting would
 * close a cycle of owners), -EINVAL (NULL or not initialised, a negative
 * timeout other than PICA_FOREVER, in an ISR). */
int pica_mutex_lock(struct pica_mutex *m, pica_timeout_t timeout);

/* Unlock once; the last unlock hands the mutex to the first waiter (or,
 * after an owner died and nobody called pica_mutex_consistent(), makes it
 * not recoverable and wakes every waiter with -ENOTRECOVERABLE).
 * Context: thread. Returns: 0, -EPERM (caller is not the owner), -EINVAL
 * (NULL or not initialised, in an ISR). */
int pica_mutex_unlock(struct pica_mutex *m);

/* The owner, having got -EOWNERDEAD and repaired the data, marks the mutex
 * usable again. Context: thread. Returns: 0, -EPERM (caller is not the
 * owner), -EINVAL (NULL or not initialised, in an ISR, or the mutex is not
 * in the owner-died state). */
int pica_mutex_consistent(struct pica_mutex *m);

/* End @m's life: every waiter wakes with -EIDRM, an owner stops owning it
 * (and inheriting through it), and every later call on it fails with
 * -EINVAL until pica_mutex_init(). Context: thread. Returns: the waiters
 * woken, -EINVAL (NULL or not initialised). */
int pica_mutex_destroy(struct pica_mutex *m);

/* The owner, or NULL. Context: any. */
struct pica_thread *pica_mutex_owner(const struct pica_mutex *m);
