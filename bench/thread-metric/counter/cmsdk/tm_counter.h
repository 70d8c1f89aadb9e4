/* SPDX-License-Identifier: MIT */
/* Instruction counter for tm_latency on the MPS2 boards: CMSDK timer 0, a
 * 32-bit down-counter at 25 MHz. Under QEMU -icount shift=0 one count is 40
 * instructions, so single events are resolved only by averaging many. */
#pragma once

#include <stdint.h>

#define TM_COUNTER_NAME "CMSDK timer0 (25 MHz)"
#define TM_COUNT_INSNS 40u

#define CMSDK_TIMER0_CTRL (*(volatile uint32_t *)0x40000000u)
#define CMSDK_TIMER0_VALUE (*(volatile uint32_t *)0x40000004u)
#define CMSDK_TIMER0_RELOAD (*(volatile uint32_t *)0x40000008u)

static inline void
tm_counter_init(void)
{
    CMSDK_TIMER0_RELOAD = 0xffffffffu;
    CMSDK_TIMER0_VALUE = 0xffffffffu;
    CMSDK_TIMER0_CTRL = 1u; /* enable; no interrupt */
}

/* Counts up (the timer counts down). */
static inline uint32_t
tm_count(void)
{
    return ~CMSDK_TIMER0_VALUE;
}
