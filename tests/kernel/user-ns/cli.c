/* SPDX-License-Identifier: MIT */
/* The user-ns test's client: it finds "echo" and "ticket" by name and uses
 * them; a name nobody offers, a taken slot and another's name are refused. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "ns_test.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("cli: FAIL %s: %ld, not %ld\n", what, got_, want_);                            \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

int
user_main(void)
{
    CHECK_EQ("nothing", sys_ns_lookup("nothing", 5), -ENOENT);
    CHECK_EQ("echo", sys_ns_lookup("echo", 5), 5);
    CHECK_EQ("an endpoint to send to", sys_cap_info(5) & 0xff, PICA_USER_CAP_EP);
    CHECK_EQ("slot taken", sys_ns_lookup("echo", 5), -EEXIST);
    const uint32_t w[4] = {41, 0, 0, 0};
    struct pica_user_ipc m;
    sys_ipc_init(&m, SYS_FOREVER);
    CHECK_EQ("call echo", sys_ep_call(5, w, &m), 0);
    CHECK_EQ("echo's answer", m.w[0], 42);
    CHECK_EQ("ticket", sys_ns_lookup("ticket", 6), 6);
    CHECK_EQ("use it", sys_sem_give(6), 0);
    CHECK_EQ("another's name", sys_ns_unregister("ticket"), -EPERM);
    CHECK_EQ("done", sys_sem_give(CLI_DONE), 0);
    printf("cli: %d failures\n", failures);
    return failures;
}
