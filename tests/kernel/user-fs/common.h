/* SPDX-License-Identifier: MIT */
/* Helpers of the user-fs test's processes: a check that counts failures
 * and the kernel's note (user_fs.h), from the queue slot it was given. */
#pragma once

#include <pica/user/pica_user.h>
#include <stdio.h>

#include "user_fs.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("%s: FAIL %s: %ld, not %ld\n", PROC_NAME, what, got_, want_);                  \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

/* The first slot of @type, or -1. */
static inline int
slot_of_type(unsigned type)
{
    for (int i = 0; i < 32; i++) {
        int info = pica_sys_cap_info((uint32_t)i);
        if (info >= 0 && PICA_USER_CAP_INFO_TYPE(info) == type) {
            return i;
        }
    }
    return -1;
}

static inline struct user_fs_note
note_get(void)
{
    struct user_fs_note n = {0, 0};
    int q = slot_of_type(PICA_USER_CAP_QUEUE);
    if (q < 0 || pica_sys_queue_recv(q, &n, sizeof(n), PICA_USER_FOREVER) != 0) {
        printf("%s: FAIL no note from the kernel\n", PROC_NAME);
        failures++;
    }
    return n;
}
