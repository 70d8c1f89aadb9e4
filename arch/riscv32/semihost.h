/* SPDX-License-Identifier: MIT */
/* RISC-V semihosting calls (the same two functions as
 * arch/cortex-m/semihost.h, so code above the port includes "semihost.h"
 * without knowing the CPU). */
#pragma once

#include <stdint.h>

/* One semihosting call (the RISC-V binding of Arm's Semihosting
 * specification): operation @op with @arg (a parameter block, or a value
 * for some operations); returns what the host puts in a0. The hart stops
 * until the host has done the call. Machine mode only (QEMU 7.2 refuses
 * U-mode without userspace=on), and only with a host listening (QEMU's
 * -semihosting-config enable=on): otherwise the ebreak traps as a
 * breakpoint. Context: any. */
uint32_t arch_semihost_call(uint32_t op, void *arg);

__attribute__((noreturn)) void arch_semihost_exit(int code);
