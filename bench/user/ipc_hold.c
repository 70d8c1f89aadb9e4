/* SPDX-License-Identifier: MIT */
/* A holder of ipc_latency's revoke trees (ipc_main.c has the method): it
 * answers each call on its endpoint, keeping the capabilities passed in it
 * in its next two free slots. A tree's first message (IPC_HOLD_START)
 * opens its free slots from the first, its last (IPC_HOLD_LAST) closes
 * them until the caller's revoke has emptied them and the next tree
 * starts: a receive may only offer free slots. */
#include <errno.h>

#include <pica/user/pica_user.h>

#include "ipc_bench.h"

static uint8_t free_slots[IPC_HOLD_ROOM];

/* Set @m up for a receive into free_slots[@next] and the one after
 * (@next < 0: none). */
static void
recv_into(struct pica_user_ipc *m, int next)
{
    sys_ipc_init(m, SYS_FOREVER);
    if (next >= 0) {
        m->recv_caps[0] = free_slots[next];
        m->recv_caps[1] = free_slots[next + 1];
    }
}

int
user_main(void)
{
    /* The SDK's own objects (its malloc lock) took slots too. */
    unsigned nfree = 0;
    for (int slot = 0; slot < 256 && nfree < IPC_HOLD_ROOM; slot++) {
        int info = sys_cap_info(slot);
        if (info == -EBADF) {
            free_slots[nfree++] = (uint8_t)slot;
        } else if (info < 0) {
            break; /* past the table */
        }
    }
    if (nfree < IPC_HOLD_ROOM) {
        return -ENOSPC;
    }
    const uint32_t none[4] = {0, 0, 0, 0};
    int next = -1;
    struct pica_user_ipc m;
    recv_into(&m, next);
    int err = sys_ep_recv(IPC_HOLD_EP, &m);
    for (;;) {
        if (err != 0) {
            return err;
        }
        if (m.w[0] == IPC_HOLD_START) {
            next = 0;
        } else if (m.w[0] == IPC_HOLD_LAST || next + 4 > IPC_HOLD_ROOM) {
            next = -1;
        } else {
            next += 2;
        }
        recv_into(&m, next);
        err = sys_ep_reply_recv(IPC_HOLD_EP, none, &m);
    }
}
