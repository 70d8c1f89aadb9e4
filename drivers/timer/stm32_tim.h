/* SPDX-License-Identifier: MIT */
/* An STM32 general-purpose timer's count, inline, for code that must read
 * it in a few instructions (the benchmark's instruction counter);
 * everything else goes through include/pica/hwtimer.h. Driver:
 * stm32_tim.c. */
#pragma once

#include <stdint.h>

#define STM32_TIM_CNT 0x24u

/* The count of the timer at @base: all 32 bits on TIM2 and TIM5, the low
 * 16 on TIM3 and TIM4. */
static inline uint32_t
stm32_tim_count(uintptr_t base)
{
    return *(volatile uint32_t *)(base + STM32_TIM_CNT);
}
