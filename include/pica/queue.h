/* SPDX-License-Identifier: MIT */
/* Message queues: fixed-size messages copied in and out of a caller-provided
 * ring of @capacity slots, FIFO. Senders block while it is full, receivers
 * while it is empty; both wake highest priority first, FIFO among equals.
 * Implementation: kernel/queue.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pica/thread.h>
#include <pica/time.h>

struct pica_queue {
    char *buf;                   /* capacity * msg_size bytes */
    uint32_t msg_size;           /* bytes per message */
    uint32_t capacity;           /* messages the ring holds */
    uint32_t head;               /* slot of the oldest message */
    uint32_t count;              /* messages queued */
    struct pica_waitq senders;   /* waiting while full */
    struct pica_waitq receivers; /* waiting while empty */
};

/* Bytes of buffer a queue of @capacity messages of @msg_size bytes needs. */
#define PICA_QUEUE_BUF_SIZE(msg_size, capacity) ((size_t)(msg_size) * (size_t)(capacity))

/* Set up @q over @buf (PICA_QUEUE_BUF_SIZE bytes, any alignment; word
 * aligned copies faster). Context: thread or boot.
 * Returns: 0, -EINVAL (NULL @q or @buf, @msg_size or @capacity 0). */
int pica_queue_init(struct pica_queue *q, void *buf, size_t msg_size, uint32_t capacity);

/* Copy @msg (msg_size bytes) to the back of the queue, waiting up to
 * @timeout for room. A waiting receiver gets it directly.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, full), -ETIMEDOUT, -EINVAL (NULL, not
 * initialised, bad timeout, blocking call in an ISR). */
int pica_queue_send(struct pica_queue *q, const void *msg, pica_timeout_t timeout);

/* As pica_queue_send() but to the front: the message is received next
 * (urgent). Several urgent messages come out newest first. */
int pica_queue_send_front(struct pica_queue *q, const void *msg, pica_timeout_t timeout);

/* Copy the oldest message to @msg (msg_size bytes), waiting up to @timeout
 * for one. Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, empty), -ETIMEDOUT, -EINVAL (as for send). */
int pica_queue_recv(struct pica_queue *q, void *msg, pica_timeout_t timeout);

/* Messages queued now (0 for NULL). Context: any. */
uint32_t pica_queue_count(const struct pica_queue *q);
