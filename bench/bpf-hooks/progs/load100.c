/* SPDX-License-Identifier: MIT */
/* About 100 instructions of straight-line code (19 mixing steps the
 * compiler cannot fold), for the load-time figure: what the ELF loader,
 * the verifier and the decoder go through. */
#include <pica/bpf_prog.h>

SEC("pica/load100")
int load100(struct pica_bpf_timer_ctx *ctx)
{
    __u64 x = ctx->now_ns;
    x = (x ^ (x >> 7)) * 3u + 1u;
    x = (x ^ (x >> 8)) * 5u + 2u;
    x = (x ^ (x >> 9)) * 7u + 3u;
    x = (x ^ (x >> 10)) * 9u + 4u;
    x = (x ^ (x >> 11)) * 11u + 5u;
    x = (x ^ (x >> 7)) * 13u + 6u;
    x = (x ^ (x >> 8)) * 15u + 7u;
    x = (x ^ (x >> 9)) * 17u + 8u;
    x = (x ^ (x >> 10)) * 19u + 9u;
    x = (x ^ (x >> 11)) * 21u + 10u;
    x = (x ^ (x >> 7)) * 23u + 11u;
    x = (x ^ (x >> 8)) * 3u + 12u;
    x = (x ^ (x >> 9)) * 5u + 13u;
    x = (x ^ (x >> 10)) * 7u + 14u;
    x = (x ^ (x >> 11)) * 9u + 15u;
    x = (x ^ (x >> 7)) * 11u + 16u;
    x = (x ^ (x >> 8)) * 13u + 17u;
    x = (x ^ (x >> 9)) * 15u + 18u;
    x = (x ^ (x >> 10)) * 17u + 19u;
    return (int)x;
}

char LICENSE[] SEC("license") = "MIT";
