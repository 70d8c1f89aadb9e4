/* SPDX-License-Identifier: MIT */
/* The hardware timers of lm3s6965evb: Timer A of each general-purpose
 * timer module GPTM0-3 as one 32-bit timer on the 12.5 MHz system clock
 * (Timer B, and the 16-bit split modes, are not offered). The kernel
 * ticks with SysTick, so all four are free. Names: board_timers.h;
 * driver: drivers/timer/stellaris_gptm.c. */
#include "board_timers.h"
#include "hwtimer_dev.h"

#define LM3S_SYSCLK_HZ 12500000u

static const struct hwtimer_dev timers[] = {
    [BOARD_HWTIMER_GPTM0] = {.ops = &stellaris_gptm_ops, .name = "GPTM0 timer A",
                             .base = BOARD_HWTIMER_GPTM0_BASE, .hz = LM3S_SYSCLK_HZ, .irq = 19,
                             .bits = 32, .unit = 0},
    [BOARD_HWTIMER_GPTM1] = {.ops = &stellaris_gptm_ops, .name = "GPTM1 timer A",
                             .base = BOARD_HWTIMER_GPTM1_BASE, .hz = LM3S_SYSCLK_HZ, .irq = 21,
                             .bits = 32, .unit = 1},
    [BOARD_HWTIMER_GPTM2] = {.ops = &stellaris_gptm_ops, .name = "GPTM2 timer A",
                             .base = BOARD_HWTIMER_GPTM2_BASE, .hz = LM3S_SYSCLK_HZ, .irq = 23,
                             .bits = 32, .unit = 2},
    [BOARD_HWTIMER_GPTM3] = {.ops = &stellaris_gptm_ops, .name = "GPTM3 timer A",
                             .base = BOARD_HWTIMER_GPTM3_BASE, .hz = LM3S_SYSCLK_HZ, .irq = 35,
                             .bits = 32, .unit = 3},
};

/* The test framework's device timer: GPTM0. */
HWTIMER_BOARD_DEFINE(timers, BOARD_HWTIMER_GPTM0);
