/* SPDX-License-Identifier: MIT */
/* Map value accesses at constant offsets the verifier can place: past the end of a
 * global array and past a looked-up value (both refused at load), and the last
 * bytes inside each (accepted; returns 0 when the values read back).
 */
#include "pica_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} cells SEC(".maps");

__u64 slots[4];

SEC("bounds/global")
int past_global(void *ctx)
{
    volatile __u64 *p = &slots[0];
    p[64] = 1;
    return 0;
}

SEC("bounds/lookup")
int past_lookup(void *ctx)
{
    __u32 k = 1;
    char *v = bpf_map_lookup_elem(&cells, &k);
    if (v)
        *(volatile __u64 *)(v + 4096) = 1;
    return 0;
}

SEC("bounds/inside")
int inside(void *ctx)
{
    __u32 k = 1;
    volatile __u64 *p = &slots[0];
    p[3] = 5;
    char *v = bpf_map_lookup_elem(&cells, &k);
    if (!v)
        return 1;
    *(volatile __u64 *)v = 7;
    return p[3] == 5 && *(volatile __u64 *)v == 7 ? 0 : 2;
}

char LICENSE[] SEC("license") = "MIT";
