/* SPDX-License-Identifier: MIT */
/* Writes a global array out of its bounds at a constant index: the address
 * lies outside the .bss map's value, and the loader refuses it. */
#include <pica/bpf_prog.h>

__u64 slots[4];

SEC("pica/oob")
int oob_global(void *ctx)
{
    volatile __u64 *p = &slots[0];
    p[64] = 1;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
