/* SPDX-License-Identifier: MIT */
/* IPC internals shared by kernel/ipc.c, kernel/notify.c, the system calls
 * (kernel/proc/syscall_ipc.c) and the thread code. _locked: kernel lock held. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/ipc.h>
#include <pica/proc.h>

enum { IPC_SEND, IPC_CALL, IPC_RECV };

/* One side of an exchange, on its thread's stack (t->wait_data while it
 * waits). @m's buf is in @proc's memory (checked when the call began and
 * again at the copy), or the kernel's for a kernel thread (@proc NULL). */
struct ipc_party {
    struct pica_msg *m;
    struct pica_proc *proc;
    struct pica_reply *reply;   /* a receiver's: where a call's right to answer goes */
    uint32_t badge;             /* a sender's: its slot's */
    uint8_t kind;               /* IPC_* */
    uint8_t ncaps;              /* a sender's capabilities to pass: slots caps[] */
    uint8_t caps[PICA_MSG_CAPS];
    uint8_t nrecv;              /* a receiver's slots for them: recv[] */
    uint8_t recv[PICA_MSG_CAPS];
    uint8_t got[PICA_MSG_CAPS]; /* a receiver's: the slots filled */
    uint8_t defer;              /* a call run in the port's trap: block
                                 * without switching (IPC_BLOCKED) */
};

/* What ipc_send() and ipc_recv() return for a deferring party that had to
 * wait: it is queued, out of the ready set, and its outcome arrives in its
 * party as it is woken (kernel/proc/syscall_ipc_regs.c). */
#define IPC_BLOCKED 1

/* Replies that have a caller (kernel/ipc.c), and so a holder to boost. */
extern struct pica_list ipc_replies;

/* @r, empty, now has a caller whose answer @holder gives: on the list, and
 * counted in its holder (ipc_fast.h's answer needs no walk when that count
 * says this is the holder's only one). */
static inline void
reply_hold_locked(struct pica_reply *r, struct pica_thread *holder)
{
    r->holder = holder;
    holder->ipc_held++;
    pica_list_append(&ipc_replies, &r->active);
}

/* @r is no longer held (its caller answered, gone or moved). */
static inline void
reply_unhold_locked(struct pica_reply *r)
{
    pica_list_remove(&r->active);
    if (r->holder != NULL) {
        r->holder->ipc_held--;
        r->holder = NULL;
    }
}

/* Whether @ep is an endpoint (initialised and not destroyed). */
static inline bool
ep_ok(const struct pica_ep *ep)
{
    return ep != NULL && ep->magic == PICA_EP_MAGIC;
}

/* The party of a blocked thread. */
static inline struct ipc_party *
party_of(const struct pica_thread *t)
{
    return (struct ipc_party *)t->wait_data;
}

/* Set up the user thread @t's side for register IPC run in the trap, as
 * it is made (kernel/proc/proc.c). */
void ipc_regs_thread_init(struct pica_thread *t);

/* A user thread's side of a register IPC call (kernel/proc/syscall_ipc_regs.c): its
 * party and message, kept with the thread (proc_thread_rwait()) since the
 * thread may wait with no kernel stack of its own in use. */
struct ipc_rwait {
    struct ipc_party party;
    struct pica_msg m;
};
/* The room a port keeps for it on a privileged stack (ARCH_IPC_RWAIT_BELOW;
 * checked in kernel/proc/syscall_ipc_regs.c). */
#define IPC_RWAIT_ROOM 64

/* send or call (@self->kind) on @ep: pica_ep_send()/pica_ep_call() with a
 * party. A call's answer lands in @self. A deferring party's checks of
 * the caller's context are its trap's (a user thread's system call). */
int ipc_send(struct pica_ep *ep, struct ipc_party *self, pica_timeout_t timeout);
/* recv on @ep into @self; @self->reply takes a call's right to answer. */
int ipc_recv(struct pica_ep *ep, struct ipc_party *self, pica_timeout_t timeout);
/* Answer @r's caller with @self's message. */
int ipc_reply(struct pica_reply *r, struct ipc_party *self);

/* A receiver of @ep takes the bits of its bound notification: true if one
 * was waiting. */
bool ipc_ep_notify_locked(struct pica_ep *ep);
/* Take @n's word (0 afterwards). */
uint32_t ntfn_take_locked(struct pica_ntfn *n);

/* Move the caller @from holds to the empty reply @to, held by the running
 * thread. Returns: 0, -ESRCH (no caller). */
int ipc_reply_move(struct pica_reply *from, struct pica_reply *to);
