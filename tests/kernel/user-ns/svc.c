/* SPDX-License-Identifier: MIT */
/* The user-ns test's service: it registers an endpoint of its own as
 * "echo" (and is refused what must be refused), answers one call on it,
 * then withdraws the name. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "ns_test.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("svc: FAIL %s: %ld, not %ld\n", what, got_, want_);                            \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

int
user_main(void)
{
    /* The kernel gave SVC_READY before it started: the endpoint follows. */
    CHECK_EQ("its name service slot", sys_ns_slot(), SVC_READY + 1);
    CHECK_EQ("badged", sys_cap_badge(sys_ns_slot()) > 0, 1);
    CHECK_EQ("send only", sys_cap_info(sys_ns_slot()),
             PICA_USER_CAP_EP | (PICA_USER_RIGHT_WRITE | PICA_USER_RIGHT_GRANT) << 8);
    int ep = sys_ep_create();
    CHECK_EQ("endpoint", ep >= 0, 1);
    CHECK_EQ("register", sys_ns_register("echo", ep), 0);
    CHECK_EQ("register twice", sys_ns_register("echo", ep), -EEXIST);
    CHECK_EQ("empty name", sys_ns_register("", ep), -EINVAL);
    CHECK_EQ("long name", sys_ns_register("a-name-too-long-for-it", ep), -EINVAL);
    int weak = sys_cap_copy(ep, PICA_SLOT_ANY, PICA_USER_RIGHT_WRITE);
    CHECK_EQ("register without grant", sys_ns_register("weak", weak), -EPERM);
    CHECK_EQ("ready", sys_sem_give(SVC_READY), 0);

    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("receive", sys_ep_recv(ep, &m), 0);
    const uint32_t w[4] = {m.w[0] + 1u, 0, 0, 0};
    CHECK_EQ("answer", sys_ep_reply(PICA_SLOT_ANY, w, NULL), 0);
    CHECK_EQ("withdraw", sys_ns_unregister("echo"), 0);
    CHECK_EQ("withdraw again", sys_ns_unregister("echo"), -ENOENT);
    printf("svc: %d failures\n", failures);
    return failures;
}
