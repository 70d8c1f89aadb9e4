/* SPDX-License-Identifier: MIT */
/* Interrupt timing on one line: on `irq:<line>`, before the line's handler,
 * a histogram of the time since the previous interrupt of the line, in
 * power-of-two microsecond buckets (bucket k: 2^k <= gap < 2^(k+1) us;
 * bucket 0 also takes gaps under 1 us), and the count of interrupts.
 *   picactl load irq_hist.o --attach irq:<line>
 *   picactl map dump irq_hist/hist */
#include <pica/bpf_prog.h>

#define BUCKETS 32

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, BUCKETS);
    __type(key, __u32);
    __type(value, __u64);
} hist SEC(".maps");

/* [0]: interrupts seen, [1]: time of the last one (ns) */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} state SEC(".maps");

SEC("pica/irq")
int irq_hist(struct pica_bpf_irq_ctx *ctx)
{
    __u32 k_count = 0, k_last = 1;
    __u64 *count = bpf_map_lookup_elem(&state, &k_count);
    __u64 *last = bpf_map_lookup_elem(&state, &k_last);
    if (count == 0 || last == 0)
        return 0;
    if (*count > 0) {
        __u64 us = (ctx->now_ns - *last) / 1000;
        __u32 b = 0;
        while (us > 1 && b < BUCKETS - 1) {
            us >>= 1;
            b++;
        }
        __u64 *slot = bpf_map_lookup_elem(&hist, &b);
        if (slot != 0)
            *slot += 1;
    }
    *count += 1;
    *last = ctx->now_ns;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
