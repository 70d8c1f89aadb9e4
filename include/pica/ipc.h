/* SPDX-License-Identifier: MIT */
/* Synchronous IPC: endpoints, replies and notifications.
 *
 * An endpoint has no buffer. A sender (send) or caller (call) meets a
 * receiver (recv) on it: whichever comes second copies the message from
 * the sender to the receiver and goes on; the first waits, senders and
 * callers highest priority first, FIFO among equals. A message is
 * PICA_MSG_WORDS words, a buffer of up to PICA_CFG_IPC_BUF_MAX bytes copied
 * by the kernel from the sender's memory to the receiver's, and, between
 * processes, up to PICA_MSG_CAPS capabilities passed into slots the
 * receiver names. A call waits for the answer: the receiver gets a reply, a
 * one-shot right to answer that caller, which dies when used or when the
 * caller is gone (killed, timed out). While a thread holds a caller's reply
 * it runs at least at the caller's priority.
 *
 * A notification is a word of bits: a signal ORs bits in and never blocks
 * (an interrupt handler may signal); a wait takes the whole word once it is
 * not zero. Bound to an endpoint, it also ends a receive on that endpoint:
 * a driver waits for requests and for its interrupt at once.
 *
 * Kernel threads use these functions with kernel pointers; user processes
 * reach them through system calls on slots (kernel/proc/syscalls.def), where a
 * slot's badge names the sender. docs/capabilities.md has the model. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/thread.h>
#include <pica/time.h>

/* Words in a message. */
#define PICA_MSG_WORDS 4
/* Capabilities one message may carry (between user processes). */
#define PICA_MSG_CAPS 2

/* Bytes of a message's buffer at most. The kernel copies it with
 * interrupts masked: this bounds that stretch. */
#ifndef PICA_CFG_IPC_BUF_MAX
#define PICA_CFG_IPC_BUF_MAX 256
#endif

/* struct pica_msg.info, set on receipt */
#define PICA_MSG_CALL 0x01u     /* the sender waits for a reply */
#define PICA_MSG_NOTIFY 0x02u   /* not a message: the bound notification's
                                 * word, in w[0] */
#define PICA_MSG_KERNEL 0x04u   /* from a kernel thread */

struct pica_msg {
    uint32_t w[PICA_MSG_WORDS];
    uint32_t badge;  /* received: the sender's badge (0: none) */
    void *buf;       /* the bytes to send, and the room to receive into */
    uint32_t len;    /* bytes to send at buf; once received, bytes received */
    uint32_t room;   /* bytes buf can receive */
    uint32_t info;   /* received: PICA_MSG_* */
};

struct pica_ntfn;

struct pica_ep {
    struct pica_waitq senders;   /* waiting in send or call */
    struct pica_waitq receivers; /* waiting in recv */
    struct pica_ntfn *bound;     /* the notification bound to it, or NULL */
    uint32_t magic;              /* PICA_EP_MAGIC while usable */
    uint32_t sent;               /* messages delivered, for the shell */
};

/* The right to answer one caller: whoever received its call holds it.
 * User threads have one each (and may save it in a slot); a kernel thread
 * gives its own to pica_ep_recv(). */
struct pica_reply {
    struct pica_waitq caller;    /* the caller waiting for the answer: 0 or 1 thread */
    struct pica_thread *holder;  /* who received the call: runs at least at
                                  * the caller's priority until it answers */
    struct pica_list active;     /* in the list of replies with a caller */
};

struct pica_irq_cap;

struct pica_ntfn {
    uint32_t word;               /* bits signalled and not yet taken */
    struct pica_waitq waiters;
    struct pica_ep *bound;       /* the endpoint it is bound to, or NULL */
    struct pica_irq_cap *irq;    /* the interrupt line signalling it, or NULL */
    uint32_t magic;              /* PICA_NTFN_MAGIC while usable */
    uint32_t signals;            /* signals since it was made, for the shell */
};

#define PICA_EP_MAGIC 0x45504943u   /* "EPIC" */
#define PICA_NTFN_MAGIC 0x4e544643u /* "NTFC" */

int pica_ep_init(struct pica_ep *ep);
/* Make @r an empty reply (a kernel thread's, before its first receive). */
void pica_reply_init(struct pica_reply *r);
/* Wake every thread waiting on @ep with -EIDRM (callers whose message was
 * taken wait on their receiver's reply, not on @ep: they are answered or
 * learn -EPIPE); later calls fail with -EINVAL. Unbinds its notification.
 * Context: thread. */
int pica_ep_destroy(struct pica_ep *ep);

/* Send @m (words, and @m->len bytes at @m->buf) to a receiver of @ep,
 * waiting up to @timeout for one. Context: thread (PICA_NO_WAIT: also an
 * ISR). Returns: 0, -EAGAIN (no receiver, no wait), -ETIMEDOUT, -EIDRM
 * (destroyed meanwhile), -EMSGSIZE (more bytes than the receiver has
 * room for: it did not get the message), -EINVAL. */
int pica_ep_send(struct pica_ep *ep, const struct pica_msg *m, pica_timeout_t timeout);

