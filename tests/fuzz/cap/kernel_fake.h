/* SPDX-License-Identifier: MIT */
/* fuzz_cap's stand-in for the kernel around kernel/proc/cap.c (kernel_fake.c). */
#pragma once

#include <stdbool.h>

/* The kernel lock is free and no thread_no_kill_begin() is left open. */
bool kernel_fake_is_quiet(void);
