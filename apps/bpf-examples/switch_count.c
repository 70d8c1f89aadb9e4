/* SPDX-License-Identifier: MIT */
/* Context switches per thread: on the `switch` hook, count each time a
 * thread is switched in, keyed by its id (pica_thread_info.id), beside the
 * total. Read back with `picactl map dump switch_count/counts`; the counts
 * equal the threads' own switch counts over the time it was attached.
 *   picactl load switch_count.o --attach switch */
#include <pica/bpf_prog.h>

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 64);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} total SEC(".maps");

SEC("pica/switch")
int switch_count(struct pica_bpf_switch_ctx *ctx)
{
    __u32 id = ctx->to_id, zero = 0;
    __u64 one = 1, *n = bpf_map_lookup_elem(&counts, &id);
    if (n != 0)
        *n += 1;
    else
        bpf_map_update_elem(&counts, &id, &one, BPF_NOEXIST);
    __u64 *t = bpf_map_lookup_elem(&total, &zero);
    if (t != 0)
        *t += 1;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
