/* SPDX-License-Identifier: MIT */
/* STM32 USART: polled transmit, interrupt-driven receive (RXNE).
 * Registers (RM0090 §30.6): SR 0x00, DR 0x04, BRR 0x08, CR1 0x0C. */
#include "stm32_usart.h"

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define SR 0x00u
#define DR 0x04u
#define BRR 0x08u
#define CR1 0x0Cu

#define SR_RXNE (1u << 5)
#define SR_TXE (1u << 7)
#define CR1_RE (1u << 2)
#define CR1_TE (1u << 3)
#define CR1_RXNEIE (1u << 5)
#define CR1_UE (1u << 13)

void
stm32_usart_init(uintptr_t base, uint32_t pclk_hz, uint32_t baud)
{
    /* Oversampling by 16: BRR holds pclk/baud as 12.4 fixed point. */
    REG(base, BRR) = (pclk_hz + baud / 2u) / baud;
    /* Bytes that arrive while UE or RE is clear are dropped, so enable both
     * before anyone can type. */
    REG(base, CR1) = CR1_UE | CR1_TE | CR1_RE;
}

void
stm32_usart_putc(uintptr_t base, char c)
{
    while (!(REG(base, SR) & SR_TXE)) {
    }
    REG(base, DR) = (uint8_t)c;
}

void
stm32_usart_rx_enable(uintptr_t base)
{
    REG(base, CR1) |= CR1_RXNEIE;
}

void
stm32_usart_rx_drain(uintptr_t base, void (*sink)(char))
{
    while (REG(base, SR) & SR_RXNE) {
        sink((char)REG(base, DR));
    }
}
