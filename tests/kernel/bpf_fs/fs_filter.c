/* SPDX-License-Identifier: MIT */
/* On `fs`: refuses to open or remove anything under /secret (EACCES),
 * and counts what it saw: [0] opens, [1] removals, [2] refusals. */
#include <pica/bpf_prog.h>

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 3);
    __type(key, __u32);
    __type(value, __u64);
} seen SEC(".maps");

static void
count(__u32 k)
{
    __u64 *n = bpf_map_lookup_elem(&seen, &k);
    if (n != 0)
        *n += 1;
}

SEC("pica/fs")
int fs_filter(struct pica_bpf_fs_ctx *ctx)
{
    count(ctx->op == PICA_BPF_FS_OPEN ? 0 : 1);
    const char *p = ctx->path;
    if (ctx->len >= 7 && p[0] == '/' && p[1] == 's' && p[2] == 'e' && p[3] == 'c' &&
        p[4] == 'r' && p[5] == 'e' && p[6] == 't') {
        count(2);
        return -13; /* EACCES */
    }
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
