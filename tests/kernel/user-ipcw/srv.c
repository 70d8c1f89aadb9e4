/* SPDX-License-Identifier: MIT */
/* The user-ipcw test's server (main.c has the plan): one thread serves
 * register calls (sys_ep_recvw, sys_ep_reply_recvw), one serves the same
 * requests through a struct pica_user_ipc, one receives once and ends
 * without answering. Each answer says what its receive returned, so the
 * client checks badges and flags. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "ipcw_test.h"

/* The answer to @w, received as @got. Where there is an FPU, the server
 * leaves values of its own in s0 and s16 first: a client's must survive
 * the switches (cli.c: fp_kept). */
static void
answer(uint32_t w[4], int got)
{
#if defined(__arm__) && defined(__ARM_FP)
    __asm volatile("vmov s0, %0\n\tvmov s16, %0" ::"r"(0xdeadbeefu ^ w[1]) : "s0", "s16");
#endif
    if (w[0] == OP_HANG) {
        (void)sys_sem_take(SRV_HANG, SYS_FOREVER);
    }
    if (w[0] == OP_SPIN) {
        uint64_t t0 = sys_uptime_us();
        while (sys_uptime_us() - t0 < SPIN_US) {
        }
    }
    w[0] = (uint32_t)got;
    w[1] += 1;
    w[2] += 2;
    w[3] += 3;
}

static void
block_server(void *arg)
{
    (void)arg;
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    int err = sys_ep_recv(SRV_EB, &m);
    for (;;) {
        if (err != 0) {
            printf("srv: FAIL block receive: %d\n", err);
            pica_sys_exit(1);
        }
        answer(m.w, (int)(m.badge | m.info << PICA_USER_MSG_SHIFT));
        err = sys_ep_reply_recv(SRV_EB, m.w, &m);
    }
}

static void
dying_server(void *arg)
{
    (void)arg;
    uint32_t w[4];
    int got = sys_ep_recvw(SRV_ED, w, SYS_FOREVER);
    /* Ends holding the call: its caller learns that with -EPIPE. */
    pica_sys_thread_exit((uint32_t)(got < 0 ? 1 : 0));
}

/* A register server on @arg (SRV_ET, SRV_EL) whose receives wait 5 ms
 * at most: a call must end such a wait (and its deadline) as it is
 * served, and a wait that times out just starts again. */
static void
timed_server(void *arg)
{
    int ep = (int)(uintptr_t)arg;
    uint32_t w[4];
    int got = sys_ep_recvw(ep, w, 5000);
    for (;;) {
        if (got == -ETIMEDOUT) {
            got = sys_ep_recvw(ep, w, 5000);
            continue;
        }
        if (got < 0) {
            printf("srv: FAIL timed receive: %d\n", got);
            pica_sys_exit(1);
        }
        answer(w, got);
        got = sys_ep_reply_recvw(ep, w, 5000);
    }
}

int
user_main(void)
{
    int prio = sys_prio();
    if (sys_thread_create(block_server, NULL, prio) < 0 ||
        sys_thread_create(dying_server, NULL, prio) < 0 ||
        (!IPCW_SMALL && sys_thread_create(timed_server, (void *)SRV_ET, prio) < 0) ||
        /* less urgent than the client: its calls cannot switch to it at once */
        (!IPCW_SMALL && sys_thread_create(timed_server, (void *)SRV_EL, prio + 4) < 0)) {
        return 1;
    }
    uint32_t w[4];
    int got = sys_ep_recvw(SRV_EW, w, SYS_FOREVER);
    for (;;) {
        if (got < 0) {
            printf("srv: FAIL register receive: %d\n", got);
            return 1;
        }
        answer(w, got);
        got = sys_ep_reply_recvw(SRV_EW, w, SYS_FOREVER);
    }
}
