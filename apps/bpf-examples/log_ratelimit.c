/* SPDX-License-Identifier: MIT */
/* A log rate limiter: on `log`, each level may write at most `burst`
 * records per second (a token bucket refilled once a second); records over
 * the limit are dropped and counted per level.
 *   picactl load log_ratelimit.o --attach log
 *   picactl map dump log_ratelimit/dropped */
#include <pica/bpf_prog.h>

#define LEVELS 5

/* Records a level may write per second; changed with picactl map update. */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} burst SEC(".maps");

/* Per level: tokens left, and the second of the last refill plus one (0:
 * never refilled, so the first second of uptime fills it too). */
struct bucket {
    __u64 tokens;
    __u64 second;
};

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, LEVELS);
    __type(key, __u32);
    __type(value, struct bucket);
} buckets SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, LEVELS);
    __type(key, __u32);
    __type(value, __u64);
} dropped SEC(".maps");

SEC("pica/log")
int log_ratelimit(struct pica_bpf_log_ctx *ctx)
{
    __u32 zero = 0, level = ctx->level;
    if (level >= LEVELS)
        return 0;
    __u64 *limit = bpf_map_lookup_elem(&burst, &zero);
    struct bucket *b = bpf_map_lookup_elem(&buckets, &level);
    if (limit == 0 || b == 0)
        return 0;
    __u64 per_second = *limit ? *limit : 5;
    __u64 second = ctx->now_ns / 1000000000ull + 1;
    if (second != b->second) {
        b->second = second;
        b->tokens = per_second;
    }
    if (b->tokens > 0) {
        b->tokens -= 1;
        return 0;
    }
    __u64 *d = bpf_map_lookup_elem(&dropped, &level);
    if (d != 0)
        *d += 1;
    return 1; /* drop */
}

char LICENSE[] SEC("license") = "MIT";
