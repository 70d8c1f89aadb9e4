/* SPDX-License-Identifier: MIT */
/* The hardware timers of netduinoplus2 (STM32F405): the general-purpose
 * timers TIM2-TIM5 on APB1, TIM2 and TIM5 32 bits wide, TIM3 and TIM4 16.
 * Their clock comes from the RCC; QEMU 7.2 models none and runs them at
 * 1 GHz (.hz). The kernel ticks with SysTick, so all four are free.
 * Names: board_timers.h; driver: drivers/timer/stm32_tim.c. */
#include "board_timers.h"
#include "hwtimer_dev.h"

#define QEMU_TIM_HZ 1000000000u

static const struct hwtimer_dev timers[] = {
    [BOARD_HWTIMER_TIM2] = {.ops = &stm32_tim_ops, .name = "TIM2", .base = BOARD_HWTIMER_TIM2_BASE,
                            .hz = QEMU_TIM_HZ, .irq = 28, .bits = 32, .unit = 0},
    [BOARD_HWTIMER_TIM3] = {.ops = &stm32_tim_ops, .name = "TIM3", .base = BOARD_HWTIMER_TIM3_BASE,
                            .hz = QEMU_TIM_HZ, .irq = 29, .bits = 16, .unit = 1},
    [BOARD_HWTIMER_TIM4] = {.ops = &stm32_tim_ops, .name = "TIM4", .base = BOARD_HWTIMER_TIM4_BASE,
                            .hz = QEMU_TIM_HZ, .irq = 30, .bits = 16, .unit = 2},
    [BOARD_HWTIMER_TIM5] = {.ops = &stm32_tim_ops, .name = "TIM5", .base = BOARD_HWTIMER_TIM5_BASE,
                            .hz = QEMU_TIM_HZ, .irq = 50, .bits = 32, .unit = 3},
};

/* The test framework's device timer: TIM5, which under QEMU 7.2 has no
 * interrupt modes (stm32_tim.c), so the tests that want one skip. */
HWTIMER_BOARD_DEFINE(timers, BOARD_HWTIMER_TIM5);
