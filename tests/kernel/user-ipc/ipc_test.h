/* SPDX-License-Identifier: MIT */
/* What the user-ipc test's kernel side and its processes agree on: the
 * slots the kernel gives each process, in the order it gives them, and the
 * server's operations (w[0] of a request). */
#pragma once

/* srv */
#define SRV_EP 0   /* the endpoint: read, write, grant */
#define SRV_NTFN 1 /* a notification bound to it */
#define SRV_HANG 2 /* a semaphore nobody gives: OP_HANG waits on it */
/* cli */
#define CLI_EP 0   /* the same endpoint: write, grant */
#define CLI_NTFN 1 /* a notification an interrupt handler signals */
#define CLI_SYNC 2 /* a semaphore it gives the kernel: ready for the interrupts */
#define CLI_GO 3   /* and one the kernel gives it: the interrupts are done */

enum ipc_test_op {
    OP_ECHO = 1, /* answer w[i] + i, w[0] the badge seen; the bytes reversed */
    OP_GETCAP,   /* answer with a badged copy of the endpoint (badge CAP_BADGE) */
    OP_NOGRANT,  /* answer passing a capability without the grant right */
    OP_SLOW,     /* answer after 50 ms: w[1] the result of that answer */
    OP_SAVE,     /* answer through a saved reply, then try it twice */
    OP_REVOKE,   /* after 20 ms, revoke what OP_GETCAP gave out: w[1] how many */
    OP_TAG,      /* note w[1] in the order served */
    OP_HOLD,     /* answer after 30 ms, then serve the OP_TAGs queued meanwhile */
    OP_ORDER,    /* answer with the tags in the order served (w[1..3]) */
    OP_STATS,    /* answer with the notifications seen (w[1]) and the slow reply's result (w[2]) */
    OP_HANG,     /* never answer (the kernel kills the server meanwhile) */
};

#define CAP_BADGE 0x1234u
#define ISR_SIGNALS 1000 /* interrupts, each signalling two bits */
#define NOTIFY_BITS 0x50u /* what the kernel signals the server's bound notification */
