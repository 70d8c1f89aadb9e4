/* SPDX-License-Identifier: MIT */
/* The client of ipc_latency (ipc_main.c has the method): its first thread
 * runs the kernel's commands (ipc_bench.h) and gives the done semaphore
 * after each; a second waits on the notification an interrupt handler
 * signals and, as its first act after each wait, makes the marker call
 * (pica_sys_nop) whose entry the kernel's syscall tap stamps. The loops
 * keep n in a register, and the empty one has the same shape as the
 * others (the kernel side subtracts it). */
#include <pica/user/pica_user.h>

#include "ipc_bench.h"

static uint8_t buf[IPC_BUF_BYTES];
static int root = -1; /* the revoke trees' root: a semaphore of our own */

/* Children of @root for a tree of @n: our own copies first, then pairs
 * passed in calls to the holders (each receipt is a child of @root too).
 * Returns: 0 or the first error. */
static int
tree_build(uint32_t n)
{
    uint32_t local = n < IPC_LOCAL_MAX ? n : IPC_LOCAL_MAX;
    for (uint32_t i = 0; i < local; i++) {
        int slot = sys_cap_copy(root, PICA_SLOT_ANY, PICA_USER_RIGHT_READ | PICA_USER_RIGHT_WRITE);
        if (slot < 0) {
            return slot;
        }
    }
    uint32_t left = n - local;
    for (unsigned h = 0; left > 0 && h < IPC_HOLDERS; h++) {
        const uint32_t start[4] = {IPC_HOLD_START, 0, 0, 0};
        int err = sys_ep_call(IPC_CLI_HOLD0 + (int)h, start, NULL);
        if (err != 0) {
            return err;
        }
        for (uint32_t kept = 0; left > 0 && kept < IPC_HOLD_ROOM; kept += 2) {
            struct pica_user_ipc m;
            sys_ipc_init(&m, SYS_FOREVER);
            m.send_caps[0] = (uint8_t)root;
            m.send_caps[1] = left > 1 ? (uint8_t)root : PICA_USER_IPC_NO_CAP;
            left -= left > 1 ? 2u : 1u;
            bool last = left == 0 || kept + 2 >= IPC_HOLD_ROOM;
            const uint32_t w[4] = {last ? IPC_HOLD_LAST : 0u, 0, 0, 0};
            err = sys_ep_call(IPC_CLI_HOLD0 + (int)h, w, &m);
            if (err != 0) {
                return err;
            }
        }
    }
    return left == 0 ? 0 : -1;
}

/* @reps trees of @n children, each revoked between two markers; with
 * @revoke false, the markers alone. Returns: 0 or the first error. */
static int
revoke_runs(uint32_t reps, uint32_t n, bool revoke)
{
    for (uint32_t r = 0; r < reps; r++) {
        int err = revoke ? tree_build(n) : 0;
        if (err != 0) {
            return err;
        }
        /* Spread the phase of a coarse counter (ipc_main.c). */
        for (uint32_t d = r % 13u; d > 0; d--) {
            __asm volatile("" ::: "memory");
        }
        pica_sys_nop();
        if (revoke) {
            err = sys_cap_revoke(root);
        }
        pica_sys_nop();
        if (err != (int)n && revoke) {
            return err < 0 ? err : -1;
        }
    }
    return 0;
}

/* The command's loop; returns 0 or the first error. */
static int
run(const struct ipc_cmd *c)
{
    uint32_t n = c->n;
    const uint32_t w[4] = {1, 2, 3, 4};
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    int err = 0;
    switch (c->op) {
    case IPC_NOP:
        for (uint32_t i = 0; i < n; i++) {
            pica_sys_nop();
        }
        break;
    case IPC_SEND:
        for (uint32_t i = 0; i < n && err == 0; i++) {
            err = sys_ep_send(IPC_CLI_SEND, w, NULL);
        }
        break;
    case IPC_CALL0:
        for (uint32_t i = 0; i < n && err == 0; i++) {
            err = sys_ep_call(IPC_CLI_CALL, w, NULL);
        }
        break;
    case IPC_CALL4:
        for (uint32_t i = 0; i < n && err == 0; i++) {
            err = sys_ep_call(IPC_CLI_CALL, w, &m);
        }
        break;
    case IPC_CALL64:
        m.buf = (uint32_t)(uintptr_t)buf;
        m.len = sizeof(buf);
        m.room = sizeof(buf);
        for (uint32_t i = 0; i < n && err == 0; i++) {
            err = sys_ep_call(IPC_CLI_CALL64, w, &m);
        }
        break;
    case IPC_CALLW: {
        uint32_t rw[4] = {1, 2, 3, 4};
        for (uint32_t i = 0; i < n && err == 0; i++) {
            err = sys_ep_callw(IPC_CLI_CALLW, rw, SYS_FOREVER);
        }
        break;
    }
    case IPC_QUEUE: {
        uint32_t item[IPC_ITEM_BYTES / 4] = {1, 2, 3, 4};
        for (uint32_t i = 0; i < n && err == 0; i++) {
            err = sys_queue_send(IPC_CLI_QREQ, item, sizeof(item), SYS_FOREVER);
            if (err == 0) {
                err = sys_queue_recv(IPC_CLI_QANS, item, sizeof(item), SYS_FOREVER);
            }
        }
        break;
    }
    case IPC_REVOKE:
    case IPC_MARKERS:
        err = revoke_runs(n, c->arg, c->op == IPC_REVOKE);
        break;
    default:
        for (uint32_t i = 0; i < n; i++) {
            __asm volatile("" ::: "memory");
        }
        break;
    }
    return err;
}

/* Waits for the interrupt handler's signal; the marker is its first act. */
static void
ntfn_loop(void *arg)
{
    (void)arg;
    for (;;) {
        int err = sys_ntfn_wait(IPC_CLI_NTFN, SYS_FOREVER);
        pica_sys_nop();
        if (err <= 0) {
            pica_sys_exit((uint32_t)err);
        }
    }
}

int
user_main(void)
{
    root = sys_sem_create(0, 1);
    if (root < 0 || sys_thread_create(ntfn_loop, NULL, sys_prio()) < 0) {
        return 1;
    }
    for (;;) {
        struct ipc_cmd c;
        int err = sys_queue_recv(IPC_CLI_CMD, &c, sizeof(c), SYS_FOREVER);
        if (err == 0) {
            err = run(&c);
        }
        if (err != 0) {
            pica_sys_exit((uint32_t)err); /* the kernel side times out and says so */
        }
        sys_sem_give(IPC_CLI_DONE);
    }
}
