/* SPDX-License-Identifier: MIT */
/* Arm CMSDK APB UART (the MPS2 boards' UARTs). */
#pragma once

#include <stdint.h>

void cmsdk_uart_init(uintptr_t base);
void cmsdk_uart_putc(uintptr_t base, char c);
void cmsdk_uart_rx_enable(uintptr_t base);
/* Clear the RX interrupt and pass every received byte to @sink. */
void cmsdk_uart_rx_drain(uintptr_t base, void (*sink)(char));
