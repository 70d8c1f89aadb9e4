/* SPDX-License-Identifier: MIT */
/* What the user-capfuzz test's kernel side (main.c) and its two workers
 * (worker.c, built twice) agree on: the slots the kernel gives each, and
 * the commands. A worker calls its command endpoint with the outcome of
 * the last command (out words below) and gets the next one in the answer:
 * w[0] the op and rights (CF_W0), w[1]..w[3] as each op says. */
#pragma once

#define CF_CMD 0   /* the worker's command endpoint (WRITE only) */
#define CF_PEER 1  /* the endpoint both workers share (READ, WRITE, GRANT) */
#define CF_LOCK 2  /* the SDK's malloc lock: a mutex the worker makes as it starts */
#define CF_FIXED 3 /* slots below this are never deleted or moved */

#define CF_NO_CAP 0xFFu        /* PICA_USER_IPC_NO_CAP */
#define CF_CANCEL 0xCA11CE1Du  /* w[0] of the kernel's message ending a receive */

enum cf_op {
    CF_SEM = 1, /* sys_sem_create(0, 1)                        out: the result */
    CF_EP,      /* sys_ep_create()                             out: the result */
    CF_NTFN,    /* sys_ntfn_create()                           out: the result */
    CF_COPY,    /* sys_cap_copy(w[1], w[2], rights)            out: the result */
    CF_MINT,    /* sys_cap_mint(w[1], w[2], rights, w[3])      out: the result */
    CF_MOVE,    /* sys_cap_move(w[1], w[2])                    out: the result */
    CF_DELETE,  /* sys_cap_delete(w[1])                        out: the result */
    CF_REVOKE,  /* sys_cap_revoke(w[1])                        out: the result */
    CF_QUERY,   /* sys_cap_info(w[1]), sys_cap_badge(w[1])     out: both */
    CF_SEND,    /* sys_ep_send(w[1], {w[3]}) without waiting, passing the slots
                 * CF_BYTE(w[2], 0) and CF_BYTE(w[2], 1)       out: the result */
    CF_RECV,    /* sys_ep_recv(CF_PEER) into the slots CF_BYTE(w[1], 0..1)
                 * out: the result, CF_GOT(got0, got1, info), the message's
                 * w[0] and its badge */
    CF_EXIT,    /* return 0 from user_main */
};

#define CF_W0(op, rights) ((uint32_t)(op) | (uint32_t)(rights) << 8)
#define CF_W0_OP(w) ((w) & 0xFFu)
#define CF_W0_RIGHTS(w) ((w) >> 8 & 0xFFu)
#define CF_BYTES(b0, b1) ((uint32_t)(b0) | (uint32_t)(b1) << 8)
#define CF_BYTE(w, i) ((uint8_t)((w) >> (8u * (i))))
#define CF_GOT(g0, g1, info) ((uint32_t)(g0) | (uint32_t)(g1) << 8 | (uint32_t)(info) << 16)
