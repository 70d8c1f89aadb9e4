/* SPDX-License-Identifier: MIT */
/* Counts its timer's runs in ticks[0]: a process loads it on "timer:<ms>"
 * and reads the count back through bpf_map_lookup. */
#include <pica/bpf_prog.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} ticks SEC(".maps");

SEC("pica/timer")
int tick_count(struct pica_bpf_timer_ctx *ctx)
{
    __u32 k = 0;
    __u64 *n = bpf_map_lookup_elem(&ticks, &k);
    if (n != 0)
        *n += 1;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
