/* SPDX-License-Identifier: MIT */
/* Maps through libbpf's BTF-style definitions: a hash of counters updated with each
 * BPF_ANY/NOEXIST/EXIST rule, a delete, an array, and a ring-buffer record.
 * Returns 0 when every step behaved; otherwise the number of the failing step.
 */
#include "pica_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} slots SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256);
} events SEC(".maps");

SEC("pica/maps")
int maps_prog(void *ctx)
{
    __u32 key = 7;
    __u64 one = 1, two = 2;
    __u64 *v;

    if (bpf_map_update_elem(&counts, &key, &one, BPF_EXIST) == 0)
        return 1; /* must fail: key absent */
    if (bpf_map_update_elem(&counts, &key, &one, BPF_NOEXIST) != 0)
        return 2;
    if (bpf_map_update_elem(&counts, &key, &two, BPF_NOEXIST) == 0)
        return 3; /* must fail: key present */
    v = bpf_map_lookup_elem(&counts, &key);
    if (!v || *v != 1)
        return 4;
    *v += 41;
    if (bpf_map_update_elem(&counts, &key, &two, BPF_EXIST) != 0)
        return 5;
    key = 8;
    if (bpf_map_update_elem(&counts, &key, &one, BPF_ANY) != 0)
        return 6;
    if (bpf_map_delete_elem(&counts, &key) != 0)
        return 7;
    if (bpf_map_lookup_elem(&counts, &key))
        return 8;
    for (__u32 i = 0; i < 8; i++) {
        __u64 *s = bpf_map_lookup_elem(&slots, &i);
        if (!s)
            return 9;
        *s += i * 10;
    }
    key = 8;
    if (bpf_map_lookup_elem(&slots, &key))
        return 10; /* out of range */
    __u64 rec[2] = { 0xfeedULL, 42 };
    if (bpf_ringbuf_output(&events, rec, sizeof(rec), 0) != 0)
        return 11;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
