/* SPDX-License-Identifier: MIT */
/* What the kernel side of ipc_latency (ipc_main.c) and its processes
 * (ipc_cli.c, ipc_srv.c, ipc_hold.c) agree on: the slots the kernel fills
 * before it starts them, in the order it gives them, and the commands it
 * sends the client. Shared by kernel and user code. */
#pragma once

#include <stdint.h>

/* ipc_cli: the client, and the revoker of the capability trees */
#define IPC_CLI_DONE 0     /* semaphore (write): a command is finished */
#define IPC_CLI_CMD 1      /* queue (read): commands, struct ipc_cmd */
#define IPC_CLI_SEND 2     /* endpoint (write): ipc_srv receives on it */
#define IPC_CLI_CALL 3     /* endpoint (write): ipc_srv answers calls, no buffer */
#define IPC_CLI_CALL64 4   /* endpoint (write): ipc_srv answers with 64 bytes */
#define IPC_CLI_QREQ 5     /* queue (write): requests to ipc_srv */
#define IPC_CLI_QANS 6     /* queue (read): its answers */
#define IPC_CLI_NTFN 7     /* notification (read): an interrupt handler signals it */
#define IPC_CLI_HOLD0 8    /* endpoints (write) of the IPC_HOLDERS holder processes */
#define IPC_CLI_CALLW 11   /* endpoint (write): ipc_srv answers register calls
                            * (after the holders' IPC_HOLDERS slots) */

/* ipc_srv: the server, more urgent than the client */
#define IPC_SRV_SEND 0
#define IPC_SRV_CALL 1
#define IPC_SRV_CALL64 2
#define IPC_SRV_QREQ 3
#define IPC_SRV_QANS 4
#define IPC_SRV_CALLW 5

/* ipc_hold<i>: keeps capabilities passed to it, for revoke trees */
#define IPC_HOLD_EP 0      /* endpoint (read) */
#define IPC_HOLD_ROOM 30   /* capabilities one holder keeps, two a message */
#define IPC_HOLDERS 3
#define IPC_HOLD_START 1u  /* w[0] of a tree's first message to a holder (no
                            * capabilities): keep from its first free slot on */
#define IPC_HOLD_LAST 2u   /* w[0] of its last: keep no more until the next
                            * IPC_HOLD_START (the revoke frees the slots) */

/* A tree's children in the revoker's own slots; the rest go to holders. */
#define IPC_LOCAL_MAX 10
#define IPC_TREE_MAX (IPC_LOCAL_MAX + IPC_HOLDERS * IPC_HOLD_ROOM)

#define IPC_BUF_BYTES 64   /* the buffer of the CALL64 rows */
#define IPC_ITEM_BYTES 16  /* a queue item, each way */

enum ipc_op {
    IPC_LOOP,    /* n turns of an empty loop */
    IPC_NOP,     /* n null system calls */
    IPC_SEND,    /* n one-way sends, words only (no block) */
    IPC_CALL0,   /* n calls, words only (no block: the answer is its result) */
    IPC_CALL4,   /* n calls with a block: the answer's words land in it */
    IPC_CALL64,  /* n calls with a block and 64 bytes each way */
    IPC_CALLW,   /* n register calls (sys_ep_callw), 4 words each way */
    IPC_QUEUE,   /* n request/answer exchanges through two queues */
    IPC_REVOKE,  /* n times: a tree of arg children, then marker, revoke,
                  * marker (the syscall tap stamps each marker) */
    IPC_MARKERS, /* the same without the revoke: the markers' own cost */
};

struct ipc_cmd {
    uint32_t op; /* enum ipc_op */
    uint32_t n;
    uint32_t arg;
};
