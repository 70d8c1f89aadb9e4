/* SPDX-License-Identifier: MIT */
/* A user-capfuzz worker (main.c has the plan), built as both processes:
 * it calls its command endpoint with the outcome of the last command and
 * carries out the one the answer holds, a single system call on its own
 * slots, until told to exit. It checks nothing itself: the kernel compares
 * every outcome and both slot tables with its model. */
#include <stdint.h>

#include <pica/user/pica_user.h>

#include "capfuzz.h"

/* Send the word w[3] through @via without waiting, passing up to two slots. */
static void
cmd_send(const uint32_t in[4], uint32_t out[4])
{
    struct pica_user_ipc m;
    const uint32_t w[4] = {in[3], 0, 0, 0};
    sys_ipc_init(&m, SYS_NO_WAIT);
    m.send_caps[0] = CF_BYTE(in[2], 0);
    m.send_caps[1] = CF_BYTE(in[2], 1);
    out[0] = (uint32_t)sys_ep_send((int)in[1], w, &m);
}

/* Receive on the shared endpoint into up to two slots. */
static void
cmd_recv(const uint32_t in[4], uint32_t out[4])
{
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    m.recv_caps[0] = CF_BYTE(in[1], 0);
    m.recv_caps[1] = CF_BYTE(in[1], 1);
    out[0] = (uint32_t)sys_ep_recv(CF_PEER, &m);
    out[1] = CF_GOT(m.got_caps[0], m.got_caps[1], m.info);
    out[2] = m.w[0];
    out[3] = m.badge;
}

static void
run(const uint32_t in[4], uint32_t out[4])
{
    const unsigned rights = CF_W0_RIGHTS(in[0]);
    const int a = (int)in[1];
    out[0] = out[1] = out[2] = out[3] = 0;
    switch (CF_W0_OP(in[0])) {
    case CF_SEM:
        out[0] = (uint32_t)sys_sem_create(0, 1);
        break;
    case CF_EP:
        out[0] = (uint32_t)sys_ep_create();
        break;
    case CF_NTFN:
        out[0] = (uint32_t)sys_ntfn_create();
        break;
    case CF_COPY:
        out[0] = (uint32_t)sys_cap_copy(a, in[2], rights);
        break;
    case CF_MINT:
        out[0] = (uint32_t)sys_cap_mint(a, in[2], rights, in[3]);
        break;
    case CF_MOVE:
        out[0] = (uint32_t)sys_cap_move(a, (int)in[2]);
        break;
    case CF_DELETE:
        out[0] = (uint32_t)sys_cap_delete(a);
        break;
    case CF_REVOKE:
        out[0] = (uint32_t)sys_cap_revoke(a);
        break;
    case CF_QUERY:
        out[0] = (uint32_t)sys_cap_info(a);
        out[1] = (uint32_t)sys_cap_badge(a);
        break;
    case CF_SEND:
        cmd_send(in, out);
        break;
    case CF_RECV:
        cmd_recv(in, out);
        break;
    default:
        out[0] = 0xBAD0BAD0u; /* the kernel reports it */
        break;
    }
}

int
user_main(void)
{
    uint32_t out[4] = {0, 0, 0, 0};
    struct pica_user_ipc m;
    for (;;) {
        sys_ipc_init(&m, SYS_FOREVER);
        int r = sys_ep_call(CF_CMD, out, &m);
        if (r != 0) {
            return 1; /* the kernel sees the exit code */
        }
        if (CF_W0_OP(m.w[0]) == CF_EXIT) {
            return 0;
        }
        run(m.w, out);
    }
}
