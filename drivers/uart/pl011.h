/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL011 UART. */
#pragma once

#include <stdint.h>

/* 8N1 with FIFOs at @baud from a @clock_hz reference; transmitter and
 * receiver on, no interrupt yet. */
void pl011_init(uintptr_t base, uint32_t clock_hz, uint32_t baud);
void pl011_putc(uintptr_t base, char c);
/* Interrupt on received data and on the receive timeout. */
void pl011_rx_enable(uintptr_t base);
/* Pass every received byte to @sink (clears the receive interrupts first,
 * so a byte arriving while draining raises a new one). */
void pl011_rx_drain(uintptr_t base, void (*sink)(char));
/* Transmit interrupt on, and the FIFO filled from @source: the UART
 * interrupts when bytes leave the FIFO, not for an idle transmitter. */
void pl011_tx_start(uintptr_t base, int (*source)(void));
/* With the transmit interrupt on: fill the FIFO from @source, and turn the
 * interrupt off when @source gives -1. */
void pl011_tx_fill(uintptr_t base, int (*source)(void));
