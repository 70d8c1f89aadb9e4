/* SPDX-License-Identifier: MIT */
/* The server of ipc_latency (ipc_main.c has the method): one thread per
 * row, each blocked on its own endpoint or queue between messages, all
 * more urgent than the client, so that every message finds its receiver
 * already waiting. An error ends the process; the kernel side notices. */
#include <pica/user/pica_user.h>

#include "ipc_bench.h"

/* One-way sends: receive, and receive again. */
static void
recv_loop(void *arg)
{
    (void)arg;
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    for (;;) {
        int err = sys_ep_recv(IPC_SRV_SEND, &m);
        if (err != 0) {
            pica_sys_exit((uint32_t)err);
        }
    }
}

/* Calls: answer with the words received (and the bytes, in place), and
 * receive the next, in one system call. @arg: the endpoint; with a buffer
 * for IPC_SRV_CALL64. */
static void
call_loop(void *arg)
{
    uint32_t ep = (uint32_t)(uintptr_t)arg;
    static uint8_t buf[IPC_BUF_BYTES];
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    if (ep == IPC_SRV_CALL64) {
        m.buf = (uint32_t)(uintptr_t)buf;
        m.room = sizeof(buf);
    }
    int err = sys_ep_recv((int)ep, &m);
    for (;;) {
        if (err != 0) {
            pica_sys_exit((uint32_t)err);
        }
        /* m.len is what arrived, so the answer carries as many bytes. */
        err = sys_ep_reply_recv((int)ep, m.w, &m);
    }
}

/* Register calls: answer with the words received, receive the next. */
static void
callw_loop(void *arg)
{
    (void)arg;
    uint32_t w[4];
    int got = sys_ep_recvw(IPC_SRV_CALLW, w, SYS_FOREVER);
    for (;;) {
        if (got < 0) {
            pica_sys_exit((uint32_t)got);
        }
        got = sys_ep_reply_recvw(IPC_SRV_CALLW, w, SYS_FOREVER);
    }
}

/* The same exchange through two queues: a request in, an answer out. */
static void
queue_loop(void *arg)
{
    (void)arg;
    uint32_t item[IPC_ITEM_BYTES / 4];
    for (;;) {
        int err = sys_queue_recv(IPC_SRV_QREQ, item, sizeof(item), SYS_FOREVER);
        if (err == 0) {
            err = sys_queue_send(IPC_SRV_QANS, item, sizeof(item), SYS_FOREVER);
        }
        if (err != 0) {
            pica_sys_exit((uint32_t)err);
        }
    }
}

int
user_main(void)
{
    int prio = sys_prio();
    if (sys_thread_create(recv_loop, NULL, prio) < 0 ||
        sys_thread_create(call_loop, (void *)IPC_SRV_CALL64, prio) < 0 ||
        sys_thread_create(queue_loop, NULL, prio) < 0 ||
        sys_thread_create(callw_loop, NULL, prio) < 0) {
        return 1;
    }
    call_loop((void *)IPC_SRV_CALL);
    return 0;
}
