/* SPDX-License-Identifier: MIT */
/* Programs for the picactl tests (tests/unit/bpf_ctl): one that counts its
 * runs in a hash, keeps a 16-byte sample per run in an array (a value that
 * is not an integer) and reports each run in a ring buffer; one that prints,
 * which an interrupt hook refuses.
 */
#include "pica_prog.h"

struct sample {
    __u64 run;
    __u8 tag[8];
};

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 16);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 4);
    __type(key, __u32);
    __type(value, struct sample);
} samples SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 4096);
} events SEC(".maps");

SEC("pica/ctl_count")
int ctl_count(void *ctx)
{
    __u32 key = 1;
    __u64 *v = bpf_map_lookup_elem(&counts, &key);
    __u64 n = v ? *v + 1 : 1;
    bpf_map_update_elem(&counts, &key, &n, BPF_ANY);
    __u32 slot = n & 3;
    struct sample s = { .run = n, .tag = { 'p', 'i', 'c', 'a' } };
    bpf_map_update_elem(&samples, &slot, &s, BPF_ANY);
    __u64 rec[2] = { 0xc0ffee, n };
    bpf_ringbuf_output(&events, rec, sizeof(rec), 0);
    return 0;
}

SEC("pica/ctl_print")
int ctl_print(void *ctx)
{
    bpf_printk("tick");
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
