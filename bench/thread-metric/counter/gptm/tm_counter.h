/* SPDX-License-Identifier: MIT */
/* Instruction counter for tm_latency on the Stellaris boards: general-purpose
 * timer 1 as a free-running 32-bit down-counter at the 12.5 MHz system
 * clock. Under QEMU -icount shift=0 one count is 80 instructions, so single
 * events are resolved only by averaging many. */
#pragma once

#include <stdint.h>

#define TM_COUNTER_NAME "Stellaris GPTM1 (12.5 MHz)"
#define TM_COUNT_INSNS 80u

#define GPTM1_REG(off) (*(volatile uint32_t *)(0x40031000u + (off)))

static inline void
tm_counter_init(void)
{
    *(volatile uint32_t *)0x400FE104u |= 1u << 17; /* RCGC1: timer 1 clock */
    GPTM1_REG(0x00C) = 0;           /* CTL: stopped */
    GPTM1_REG(0x000) = 0;           /* CFG: one 32-bit timer */
    GPTM1_REG(0x004) = 2u;          /* TAMR: periodic */
    GPTM1_REG(0x028) = 0xffffffffu; /* TAILR */
    GPTM1_REG(0x00C) = 1u;          /* CTL: TAEN */
}

/* Counts up (the timer counts down). */
static inline uint32_t
tm_count(void)
{
    return ~GPTM1_REG(0x048); /* TAR */
}
