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
/* Transmit-watermark interrupt on (a level, pending while the FIFO holds
 * fewer bytes than the watermark), and the FIFO filled from @source at
 * once (a short text then needs no interrupt at all). */
void sifive_uart_tx_start(uintptr_t base, int (*source)(void));
/* With that interrupt on: fill the FIFO from @source, and turn the
 * interrupt off when @source gives -1. */
void sifive_uart_tx_fill(uintptr_t base, int (*source)(void));