/* Receive into @m (@m->buf, @m->len: room) from @ep, waiting up to
 * @timeout. If the message came from a call, @r holds the right to answer
 * it (PICA_MSG_CALL in @m->info); @r must not hold an unanswered call
 * (answer or drop it first). Returns: 0, -EAGAIN, -ETIMEDOUT, -EIDRM,
 * -EINVAL, -EBUSY (@r still holds a caller). */
int pica_ep_recv(struct pica_ep *ep, struct pica_msg *m, struct pica_reply *r,
                 pica_timeout_t timeout);

/* Send @m to a receiver of @ep and wait for the answer, which lands in @m
 * (its words, and its bytes in @m->buf, up to @m->room). The timeout bounds
 * the whole call; PICA_NO_WAIT only the wait for a receiver (the answer is
 * then awaited without limit). Returns: 0, or
 * -EAGAIN, -ETIMEDOUT, -EIDRM, -EMSGSIZE, -EPIPE (the receiver ended
 * without answering), -EINVAL. */
int pica_ep_call(struct pica_ep *ep, struct pica_msg *m, pica_timeout_t timeout);

/* Answer the caller @r holds with @m; @r is empty afterwards.
 * Context: thread. Returns: 0, -ESRCH (no caller: never received, already
 * answered, or the caller is gone), -EMSGSIZE (the caller had less room:
 * it gets -EMSGSIZE too). */
int pica_ep_reply(struct pica_reply *r, const struct pica_msg *m);

/* Forget the caller @r holds: it gets -EPIPE. */
void pica_ep_reply_drop(struct pica_reply *r);

/* Bind @n to @ep: a receive on @ep also ends when @n has bits (they come
 * in w[0], info PICA_MSG_NOTIFY). Binding the pair again changes nothing.
 * Returns: 0, -EBUSY (either is bound to another), -EINVAL. Context: thread. */
int pica_ep_bind(struct pica_ep *ep, struct pica_ntfn *n);

int pica_ntfn_init(struct pica_ntfn *n);
/* Wake its waiters with -EIDRM, unbind it. Context: thread. */
int pica_ntfn_destroy(struct pica_ntfn *n);
/* OR @bits into @n's word and wake a waiter with the word. Never blocks.
 * Context: any. Returns: 0, -EINVAL. */
int pica_ntfn_signal(struct pica_ntfn *n, uint32_t bits);
/* Wait up to @timeout until @n's word is not zero, and take it (the word is
 * 0 afterwards). Returns: the word (> 0), -EAGAIN, -ETIMEDOUT, -EIDRM,
 * -EINVAL. Context: thread. */
int32_t pica_ntfn_wait(struct pica_ntfn *n, pica_timeout_t timeout);
/* Take the word without waiting: it, or 0. Context: any. */
int32_t pica_ntfn_poll(struct pica_ntfn *n);

/* An interrupt line a user driver handles (PICA_CAP_IRQ). Kernel code
 * makes one for a free line and gives it to the driver's process, with a
 * REGION for the device's registers. Bound to a notification, each
 * interrupt masks the line and signals the notification's bits; the driver
 * serves the device, then acknowledges, which unmasks the line: a level
 * interrupt never storms while the driver runs. */
struct pica_irq_cap {
    uint16_t line;
    uint8_t prio;                /* the handler's interrupt priority */
    uint8_t flags;               /* PICA_IRQ_CAP_* */
    bool masked;                 /* fired and not yet acknowledged */
    struct pica_ntfn *ntfn;      /* bound to, or NULL */
    uint32_t bits;               /* what each interrupt signals */
    uint32_t count;              /* interrupts delivered */
    uint32_t magic;              /* PICA_IRQ_CAP_MAGIC */
};
#define PICA_IRQ_CAP_MAGIC 0x49525143u /* "IRQC" */

/* pica_irq_cap_init() flags */
#define PICA_IRQ_CAP_LEVEL 0x01u /* the device holds the line while it wants
                                  * service: the pend latched while masked
                                  * is dropped at the ack (the device pends
                                  * it again if it still asserts) */

/* Make @c for line @line, its handler at interrupt priority @prio (as
 * pica_irq_attach), with PICA_IRQ_CAP_* @flags. Context: thread or boot.
 * Returns: 0, -EINVAL. */
int pica_irq_cap_init(struct pica_irq_cap *c, unsigned line, unsigned prio, unsigned flags);
/* Attach the line's handler and enable it: each interrupt masks the line
 * and signals @bits to @n. Context: thread. Returns: 0, -EBUSY (bound
 * already, or the line has another handler), -EINVAL. */
int pica_irq_cap_bind(struct pica_irq_cap *c, struct pica_ntfn *n, uint32_t bits);
/* Unmask the line after an interrupt was served. Context: any.
 * Returns: 0, -EINVAL (not bound). */
int pica_irq_cap_ack(struct pica_irq_cap *c);
/* Detach the handler (the line stays disabled); the notification is free
 * to be bound again. Context: thread. */
void pica_irq_cap_unbind(struct pica_irq_cap *c);

/* For the shell: call @fn for each thread waiting to send to @ep. */
void pica_ep_foreach_sender(struct pica_ep *ep, void (*fn)(const struct pica_thread *t, bool call,
                                                            void *arg),
                            void *arg);
