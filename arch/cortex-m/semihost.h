/* SPDX-License-Identifier: MIT */
/* Arm semihosting calls the Cortex-M boards use. */
#pragma once

__attribute__((noreturn)) void arch_semihost_exit(int code);
