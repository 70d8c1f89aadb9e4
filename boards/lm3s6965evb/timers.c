/* SPDX-License-Identifier: MIT */
/* The hardware timers of lm3s6965evb: Timer A of each general-purpose
 * timer module GPTM0-3 as one 32-bit timer on the 12.5 MHz system clock
 * (Timer B, and the 16-bit split modes, are not offered). The kernel
 * ticks with SysTick, so all four are free. Driver:
 * drivers/timer/stellaris_gptm.c. */
#include "hwtimer_dev.h"

#define LM3S_SYSCLK_HZ 12500000u

static const struct hwtimer_dev timers[] = {
    /* 0: the test framework's device timer (pica_test_devtimer_start) */
    {.ops = &stellaris_gptm_ops, .name = "GPTM0 timer A", .base = 0x40030000u,
     .hz = LM3S_SYSCLK_HZ, .irq = 19, .bits = 32, .unit = 0},
    /* 1: the benchmark's instruction counter (bench/thread-metric) */
    {.ops = &stellaris_gptm_ops, .name = "GPTM1 timer A", .base = 0x40031000u,
     .hz = LM3S_SYSCLK_HZ, .irq = 21, .bits = 32, .unit = 1},
    {.ops = &stellaris_gptm_ops, .name = "GPTM2 timer A", .base = 0x40032000u,
     .hz = LM3S_SYSCLK_HZ, .irq = 23, .bits = 32, .unit = 2},
    {.ops = &stellaris_gptm_ops, .name = "GPTM3 timer A", .base = 0x40033000u,
     .hz = LM3S_SYSCLK_HZ, .irq = 35, .bits = 32, .unit = 3},
};

HWTIMER_BOARD_DEFINE(timers, 0);
