/* SPDX-License-Identifier: MIT */
/* Event flags: 31 bits (0..30) that threads wait on, for any or all of a
 * mask. Bit 31 is reserved so that a wait's result, the bits that satisfied
 * it, is always a positive int; masks that use it are refused.
 * Implementation: kernel/event.c. */
#pragma once

#include <stdint.h>

#include <pica/thread.h>
#include <pica/time.h>

/* pica_event_wait() options */
#define PICA_EV_ANY 0x0u   /* wake when any bit of the mask is set (default) */
#define PICA_EV_ALL 0x1u   /* wake when every bit of the mask is set */
#define PICA_EV_CLEAR 0x2u /* clear the bits that satisfied the wait */

#define PICA_EV_BITS 0x7fffffffu /* the usable bits */

struct pica_event {
    uint32_t bits;
    struct pica_waitq waiters;
};

/* Context: thread or boot. Returns: 0, -EINVAL (NULL). */
int pica_event_init(struct pica_event *e);

/* Set @bits, then wake every waiter whose condition now holds, all judged
 * against the bits as they stand after the set. The bits that waiters
 * with PICA_EV_CLEAR consumed are cleared only after every waiter was
 * considered, so one set can satisfy several clearing waiters of the same
 * bit; bits no clearing waiter consumed stay set. The clear happens within
 * the set, before any woken thread runs.
 * Context: any. Returns: 0, -EINVAL (NULL or not initialised, @bits 0 or
 * with bit 31). */
int pica_event_set(struct pica_event *e, uint32_t bits);

/* Clear @bits (0 is allowed and does nothing).
 * Context: any. Returns: 0, -EINVAL (NULL or not initialised, bit 31). */
int pica_event_clear(struct pica_event *e, uint32_t bits);

/* End @e's life: every waiter wakes with -EIDRM, and every later call on
 * it fails with -EINVAL until pica_event_init(). Context: thread.
 * Returns: the waiters woken, -EINVAL (NULL or not initialised). */
int pica_event_destroy(struct pica_event *e);

/* The bits set now (0 for NULL). Context: any. */
uint32_t pica_event_get(const struct pica_event *e);

/* Wait up to @timeout until any (PICA_EV_ANY) or all (PICA_EV_ALL) of @bits
 * are set; with PICA_EV_CLEAR, clear the bits that satisfied the wait.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: the event's bits at the moment the wait was satisfied, masked by
 * @bits (> 0); -EAGAIN (no wait, not satisfied), -ETIMEDOUT, -EINVAL (NULL
 * or not initialised, @bits 0 or with bit 31, unknown option, bad timeout,
 * blocking call in an ISR). */
int pica_event_wait(struct pica_event *e, uint32_t bits, unsigned options, pica_timeout_t timeout);
