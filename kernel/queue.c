/* SPDX-License-Identifier: MIT */
/* Message queues: set-up, send to the front, and the slow paths behind the
 * inline send and receive of include/pica/queue.h. The ring is two
 * pointers into the caller's buffer; a sender finding a receiver waiting
 * hands its message straight into that receiver's buffer, and a receiver
 * that frees a slot of a full ring refills it from the first waiting
 * sender, so neither side ever waits on a ring that could serve it.
 *
 * While receivers wait the count reads PICA_QUEUE_WAITING (the ring is
 * empty then), which sends the inline fast paths here. Receivers that leave
 * on their own (timeout, kill) do not reset it: whoever next finds no
 * receiver puts the count back to 0. */
#include <pica/queue.h>

#include <errno.h>
#include <pica/panic.h>
#include <stdbool.h>

#include "arch.h"
#include "sched.h"
#include "waitq.h"

/* A blocked thread's wait_data is its message buffer; wait_arg says
 * whether a blocked sender's message goes to the front. */

/* Messages in the ring, with a stale PICA_QUEUE_WAITING (no receiver left)
 * turned back into 0; PICA_QUEUE_WAITING while receivers do wait. */
static uint32_t
queue_count_locked(struct pica_queue *q)
{
    if (q->count == PICA_QUEUE_WAITING && pica_list_empty(&q->receivers.head)) {
        q->count = 0;
    }
    return q->count;
}

/* Store @msg at the back (or the front) of the ring; there is room. */
static void
ring_put_locked(struct pica_queue *q, const void *msg, bool front)
{
    char *slot;
    if (front) {
        slot = (q->head == q->buf ? q->end : q->head) - q->msg_size;
        q->head = slot;
    } else {
        slot = q->tail;
        q->tail = pica_queue_step(q, slot);
    }
    pica_queue_copy(slot, msg, q->msg_size);
    q->count++;
}

/* Copy the oldest message out of the ring into @msg; it is not empty. */
static void
ring_get_locked(struct pica_queue *q, void *msg)
{
    pica_queue_copy(msg, q->head, q->msg_size);
    q->head = pica_queue_step(q, q->head);
    q->count--;
}

int
pica_queue_init(struct pica_queue *q, void *buf, size_t msg_size, uint32_t capacity)
{
    PICA_CHECK(q != NULL && buf != NULL && msg_size != 0 && capacity != 0, -EINVAL);
    PICA_CHECK(msg_size <= UINT32_MAX && msg_size <= SIZE_MAX / capacity, -EINVAL);
    /* A buffer that would run past the end of memory is a bad pointer:
     * the ring's end would wrap below its start. */
    PICA_CHECK(msg_size * capacity <= UINTPTR_MAX - (uintptr_t)buf, -EINVAL);
    /* The count's marker must never be a real count. */
    PICA_CHECK(capacity < PICA_QUEUE_WAITING, -EINVAL);
    q->buf = buf;
    q->end = q->buf + msg_size * capacity;
    q->head = q->buf;
    q->tail = q->buf;
    q->msg_size = (uint32_t)msg_size;
    q->capacity = capacity;
    q->count = 0;
    waitq_init(&q->senders);
    waitq_init(&q->receivers);
    return 0;
}

static int
queue_put(struct pica_queue *q, const void *msg, pica_timeout_t timeout, bool front)
{
    PICA_CHECK(q != NULL && q->buf != NULL && msg != NULL, -EINVAL);
    PICA_CHECK(pica_wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (queue_count_locked(q) == PICA_QUEUE_WAITING) {
        /* The ring is empty while receivers wait, so front or back is
         * the same: the message goes straight to the first receiver. */
        struct pica_thread *r = waitq_first_locked(&q->receivers);
        pica_queue_copy(r->wait_data, msg, q->msg_size);
        waitq_wake_one_locked(&q->receivers, 0);
        (void)queue_count_locked(q); /* 0 again if that was the last */
    } else if (q->count < q->capacity) {
        ring_put_locked(q, msg, front);
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else {
        struct pica_thread *self = sched.current;
        self->wait_data = (void *)(uintptr_t)msg; /* only read from */
        self->wait_arg = front;
        /* 0 once a receiver took the message into the ring, or -ETIMEDOUT. */
        return waitq_block_locked(&q->senders, key, timeout);
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_queue_send_slow(struct pica_queue *q, const void *msg, pica_timeout_t timeout)
{
    return queue_put(q, msg, timeout, false);
}

int
pica_queue_send_front(struct pica_queue *q, const void *msg, pica_timeout_t timeout)
{
    return queue_put(q, msg, timeout, true);
}

int
pica_queue_recv_slow(struct pica_queue *q, void *msg, pica_timeout_t timeout)
{
    PICA_CHECK(q != NULL && q->buf != NULL && msg != NULL, -EINVAL);
    PICA_CHECK(pica_wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    uint32_t count = queue_count_locked(q);
    if (count != PICA_QUEUE_WAITING && count > 0) {
        ring_get_locked(q, msg);
        /* Senders wait only while full: refill the slot just freed. */
        struct pica_thread *s = waitq_first_locked(&q->senders);
        if (s != NULL) {
            ring_put_locked(q, s->wait_data, s->wait_arg != 0);
            waitq_wake_one_locked(&q->senders, 0);
        }
    } else if (timeout == PICA_NO_WAIT) {
        err = -EAGAIN;
    } else {
        q->count = PICA_QUEUE_WAITING;
        sched.current->wait_data = msg;
        /* 0 once a sender copied a message into @msg, or -ETIMEDOUT. */
        return waitq_block_locked(&q->receivers, key, timeout);
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_queue_destroy(struct pica_queue *q)
{
    PICA_CHECK(q != NULL && q->buf != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    int woken = (int)waitq_wake_all_locked(&q->senders, -EIDRM);
    woken += (int)waitq_wake_all_locked(&q->receivers, -EIDRM);
    /* Both fast paths fail on capacity 0 and the slow ones refuse a NULL
     * buffer. */
    q->count = 0;
    q->capacity = 0;
    q->buf = NULL;
    arch_irq_unlock(key);
    return woken;
}

uint32_t
pica_queue_count(const struct pica_queue *q)
{
    if (q == NULL) {
        return 0;
    }
    uint32_t count = q->count;
    return count == PICA_QUEUE_WAITING ? 0 : count;
}
