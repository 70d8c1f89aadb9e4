/* SPDX-License-Identifier: MIT */
/* STM32F1/F4 USART. */
#pragma once

#include <stdint.h>

void stm32_usart_init(uintptr_t base, uint32_t pclk_hz, uint32_t baud);
void stm32_usart_putc(uintptr_t base, char c);
void stm32_usart_rx_enable(uintptr_t base);
/* Pass every received byte to @sink (reading DR clears RXNE). */
void stm32_usart_rx_drain(uintptr_t base, void (*sink)(char));
