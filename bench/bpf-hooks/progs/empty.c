/* SPDX-License-Identifier: MIT */
/* Does nothing: what a hook costs with a program attached. */
#include <pica/bpf_prog.h>

SEC("pica/empty")
int empty(void *ctx)
{
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
