/* SPDX-License-Identifier: MIT */
/* NS16550A-compatible UART with byte-wide registers. */
#pragma once

#include <stdint.h>

void ns16550_init(uintptr_t base);
void ns16550_putc(uintptr_t base, char c);
void ns16550_rx_enable(uintptr_t base);
/* Pass every received byte to @sink (reading RBR clears the interrupt). */
void ns16550_rx_drain(uintptr_t base, void (*sink)(char));
/* Transmit-holding-empty interrupt on, and an empty FIFO filled from
 * @source at once (a short text then needs no interrupt at all). */
void ns16550_tx_start(uintptr_t base, int (*source)(void));
/* With that interrupt on: fill the empty transmit FIFO from @source, and
 * turn the interrupt off when @source gives -1. */
void ns16550_tx_fill(uintptr_t base, int (*source)(void));
