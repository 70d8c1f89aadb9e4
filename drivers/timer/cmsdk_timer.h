/* SPDX-License-Identifier: MIT */
/* The CMSDK APB timer's count, inline, for code that must read it in a few
 * instructions (the benchmark's instruction counter); everything else
 * goes through include/pica/hwtimer.h. Driver: cmsdk_timer.c. */
#pragma once

#include <stdint.h>

#define CMSDK_TIMER_VALUE 0x04u

/* The rising count of the timer at @base (it counts down). */
static inline uint32_t
cmsdk_timer_count(uintptr_t base)
{
    return ~*(volatile uint32_t *)(base + CMSDK_TIMER_VALUE);
}
