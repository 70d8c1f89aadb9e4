/* SPDX-License-Identifier: MIT */
/* The user-region test's peer (main.c has the plan): it receives REGION
 * capabilities of own's memory and reads and writes through them; its
 * threads that write a read-only region, or touch one after the revoke,
 * fault and end (the process goes on: it is built to lose only the
 * thread). Exits with its number of failures. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "region_test.h"

static int failures;
static volatile uint8_t *target;
static volatile int reached;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("peer: FAIL %s: %ld, not %ld\n", what, got_, want_);                           \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

static int
call(uint32_t op, uint8_t recv_slot, struct pica_user_ipc *m)
{
    const uint32_t w[4] = {op, 0, 0, 0};
    sys_ipc_init(m, SYS_FOREVER);
    m->recv_caps[0] = recv_slot;
    return sys_ep_call(EP_SLOT, w, m);
}

static void
writer(void *arg)
{
    (void)arg;
    reached = 1;
    target[2] = 0xee; /* faults: this thread ends here */
    reached = 2;
}

static void
reader(void *arg)
{
    (void)arg;
    reached = 1;
    reached = 10 + target[3]; /* faults after the revoke */
}

/* Run @fn in a thread of its own and wait for it: it must fault. */
static void
must_fault(const char *what, void (*fn)(void *))
{
    reached = 0;
    int t = sys_thread_create(fn, NULL, sys_prio());
    CHECK_EQ(what, t >= 0, 1);
    int code = pica_sys_thread_join((uint32_t)t, SYS_FOREVER);
    CHECK_EQ(what, code < 0, 1);
    CHECK_EQ(what, reached, 1);
}

int
user_main(void)
{
    struct pica_user_ipc m;
    CHECK_EQ("read-only", call(OP_GET_RO, 10, &m), 0);
    CHECK_EQ("landed", m.got_caps[0], 10);
    CHECK_EQ("a region", sys_cap_info(10), PICA_USER_CAP_REGION | (PICA_USER_RIGHT_READ | PICA_USER_RIGHT_GRANT) << 8);
    target = (volatile uint8_t *)(uintptr_t)m.w[1];
    int wrong = 0;
    for (unsigned i = 0; i < SHARED_SIZE; i++) {
        wrong += target[i] != PATTERN(i);
    }
    CHECK_EQ("reads own's bytes", wrong, 0);
    must_fault("write to read-only", writer);
    CHECK_EQ("unchanged", target[2], PATTERN(2));

    CHECK_EQ("read-write", call(OP_GET_RW, 11, &m), 0);
    target[0] = 0xa5;
    CHECK_EQ("check", call(OP_CHECK, 0xff, &m), 0);
    CHECK_EQ("own sees the write", m.w[1], 0xa5);

    CHECK_EQ("revoke", call(OP_REVOKE, 0xff, &m), 0);
    CHECK_EQ("revoked: own's read-only copy and both of peer's", m.w[1], 3);
    CHECK_EQ("gone", sys_cap_info(10), -EBADF);
    CHECK_EQ("gone", sys_cap_info(11), -EBADF);
    must_fault("read after the revoke", reader);

    /* Room for three regions of other processes: the fourth is refused. */
    for (int i = 0; i < 3; i++) {
        CHECK_EQ("small", call(OP_GET_SMALL, (uint8_t)(12 + i), &m), 0);
        volatile uint8_t *b = (volatile uint8_t *)(uintptr_t)m.w[1];
        b[0] = (uint8_t)i;
        CHECK_EQ("small: written", b[0], i);
    }
    CHECK_EQ("no room", call(OP_GET_SMALL, 15, &m), -ENOSPC);
    CHECK_EQ("nothing landed", sys_cap_info(15), -EBADF);
    CHECK_EQ("delete one", sys_cap_delete(12), 0);
    CHECK_EQ("room again", call(OP_GET_SMALL, 15, &m), 0);

    CHECK_EQ("done", call(OP_DONE, 0xff, &m), 0);
    CHECK_EQ("own's failures", m.w[1], 0);
    printf("peer: %d failures\n", failures);
    return failures;
}
