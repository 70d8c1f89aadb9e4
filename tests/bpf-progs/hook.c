/* SPDX-License-Identifier: MIT */
/* Programs for the hook registry tests: one that counts its runs (in total, by the
 * hook argument in its context, plus a step the host sets in a config map) and
 * reports each run in a ring buffer; one that prints (a helper some hooks refuse);
 * one with a section name longer than a program name.
 */
#include "pica_prog.h"

struct hook_ctx {
    __u32 arg;
    __u32 pad;
    __s64 value; /* returned: the verdict */
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} config SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} runs SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_HASH);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} by_arg SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256);
} events SEC(".maps");

SEC("pica/count")
int count(struct hook_ctx *ctx)
{
    __u32 zero = 0, arg = ctx->arg;
    __u64 one = 1;
    __u64 *step = bpf_map_lookup_elem(&config, &zero);
    __u64 *total = bpf_map_lookup_elem(&runs, &zero);
    if (!step || !total)
        return -1;
    *total += *step ? *step : 1;
    __u64 *n = bpf_map_lookup_elem(&by_arg, &arg);
    if (n)
        *n += 1;
    else
        bpf_map_update_elem(&by_arg, &arg, &one, BPF_NOEXIST);
    __u64 rec[2] = { arg, *total };
    bpf_ringbuf_output(&events, rec, sizeof(rec), 0);
    return (int)ctx->value;
}

SEC("pica/trace")
int trace(struct hook_ctx *ctx)
{
    bpf_printk("arg %u", ctx->arg);
    return 0;
}

SEC("pica/a_rather_long_section_name")
int long_name(void *ctx)
{
    return 1;
}

char LICENSE[] SEC("license") = "MIT";
