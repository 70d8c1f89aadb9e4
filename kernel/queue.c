/* SPDX-License-Identifier: MIT */
/* Message queues (include/pica/queue.h): a ring of fixed-size slots and two
 * wait queues. A message never waits in the ring while a receiver waits: a
 * send hands it straight to the first waiting receiver's buffer, and a
 * receive that frees a slot refills it at once from the first waiting
 * sender. So at most one of the two wait queues is non-empty, and a thread
 * arriving later cannot overtake a woken one. Copies are made under the
 * kernel lock; keep messages small (or send pointers) for short latency. */
#include <pica/queue.h>

#include <errno.h>
#include <pica/panic.h>
#include <stdbool.h>
#include <string.h>

#include "arch.h"
#include "sched.h"
#include "waitq.h"

/* A blocked thread's wait_data is its message buffer; wait_arg says
 * whether a blocked sender's message goes to the front. */

/* Messages are usually a few aligned words, and four words is the size
 * most often seen: copy those inline; other word sizes word by word, odd
 * sizes and alignments with memcpy. */
static inline void
msg_copy(void *dst, const void *src, size_t n)
{
    if (__builtin_expect((((uintptr_t)dst | (uintptr_t)src | n) & 3u) != 0, 0)) {
        memcpy(dst, src, n);
        return;
    }
    uint32_t *d = dst;
    const uint32_t *s = src;
    if (n == 16u) {
        uint32_t a = s[0], b = s[1], c = s[2], e = s[3];
        d[0] = a;
        d[1] = b;
        d[2] = c;
        d[3] = e;
        return;
    }
    for (size_t i = 0; i < n / 4u; i++) {
        d[i] = s[i];
    }
}

static bool
timeout_is_valid(pica_timeout_t timeout)
{
    return timeout >= 0 || timeout == PICA_FOREVER;
}

static char *
slot(const struct pica_queue *q, uint32_t i)
{
    return q->buf + (size_t)i * q->msg_size;
}

/* Store @msg at the back (or the front) of the ring; there is room. */
static inline void
ring_put_locked(struct pica_queue *q, const void *msg, bool front)
{
    uint32_t i;
    if (front) {
        q->head = q->head == 0 ? q->capacity - 1u : q->head - 1u;
        i = q->head;
    } else {
        i = q->head + q->count;
        i = i >= q->capacity ? i - q->capacity : i;
    }
    msg_copy(slot(q, i), msg, q->msg_size);
    q->count++;
}

int
pica_queue_init(struct pica_queue *q, void *buf, size_t msg_size, uint32_t capacity)
{
    PICA_CHECK(q != NULL && buf != NULL && msg_size != 0 && capacity != 0, -EINVAL);
    PICA_CHECK(msg_size <= UINT32_MAX && msg_size <= SIZE_MAX / capacity, -EINVAL);
    q->buf = buf;
    q->msg_size = (uint32_t)msg_size;
    q->capacity = capacity;
    q->head = 0;
    q->count = 0;
    waitq_init(&q->senders);
    waitq_init(&q->receivers);
    return 0;
}

/* Blocking calls: a valid timeout, and not from an interrupt handler. */
static bool
wait_allowed(pica_timeout_t timeout)
{
    return timeout == PICA_NO_WAIT || (timeout_is_valid(timeout) && !arch_in_isr());
}

/* Inlined into both senders, so the common send is one call deep. */
static inline __attribute__((always_inline)) int
queue_put(struct pica_queue *q, const void *msg, pica_timeout_t timeout, bool front)
{
    PICA_CHECK(q != NULL && q->buf != NULL && msg != NULL, -EINVAL);
    PICA_CHECK(wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    struct pica_thread *r = waitq_first_locked(&q->receivers);
    if (__builtin_expect(r != NULL, 0)) {
        /* The ring is empty while receivers wait, so front or back is
         * the same: the message goes straight to the receiver. */
        msg_copy(r->wait_data, msg, q->msg_size);
        waitq_wake_one_locked(&q->receivers, 0);
    } else if (q->count < q->capacity) {
        ring_put_locked(q, msg, front);
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else {
        struct pica_thread *self = sched_current;
        self->wait_data = (void *)(uintptr_t)msg; /* only read from */
        self->wait_arg = front;
        /* 0 once a receiver took the message into the ring, or -ETIMEDOUT. */
        return waitq_block_locked(&q->senders, key, timeout);
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_queue_send(struct pica_queue *q, const void *msg, pica_timeout_t timeout)
{
    return queue_put(q, msg, timeout, false);
}

int
pica_queue_send_front(struct pica_queue *q, const void *msg, pica_timeout_t timeout)
{
    return queue_put(q, msg, timeout, true);
}

int
pica_queue_recv(struct pica_queue *q, void *msg, pica_timeout_t timeout)
{
    PICA_CHECK(q != NULL && q->buf != NULL && msg != NULL, -EINVAL);
    PICA_CHECK(wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (q->count > 0) {
        msg_copy(msg, slot(q, q->head), q->msg_size);
        q->head = q->head + 1u == q->capacity ? 0 : q->head + 1u;
        q->count--;
        /* Senders wait only while full: refill the slot just freed. */
        struct pica_thread *s = waitq_first_locked(&q->senders);
        if (__builtin_expect(s != NULL, 0)) {
            ring_put_locked(q, s->wait_data, s->wait_arg != 0);
            waitq_wake_one_locked(&q->senders, 0);
        }
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else {
        sched_current->wait_data = msg;
        /* 0 once a sender copied a message into @msg, or -ETIMEDOUT. */
        return waitq_block_locked(&q->receivers, key, timeout);
    }
    arch_irq_unlock(key);
    return err;
}

uint32_t
pica_queue_count(const struct pica_queue *q)
{
    return q != NULL ? q->count : 0;
}
