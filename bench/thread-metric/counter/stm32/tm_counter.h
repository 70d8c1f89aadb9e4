/* SPDX-License-Identifier: MIT */
/* Instruction counter for tm_latency on netduinoplus2: TIM2, which QEMU
 * clocks at 1 GHz, so under -icount shift=0 it counts one per instruction.
 * (QEMU models no RCC gate, so its clock needs no enabling.) */
#pragma once

#include <stdint.h>

#define TM_COUNTER_NAME "STM32 TIM2 (1 GHz in QEMU)"
#define TM_COUNT_INSNS 1u

#define TIM2_CR1 (*(volatile uint32_t *)0x40000000u)
#define TIM2_EGR (*(volatile uint32_t *)0x40000014u)
#define TIM2_CNT (*(volatile uint32_t *)0x40000024u)
#define TIM2_PSC (*(volatile uint32_t *)0x40000028u)
#define TIM2_ARR (*(volatile uint32_t *)0x4000002cu)

static inline void
tm_counter_init(void)
{
    TIM2_PSC = 0;
    TIM2_ARR = 0xffffffffu;
    TIM2_EGR = 1u; /* UG: load the prescaler now */
    TIM2_CR1 = 1u; /* CEN */
}

static inline uint32_t
tm_count(void)
{
    return TIM2_CNT;
}
