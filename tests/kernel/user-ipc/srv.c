/* SPDX-License-Identifier: MIT */
/* The user-ipc test's server (main.c has the plan): one loop of
 * sys_ep_reply_recv on the endpoint the kernel gave it, with its
 * notification bound to it, serving the operations of ipc_test.h. It
 * checks what only it can see (badges arriving, a saved reply used once
 * and never copied, an answer to a caller that left) and counts failures;
 * OP_STATS reports them with the rest. The kernel kills it in OP_HANG. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "ipc_test.h"

static int failures;
static int notified;  /* bits from the bound notification */
static int slow_reply = 1;
static uint32_t order[3];
static unsigned norder;
static int minted = -1;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("srv: FAIL %s: %ld, not %ld\n", what, got_, want_);                            \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static uint8_t bytes[64];

int
user_main(void)
{
    CHECK_EQ("bind", sys_ep_bind(SRV_EP, SRV_NTFN), 0);
    CHECK_EQ("bind twice to another", sys_ep_bind(SRV_EP, SRV_HANG), -EBADF);
    /* The badged capability OP_GETCAP hands out, and the attempts to
     * forge or widen one. */
    minted = sys_cap_mint(SRV_EP, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE | PICA_USER_RIGHT_GRANT,
                          CAP_BADGE);
    CHECK_EQ("mint", minted > SRV_HANG, 1);
    CHECK_EQ("badge", sys_cap_badge(minted), CAP_BADGE);
    CHECK_EQ("re-mint a badge", sys_cap_mint(minted, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE, 7), -EPERM);
    CHECK_EQ("widen", sys_cap_copy(minted, PICA_SLOT_ANY, PICA_USER_RIGHT_READ), -EPERM);
    int nogrant = sys_cap_copy(minted, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE);
    CHECK_EQ("copy without grant", nogrant > minted, 1);

    struct pica_user_ipc m;
    uint32_t w[4] = {0, 0, 0, 0};
    sys_ipc_init(&m, SYS_FOREVER);
    m.buf = (uint32_t)(uintptr_t)bytes;
    m.room = sizeof(bytes);
    int r = sys_ep_recv(SRV_EP, &m);
    for (;;) {
        if (r != 0) {
            printf("srv: FAIL receive: %d\n", r);
            return 1;
        }
        const struct pica_user_ipc in = m; /* what arrived; m is set up for the answer */
        uint32_t len = in.len;
        sys_ipc_init(&m, SYS_FOREVER);
        m.buf = (uint32_t)(uintptr_t)bytes;
        m.room = sizeof(bytes);
        if (in.info & PICA_USER_MSG_NOTIFY) {
            notified |= (int)in.w[0];
            r = sys_ep_recv(SRV_EP, &m);
            continue;
        }
        switch (in.w[0]) {
        case OP_ECHO:
            w[0] = in.badge | ((in.info & PICA_USER_MSG_KERNEL) ? 0x80000000u : 0u);
            w[1] = in.w[1] + 1u;
            w[2] = in.w[2] + 2u;
            w[3] = in.w[3] + 3u;
            for (uint32_t i = 0; i < len / 2; i++) {
                uint8_t t = bytes[i];
                bytes[i] = bytes[len - 1 - i];
                bytes[len - 1 - i] = t;
            }
            m.len = len;
            break;
        case OP_GETCAP:
            m.send_caps[0] = (uint8_t)minted;
            w[0] = 0;
            m.len = 0;
            break;
        case OP_NOGRANT:
            m.send_caps[0] = (uint8_t)nogrant;
            m.len = 0;
            break;
        case OP_SLOW: {
            sys_sleep_us(50000);
            /* The caller gave up after 20 ms: the answer has nobody to go to. */
            slow_reply = sys_ep_reply(PICA_SLOT_ANY, w, NULL);
            r = sys_ep_recv(SRV_EP, &m);
            continue;
        }
        case OP_SAVE: {
            int saved = sys_reply_save();
            CHECK_EQ("save", saved >= 0, 1);
            CHECK_EQ("copy a reply", sys_cap_copy(saved, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE), -EPERM);
            CHECK_EQ("nothing held after the save", sys_ep_reply(PICA_SLOT_ANY, w, NULL), -ESRCH);
            w[1] = 77;
            CHECK_EQ("answer through the slot", sys_ep_reply((uint32_t)saved, w, NULL), 0);
            CHECK_EQ("answer twice", sys_ep_reply((uint32_t)saved, w, NULL), -EBADF);
            r = sys_ep_recv(SRV_EP, &m);
            continue;
        }
        case OP_REVOKE:
            sys_sleep_us(20000); /* the client's second thread queues through the copy */
            w[1] = (uint32_t)sys_cap_revoke(minted);
            CHECK_EQ("kept", sys_cap_badge(minted), CAP_BADGE);
            m.len = 0;
            break;
        case OP_TAG:
            if (norder < 3) {
                order[norder++] = in.w[1];
            }
            m.len = 0;
            break;
        case OP_HOLD:
            sys_sleep_us(30000);
            m.len = 0;
            break;
        case OP_ORDER:
            w[1] = order[0];
            w[2] = order[1];
            w[3] = order[2];
            m.len = 0;
            break;
        case OP_STATS:
            w[1] = (uint32_t)notified;
            w[2] = (uint32_t)slow_reply;
            w[3] = (uint32_t)failures;
            m.len = 0;
            break;
        case OP_HANG:
            CHECK_EQ("save", sys_reply_save() >= 0, 1);
            sys_sem_take(SRV_HANG, SYS_FOREVER); /* killed here */
            return 1;
        default:
            printf("srv: FAIL op %lu\n", (unsigned long)in.w[0]);
            failures++;
            m.len = 0;
            break;
        }
        r = sys_ep_reply_recv(SRV_EP, w, &m);
    }
}
