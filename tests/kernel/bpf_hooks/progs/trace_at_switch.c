/* SPDX-License-Identifier: MIT */
/* Calls trace_printk, which the switch hook does not allow. */
#include <pica/bpf_prog.h>

SEC("pica/trace")
int trace_at_switch(void *ctx)
{
    bpf_printk("switch");
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
