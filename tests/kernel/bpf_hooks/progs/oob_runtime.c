/* SPDX-License-Identifier: MIT */
/* Writes a global array at an index the verifier cannot know (from the
 * clock): in bounds now and then, far out of them mostly. The run-time
 * check stops each out-of-bounds store. */
#include <pica/bpf_prog.h>

__u64 slots[4];

SEC("pica/oob_runtime")
int oob_runtime(struct pica_bpf_timer_ctx *ctx)
{
    volatile __u64 *p = &slots[0];
    p[(ctx->now_ns >> 3) & 0xfff] = 1;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
