/* SPDX-License-Identifier: MIT */
/* RISC-V semihosting calls the boards without an exit device use. */
#pragma once

__attribute__((noreturn)) void arch_semihost_exit(int code);
