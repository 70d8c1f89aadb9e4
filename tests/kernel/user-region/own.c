/* SPDX-License-Identifier: MIT */
/* The user-region test's owner (main.c has the plan): it makes REGION
 * capabilities of its own memory and hands them to peer in answers, then
 * revokes them. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <pica/user/pica_user.h>

#include "region_test.h"

static uint8_t *shared;
static uint8_t *small[4];
static int failures;

/* @size bytes of the heap aligned to @size (the process's data is aligned
 * to 8 at most). */
static uint8_t *
aligned_block(uint32_t size)
{
    uintptr_t p = (uintptr_t)malloc(2u * size);
    return p == 0 ? NULL : (uint8_t *)((p + size - 1u) & ~(uintptr_t)(size - 1u));
}

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("own: FAIL %s: %ld, not %ld\n", what, got_, want_);                            \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

int
user_main(void)
{
    const unsigned all = PICA_USER_RIGHT_READ | PICA_USER_RIGHT_WRITE | PICA_USER_RIGHT_GRANT;
    shared = aligned_block(SHARED_SIZE);
    for (int i = 0; i < 4; i++) {
        small[i] = aligned_block(32);
    }
    if (shared == NULL || small[3] == NULL) {
        printf("own: FAIL no heap\n");
        return 1;
    }
    for (unsigned i = 0; i < SHARED_SIZE; i++) {
        shared[i] = PATTERN(i);
    }
    CHECK_EQ("misaligned", sys_region_create(shared + 32, SHARED_SIZE, all), -EINVAL);
    CHECK_EQ("not a power of two", sys_region_create(shared, 96, all), -EINVAL);
    CHECK_EQ("too small", sys_region_create(shared, 16, all), -EINVAL);
    CHECK_EQ("not its memory", sys_region_create((void *)0x0, SHARED_SIZE, all), -EINVAL);
    CHECK_EQ("without read", sys_region_create(shared, SHARED_SIZE, PICA_USER_RIGHT_WRITE), -EINVAL);
    int rw = sys_region_create(shared, SHARED_SIZE, all);
    CHECK_EQ("create", rw >= 0, 1);
    int ro = sys_cap_copy(rw, PICA_SLOT_ANY, PICA_USER_RIGHT_READ | PICA_USER_RIGHT_GRANT);
    CHECK_EQ("read-only copy", ro >= 0, 1);
    unsigned next_small = 0;

    struct pica_user_ipc m;
    uint32_t w[4] = {0, 0, 0, 0};
    sys_ipc_init(&m, SYS_FOREVER);
    int r = sys_ep_recv(EP_SLOT, &m);
    for (;;) {
        if (r != 0) {
            printf("own: FAIL receive: %d\n", r);
            return 1;
        }
        const uint32_t op = m.w[0];
        sys_ipc_init(&m, SYS_FOREVER);
        w[1] = (uint32_t)(uintptr_t)shared;
        switch (op) {
        case OP_GET_RO:
            m.send_caps[0] = (uint8_t)ro;
            break;
        case OP_GET_RW:
            m.send_caps[0] = (uint8_t)rw;
            break;
        case OP_CHECK:
            w[1] = shared[0];
            break;
        case OP_REVOKE:
            w[1] = (uint32_t)sys_cap_revoke(rw);
            CHECK_EQ("kept", sys_cap_info(rw) >= 0, 1);
            CHECK_EQ("own copy gone", sys_cap_info(ro), -EBADF);
            CHECK_EQ("own memory still its own", shared[1], PATTERN(1));
            break;
        case OP_GET_SMALL: {
            int s = sys_region_create(small[next_small++ % 4], 32, all);
            CHECK_EQ("small", s >= 0, 1);
            m.send_caps[0] = (uint8_t)s;
            w[1] = (uint32_t)(uintptr_t)small[(next_small - 1) % 4];
            break;
        }
        case OP_DONE:
            w[1] = (uint32_t)failures;
            (void)sys_ep_reply(PICA_SLOT_ANY, w, NULL);
            printf("own: %d failures\n", failures);
            return failures;
        default:
            failures++;
            break;
        }
        r = sys_ep_reply_recv(EP_SLOT, w, &m);
    }
}
