/* SPDX-License-Identifier: MIT */
/* STM32F4 RCC sequence: HSE on, PLL configured and locked, flash wait
 * states, bus prescalers, SYSCLK switched. Every wait is bounded, because a
 * missing crystal (or QEMU's unmodelled RCC) must not hang the boot.
 * Registers: RM0090 §6.3 (RCC) and §3.9 (flash interface). */
#include "stm32f4_clock.h"

#define REG(addr) (*(volatile uint32_t *)(addr))
#define RCC_CR REG(0x40023800u)
#define RCC_PLLCFGR REG(0x40023804u)
#define RCC_CFGR REG(0x40023808u)
#define FLASH_ACR REG(0x40023C00u)

#define CR_HSEON (1u << 16)
#define CR_HSERDY (1u << 17)
#define CR_PLLON (1u << 24)
#define CR_PLLRDY (1u << 25)
#define PLLCFGR_SRC_HSE (1u << 22)
#define CFGR_SW_PLL 2u
#define CFGR_SWS_MASK (3u << 2)
#define CFGR_SWS_PLL (2u << 2)
#define CFGR_PPRE1_DIV4 (5u << 10)
#define CFGR_PPRE2_DIV2 (4u << 13)
#define ACR_CACHES_PREFETCH ((1u << 8) | (1u << 9) | (1u << 10))

#define WAIT_LIMIT 100000u

static int
wait_set(volatile uint32_t *reg, uint32_t mask, uint32_t value)
{
    for (uint32_t i = 0; i < WAIT_LIMIT; i++) {
        if ((*reg & mask) == value) {
            return 1;
        }
    }
    return 0;
}

enum stm32f4_clock_result
stm32f4_clock_setup(uint32_t hse_hz, uint32_t sysclk_hz)
{
    struct stm32f4_pll pll;
    if (stm32f4_pll_solve(hse_hz, sysclk_hz, &pll) != 0) {
        return STM32F4_CLOCK_BAD_CONFIG;
    }
    /* After reset HSI is on and ready, so a real RCC never reads zero. */
    if (RCC_CR == 0) {
        return STM32F4_CLOCK_NOT_MODELLED;
    }
    RCC_CR |= CR_HSEON;
    if (!wait_set(&RCC_CR, CR_HSERDY, CR_HSERDY)) {
        RCC_CR &= ~CR_HSEON;
        return STM32F4_CLOCK_HSE_TIMEOUT;
    }
    RCC_PLLCFGR = pll.m | (pll.n << 6) | (((pll.p / 2u) - 1u) << 16) | PLLCFGR_SRC_HSE |
                  (pll.q << 24);
    RCC_CR |= CR_PLLON;
    if (!wait_set(&RCC_CR, CR_PLLRDY, CR_PLLRDY)) {
        return STM32F4_CLOCK_PLL_TIMEOUT;
    }
    /* Raise flash wait states before the clock goes up, never after. */
    FLASH_ACR = stm32f4_flash_latency(sysclk_hz) | ACR_CACHES_PREFETCH;
    RCC_CFGR = CFGR_PPRE1_DIV4 | CFGR_PPRE2_DIV2 | CFGR_SW_PLL;
    if (!wait_set(&RCC_CFGR, CFGR_SWS_MASK, CFGR_SWS_PLL)) {
        return STM32F4_CLOCK_SWITCH_TIMEOUT;
    }
    return STM32F4_CLOCK_PLL;
}
