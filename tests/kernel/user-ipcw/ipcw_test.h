/* SPDX-License-Identifier: MIT */
/* What the user-ipcw test's kernel side and its processes agree on: the
 * slots the kernel gives each process, in the order it gives them, and the
 * server's operations (w[0] of a request). */
#pragma once

/* srvw: a register server, a server with struct pica_user_ipc, and one
 * that ends after its first receive */
#define SRV_EW 0   /* endpoints, read */
#define SRV_EB 1
#define SRV_ED 2
#define SRV_HANG 3 /* a semaphore nobody gives: OP_HANG waits on it */
#define SRV_ET 4   /* endpoints, read: a server that waits with a timeout, */
#define SRV_EL 5   /* and one less urgent than the client */
/* cliw: the same endpoints, write and grant */
#define CLI_EW 0
#define CLI_EB 1
#define CLI_ED 2
#define CLI_ET 3
#define CLI_EL 4

enum ipcw_op {
    OP_ECHO = 1, /* answer {what the receive returned, w[1] + 1, w[2] + 2, w[3] + 3} */
    OP_HANG,     /* never answer (the kernel kills the server meanwhile) */
    OP_SPIN,     /* work SPIN_US of CPU time first, then answer as OP_ECHO */
};

#define MAX_BADGE 0x0FFFFFFFu
#define SPIN_US 500u      /* OP_SPIN's work */
#define HOG_US 12000u     /* the client's CPU-bound thread's */
