/* SPDX-License-Identifier: MIT */
/* The user-bpf test's other process: it holds no grant, so every load is
 * refused; once bpf_a's filter is on it calls uptime_us and nop
 * USER_BPF_CALLS times each and counts the refusals, which must be every
 * uptime_us call and no nop. Exits with its number of failures. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

#include "user_bpf.h"

static int failures;

#define CHECK_EQ(what, got, want)                                                                 \
    do {                                                                                          \
        long got_ = (long)(got), want_ = (long)(want);                                            \
        if (got_ != want_) {                                                                      \
            printf("bpf_b: FAIL %s: %ld, not %ld\n", what, got_, want_);                          \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

int
user_main(void)
{
    static const char hook[] = "syscall";
    static const uint8_t obj[128];
    struct pica_user_bpf_stats st;
    uint32_t k = 0, v = 0;
    CHECK_EQ("no grant", sys_bpf_grant(), -ENOENT);
    for (int slot = 0; slot < 8; slot++) {
        CHECK_EQ("load", sys_bpf_load(slot, obj, sizeof(obj), hook), -EBADF);
        CHECK_EQ("lookup", sys_bpf_map_lookup(slot, "rule", &k, 4, &v, 4), -EBADF);
        CHECK_EQ("update", sys_bpf_map_update(slot, "rule", &k, 4, &v, 4), -EBADF);
        CHECK_EQ("stats", sys_bpf_prog_stats(slot, &st), -EBADF);
    }
    CHECK_EQ("go", sys_sem_take(B_GO, SYS_FOREVER), 0);
    int uptime_refused = 0, nop_refused = 0, other = 0;
    for (int i = 0; i < USER_BPF_CALLS; i++) {
        uint64_t us;
        int r = pica_sys_uptime_us(&us, sizeof(us));
        uptime_refused += r == -EPERM;
        other += r != 0 && r != -EPERM;
    }
    for (int i = 0; i < USER_BPF_CALLS; i++) {
        int r = pica_sys_nop();
        nop_refused += r != 0;
    }
    CHECK_EQ("done", sys_sem_give(B_DONE), 0);
    CHECK_EQ("uptime_us refused", uptime_refused, USER_BPF_CALLS);
    CHECK_EQ("nop refused", nop_refused, 0);
    CHECK_EQ("other results", other, 0);
    printf("bpf_b: uptime_us refused %d of %d, nop refused %d of %d\n", uptime_refused,
           USER_BPF_CALLS, nop_refused, USER_BPF_CALLS);
    printf("bpf_b: %d failures\n", failures);
    return failures;
}
