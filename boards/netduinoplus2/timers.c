/* SPDX-License-Identifier: MIT */
/* The hardware timers of netduinoplus2 (STM32F405): the general-purpose
 * timers TIM2-TIM5 on APB1, TIM2 and TIM5 32 bits wide, TIM3 and TIM4 16.
 * Their clock comes from the RCC; QEMU 7.2 models none and runs them at
 * 1 GHz (.hz). The kernel ticks with SysTick, so all four are free.
 * Driver: drivers/timer/stm32_tim.c. */
#include "hwtimer_dev.h"

#define QEMU_TIM_HZ 1000000000u

static const struct hwtimer_dev timers[] = {
    /* 0: the benchmark's instruction counter (bench/thread-metric) */
    {.ops = &stm32_tim_ops, .name = "TIM2", .base = 0x40000000u, .hz = QEMU_TIM_HZ,
     .irq = 28, .bits = 32, .unit = 0},
    {.ops = &stm32_tim_ops, .name = "TIM3", .base = 0x40000400u, .hz = QEMU_TIM_HZ,
     .irq = 29, .bits = 16, .unit = 1},
    {.ops = &stm32_tim_ops, .name = "TIM4", .base = 0x40000800u, .hz = QEMU_TIM_HZ,
     .irq = 30, .bits = 16, .unit = 2},
    {.ops = &stm32_tim_ops, .name = "TIM5", .base = 0x40000C00u, .hz = QEMU_TIM_HZ,
     .irq = 50, .bits = 32, .unit = 3},
};

/* 3, TIM5: the test framework's device timer, which under QEMU 7.2 has no
 * interrupt modes (stm32_tim.c), so the tests that want one skip. */
HWTIMER_BOARD_DEFINE(timers, 3);
