/* SPDX-License-Identifier: MIT */
/* Refuse one system call for one process: on `syscall`, a call whose
 * number and process match the rule returns the rule's errno instead of
 * running; every refusal is counted. The rule is three entries of an array,
 * empty at load: [0] the call's number, [1] the errno (e.g. 1 = EPERM),
 * [2] the process id, 0 = off; set the pid last, since it turns the rule on:
 *   picactl load syscall_filter.o --attach syscall
 *   picactl map update syscall_filter/rule 0 <nr>
 *   picactl map update syscall_filter/rule 1 <errno>
 *   picactl map update syscall_filter/rule 2 <pid> */
#include <pica/bpf_prog.h>

enum { RULE_NR, RULE_ERRNO, RULE_PID, RULE_WORDS };

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, RULE_WORDS);
    __type(key, __u32);
    __type(value, __u32);
} rule SEC(".maps");

/* [0]: calls refused, [1]: calls seen */
struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 2);
    __type(key, __u32);
    __type(value, __u64);
} counts SEC(".maps");

static __u32
rule_word(__u32 k)
{
    __u32 *w = bpf_map_lookup_elem(&rule, &k);
    return w != 0 ? *w : 0;
}

SEC("pica/syscall")
int syscall_filter(struct pica_bpf_syscall_ctx *ctx)
{
    __u32 refused_key = 0, seen_key = 1;
    __u64 *seen = bpf_map_lookup_elem(&counts, &seen_key);
    if (seen != 0)
        *seen += 1;
    __u32 pid = rule_word(RULE_PID);
    if (pid == 0 || pid != ctx->pid || rule_word(RULE_NR) != ctx->nr)
        return 0;
    __u64 *refused = bpf_map_lookup_elem(&counts, &refused_key);
    if (refused != 0)
        *refused += 1;
    __u32 err = rule_word(RULE_ERRNO);
    return err > 0 && err < 4096 ? -(int)err : -1;
}

char LICENSE[] SEC("license") = "MIT";
