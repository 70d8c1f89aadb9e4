/* SPDX-License-Identifier: MIT */
/* SiFive UART (FE310 UART0/1): word registers, 8-entry FIFOs. */
#pragma once

#include <stdint.h>

/* Transmitter and receiver on, @div = input clock / baud rate - 1. */
void sifive_uart_init(uintptr_t base, uint32_t div);
void sifive_uart_putc(uintptr_t base, char c);
/* Interrupt when the receive FIFO holds at least one byte. */
void sifive_uart_rx_enable(uintptr_t base);
/* Pass every received byte to @sink; the interrupt is a level that drops
 * once the FIFO is empty. */
void sifive_uart_rx_drain(uintptr_t base, void (*sink)(char));
