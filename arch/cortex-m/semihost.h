/* SPDX-License-Identifier: MIT */
/* Arm semihosting calls the Cortex-M boards use (arch/riscv32/semihost.h has
 * the same two functions, so code above the port includes "semihost.h"
 * without knowing the CPU). */
#pragma once

#include <stdint.h>

/* One semihosting call (Arm's Semihosting specification): operation @op
 * with @arg (a parameter block, or a value for some operations); returns
 * what the host puts in r0. The CPU stops until the host has done the
 * call. Only for privileged code, and only with a host listening (QEMU's
 * -semihosting-config enable=on, or a debugger): otherwise BKPT faults.
 * Context: any. */
uint32_t arch_semihost_call(uint32_t op, void *arg);

__attribute__((noreturn)) void arch_semihost_exit(int code);
