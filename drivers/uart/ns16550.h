/* SPDX-License-Identifier: MIT */
/* NS16550A-compatible UART with byte-wide registers. */
#pragma once

#include <stdint.h>

void ns16550_init(uintptr_t base);
void ns16550_putc(uintptr_t base, char c);
void ns16550_rx_enable(uintptr_t base);
/* Pass every received byte to @sink (reading RBR clears the interrupt). */
void ns16550_rx_drain(uintptr_t base, void (*sink)(char));
