/* SPDX-License-Identifier: MIT */
/* Counts cron fires per job id (at most 8 ids). */
#include <pica/bpf_prog.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 8);
    __type(key, __u32);
    __type(value, __u64);
} fires SEC(".maps");

SEC("pica/cron")
int cron_count(struct pica_bpf_cron_ctx *ctx)
{
    __u32 id = (__u32)ctx->job_id;
    __u64 *n = bpf_map_lookup_elem(&fires, &id);
    if (n != 0)
        *n += 1;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
