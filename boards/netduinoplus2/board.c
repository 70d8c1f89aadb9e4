/* SPDX-License-Identifier: MIT */
/* Netduino Plus 2 (STM32F405RG, Cortex-M4F): 25 MHz crystal and PLL to
 * 168 MHz, console on USART1 (PA9/PA10, IRQ 37), exit through semihosting.
 * QEMU does not model the RCC; its core and SysTick run at 168 MHz. */
#include <pica/board.h>

#include "semihost.h"
#include "stm32_usart.h"
#include "stm32f4_clock.h"

#define USART1_BASE 0x40011000u
#define USART1_IRQ 37u
#define HSE_HZ 25000000u
#define SYSCLK_HZ 168000000u
#define HSI_HZ 16000000u

/* Console output is polled: QEMU 7.2's USART raises its interrupt for
 * RXNE only and ignores TXEIE (TXE and TC interrupts came with QEMU 8.2),
 * so a transmit interrupt would never come. Its transmit is synchronous,
 * so polling never waits there. */
static struct pica_board_info info = {
    .name = "netduinoplus2",
    .cpu = "Cortex-M4F (STM32F405RG)",
    .console_irq = USART1_IRQ,
    .console_tx = PICA_CONSOLE_TX_POLLED,
};

void
board_init(void)
{
    switch (stm32f4_clock_setup(HSE_HZ, SYSCLK_HZ)) {
    case STM32F4_CLOCK_PLL:
        info.cpu_hz = SYSCLK_HZ;
        info.clock_source = "PLL from 25 MHz HSE";
        break;
    case STM32F4_CLOCK_NOT_MODELLED:
        info.cpu_hz = SYSCLK_HZ;
        info.clock_source = "RCC not modelled, fixed clock";
        break;
    default:
        info.cpu_hz = HSI_HZ;
        info.clock_source = "HSE/PLL did not start, on HSI";
        break;
    }
    info.timer_hz = info.cpu_hz; /* SysTick runs on the core clock */
    /* USART1 is on APB2 = SYSCLK / 2. */
    stm32_usart_init(USART1_BASE, info.cpu_hz / 2u, 115200u);
}

const struct pica_board_info *
board_info(void)
{
    return &info;
}

void
board_console_putc(char c)
{
    stm32_usart_putc(USART1_BASE, c);
}

void
board_console_rx_enable(void)
{
    stm32_usart_rx_enable(USART1_BASE);
}

void
board_console_isr(void *arg)
{
    (void)arg;
    stm32_usart_rx_drain(USART1_BASE, console_rx_byte);
}

void
board_console_tx_kick(void)
{
    /* Never called: console_tx is PICA_CONSOLE_TX_POLLED. */
}

void
board_exit(int code)
{
    arch_semihost_exit(code);
}
