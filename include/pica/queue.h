/* SPDX-License-Identifier: MIT */
/* Message queues: fixed-size messages copied in and out of a caller-provided
 * ring of @capacity slots, FIFO. Senders block while it is full, receivers
 * while it is empty; both wake highest priority first, FIFO among equals.
 * Implementation: kernel/queue.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/fast.h>
#include <pica/thread.h>
#include <pica/time.h>

#include "arch.h"

struct pica_queue {
    /* Messages queued, or PICA_QUEUE_WAITING while receivers may wait (the
     * ring is empty then), so that the fast paths need one test each. */
    uint32_t count;
    uint32_t capacity;           /* messages the ring holds */
    uint32_t msg_size;           /* bytes per message */
    char *head;                  /* the oldest message */
    char *tail;                  /* where the next one goes */
    char *buf;                   /* capacity * msg_size bytes */
    char *end;                   /* buf + capacity * msg_size */
    struct pica_waitq senders;   /* waiting while full */
    struct pica_waitq receivers; /* waiting while empty */
};

#define PICA_QUEUE_WAITING UINT32_MAX

/* Bytes of buffer a queue of @capacity messages of @msg_size bytes needs. */
#define PICA_QUEUE_BUF_SIZE(msg_size, capacity) ((size_t)(msg_size) * (size_t)(capacity))

/* Set up @q over @buf (PICA_QUEUE_BUF_SIZE bytes, any alignment; word
 * aligned copies faster). Context: thread or boot.
 * Returns: 0, -EINVAL (NULL @q or @buf, @msg_size or @capacity 0, a size
 * that overflows, a buffer that would run past the end of memory). */
int pica_queue_init(struct pica_queue *q, void *buf, size_t msg_size, uint32_t capacity);

/* Copy @msg (msg_size bytes) to the back of the queue, waiting up to
 * @timeout for room. A waiting receiver gets it directly. Arguments are
 * checked first: a bad timeout is refused even when there is room.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, full), -ETIMEDOUT, -EINVAL (NULL, not
 * initialised, a negative timeout other than PICA_FOREVER, blocking call
 * in an ISR). */
static inline int pica_queue_send(struct pica_queue *q, const void *msg, pica_timeout_t timeout);

/* As pica_queue_send() but to the front: the message is received next
 * (urgent). Several urgent messages come out newest first. */
int pica_queue_send_front(struct pica_queue *q, const void *msg, pica_timeout_t timeout);

/* Copy the oldest message to @msg (msg_size bytes), waiting up to @timeout
 * for one; after a failure @msg is as it was.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, empty), -ETIMEDOUT, -EINVAL (as for send). */
static inline int pica_queue_recv(struct pica_queue *q, void *msg, pica_timeout_t timeout);

/* End @q's life: every sender and receiver waiting wakes with -EIDRM,
 * queued messages are dropped, and every later call on it fails with
 * -EINVAL until pica_queue_init(). Context: thread. Returns: the waiters
 * woken, -EINVAL (NULL or not initialised). */
int pica_queue_destroy(struct pica_queue *q);

/* Messages queued now (0 for NULL). Context: any. */
uint32_t pica_queue_count(const struct pica_queue *q);

/* The complete send and receive, which the inline ones fall back on. */
int pica_queue_send_slow(struct pica_queue *q, const void *msg, pica_timeout_t timeout);
int pica_queue_recv_slow(struct pica_queue *q, void *msg, pica_timeout_t timeout);

/* One message's copy: messages of up to four words go word by word with no
 * call. Cortex-M3/M4 load and store words at any alignment; elsewhere the
 * words are used only when both sides are aligned. The word type may alias
 * anything, as a message may be of any type. */
#ifdef __ARM_FEATURE_UNALIGNED
typedef uint32_t __attribute__((may_alias, aligned(1))) pica_queue_word_t;
#else
typedef uint32_t __attribute__((may_alias)) pica_queue_word_t;
#endif

static inline __attribute__((always_inline)) void
pica_queue_copy(void *dst, const void *src, uint32_t size)
{
    pica_queue_word_t *d = (pica_queue_word_t *)dst;
    const pica_queue_word_t *s = (const pica_queue_word_t *)src;
    /* The size is only known at run time: hide the objects' own sizes
     * from -Warray-bounds, which would otherwise judge every case. */
    __asm("" : "+r"(d), "+r"(s));
#ifndef __ARM_FEATURE_UNALIGNED
    if ((((uintptr_t)d | (uintptr_t)s) & 3u) != 0) {
        __builtin_memcpy(d, s, size);
        return;
    }
#endif
    switch (size) {
    case 16:
        d[3] = s[3];
        /* fall through */
    case 12:
        d[2] = s[2];
        /* fall through */
    case 8:
        d[1] = s[1];
        /* fall through */
    case 4:
        d[0] = s[0];
        break;
    default:
        __builtin_memcpy(d, s, size);
        break;
    }
}

/* The slot after @slot, wrapping at the end of the ring. */
static inline char *
pica_queue_step(const struct pica_queue *q, char *slot)
{
    char *next = slot + q->msg_size;
    return next == q->end ? q->buf : next;
}

/* Inline fast paths (PICA_CFG_INLINE_FAST_PATHS): a send while there is
 * room and nobody waits to receive, a receive while the ring is neither
 * empty nor full (a full ring may have senders waiting), each a copy and a
 * pointer step under the kernel lock. */
static inline int
pica_queue_send(struct pica_queue *q, const void *msg, pica_timeout_t timeout)
{
#if PICA_CFG_INLINE_FAST_PATHS
    bool timeout_ok = pica_wait_allowed(timeout);
    if (__builtin_expect(q != NULL && msg != NULL && timeout_ok, 1)) {
        unsigned key = arch_irq_lock();
        uint32_t count = q->count;
        /* Fails when full, while receivers wait, and for capacity 0 (not
         * initialised). */
        if (__builtin_expect(count < q->capacity, 1)) {
            /* Everything read before the copy, which may alias *q. */
            char *tail = q->tail;
            uint32_t size = q->msg_size;
            q->tail = pica_queue_step(q, tail);
            q->count = count + 1u;
            pica_queue_copy(tail, msg, size);
            arch_irq_unlock(key);
            return 0;
        }
        arch_irq_unlock(key);
    }
#endif
    return pica_queue_send_slow(q, msg, timeout);
}

static inline int
pica_queue_recv(struct pica_queue *q, void *msg, pica_timeout_t timeout)
{
#if PICA_CFG_INLINE_FAST_PATHS
    bool timeout_ok = pica_wait_allowed(timeout);
    if (__builtin_expect(q != NULL && msg != NULL && timeout_ok, 1)) {
        unsigned key = arch_irq_lock();
        uint32_t count = q->count;
        /* 0 < count < capacity, in one unsigned test. */
        if (__builtin_expect(count - 1u < q->capacity - 1u, 1)) {
            char *head = q->head;
            uint32_t size = q->msg_size;
            q->head = pica_queue_step(q, head);
            q->count = count - 1u;
            pica_queue_copy(msg, head, size);
            arch_irq_unlock(key);
            return 0;
        }
        arch_irq_unlock(key);
    }
#endif
    return pica_queue_recv_slow(q, msg, timeout);
}
