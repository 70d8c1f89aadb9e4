/* SPDX-License-Identifier: MIT */
/* Drives a GPIO pin, a helper of interrupt-level hooks only: the verifier
 * refuses it on "syscall". */
#include <pica/bpf_prog.h>

SEC("pica/syscall")
int gpio_at_syscall(struct pica_bpf_syscall_ctx *ctx)
{
    pica_gpio_set(0, ctx->nr & 1);
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
