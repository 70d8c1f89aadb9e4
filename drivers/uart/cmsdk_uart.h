/* SPDX-License-Identifier: MIT */
/* Arm CMSDK APB UART (the MPS2 boards' UARTs). */
#pragma once

#include <stdint.h>

void cmsdk_uart_init(uintptr_t base);
void cmsdk_uart_putc(uintptr_t base, char c);
void cmsdk_uart_rx_enable(uintptr_t base);
/* Clear the RX interrupt and pass every received byte to @sink. */
void cmsdk_uart_rx_drain(uintptr_t base, void (*sink)(char));
/* Transmit interrupt on, and the next byte from @source sent if the
 * buffer is free: the UART interrupts only when a byte leaves, never for
 * an idle transmitter. */
void cmsdk_uart_tx_start(uintptr_t base, int (*source)(void));
/* With the transmit interrupt on: send the next byte from @source, or turn
 * the interrupt off when @source gives -1. */
void cmsdk_uart_tx_fill(uintptr_t base, int (*source)(void));
