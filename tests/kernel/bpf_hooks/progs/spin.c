/* SPDX-License-Identifier: MIT */
/* Runs until its budget stops it: a loop with no exit. */
#include <pica/bpf_prog.h>

SEC("pica/spin")
int spin(void *ctx)
{
    volatile __u64 n = 0;
    for (;;)
        n++;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
