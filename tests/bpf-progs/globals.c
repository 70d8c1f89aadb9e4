/* SPDX-License-Identifier: MIT */
/* Legacy SEC("maps") definitions and global variables: .rodata (read-only), .data
 * and .bss become one-element array maps. Returns scale * (calls so far) + bias.
 */
#include "pica_prog.h"

struct bpf_map_def_legacy hits SEC("maps") = {
    .type = BPF_MAP_TYPE_ARRAY,
    .key_size = 4,
    .value_size = 8,
    .max_entries = 2,
};

const volatile __u64 scale = 100;
__u64 bias = 7;
__u64 calls;

SEC("pica/globals")
int globals_prog(void *ctx)
{
    __u32 k = 1;
    __u64 *h = bpf_map_lookup_elem(&hits, &k);
    if (!h)
        return -1;
    *h += 1;
    calls += 1;
    return (int)(scale * calls + bias);
}

char LICENSE[] SEC("license") = "MIT";
