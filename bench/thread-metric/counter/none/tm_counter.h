/* SPDX-License-Identifier: MIT */
/* No instruction counter: for boards whose timers QEMU does not let
 * software read (lm3s6965evb). Only images that run without one use it
 * (bench/user, which then reports its rows as n/a); tm_latency is not
 * built on such a board. */
#pragma once

#include <stdint.h>

#define TM_COUNTER_NAME "none"
#define TM_COUNT_INSNS 0u

static inline void
tm_counter_init(void)
{
}

static inline uint32_t
tm_count(void)
{
    return 0;
}
