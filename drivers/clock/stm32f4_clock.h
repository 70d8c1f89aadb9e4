/* SPDX-License-Identifier: MIT */
/* STM32F4 clock tree: PLL arithmetic (pure, host-tested) and the RCC/flash
 * sequence that applies it with every hardware wait bounded. */
#pragma once

#include <stdint.h>

struct stm32f4_pll {
    uint32_t m, n, p, q; /* f_vco = in/m*n, sysclk = f_vco/p, 48 MHz clock = f_vco/q */
    uint32_t sysclk_hz;
    uint32_t usb_hz;
};

/* Find PLL factors that turn @in_hz (HSE) into exactly @sysclk_hz within the
 * datasheet limits (VCO input 1-2 MHz, VCO output 100-432 MHz, sysclk <=
 * 168 MHz), preferring a 48 MHz USB clock. Returns: 0, -EINVAL (none). */
int stm32f4_pll_solve(uint32_t in_hz, uint32_t sysclk_hz, struct stm32f4_pll *out);

/* Flash wait states for @hclk_hz at 2.7-3.6 V (RM0090 table 10). */
uint32_t stm32f4_flash_latency(uint32_t hclk_hz);

enum stm32f4_clock_result {
    STM32F4_CLOCK_PLL,           /* running from the PLL as asked */
    STM32F4_CLOCK_HSE_TIMEOUT,   /* HSE never became ready: still on HSI */
    STM32F4_CLOCK_PLL_TIMEOUT,   /* PLL never locked: still on HSI */
    STM32F4_CLOCK_SWITCH_TIMEOUT,/* SWS never showed the PLL */
    STM32F4_CLOCK_NOT_MODELLED,  /* RCC reads as zero (QEMU): nothing to program */
    STM32F4_CLOCK_BAD_CONFIG,    /* no PLL solution for the request */
};

/* Switch SYSCLK to the PLL from HSE at @hse_hz. AHB = SYSCLK, APB1 = /4,
 * APB2 = /2. Every wait is bounded. */
enum stm32f4_clock_result stm32f4_clock_setup(uint32_t hse_hz, uint32_t sysclk_hz);
