/* SPDX-License-Identifier: MIT */
/* Arm CMSDK APB UART: polled transmit, interrupt-driven receive.
 * Registers (CMSDK technical reference): DATA 0x00, STATE 0x04, CTRL 0x08,
 * INTSTATUS/INTCLEAR 0x0C, BAUDDIV 0x10. */
#include "cmsdk_uart.h"

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define DATA 0x00u
#define STATE 0x04u
#define CTRL 0x08u
#define INTCLEAR 0x0Cu
#define BAUDDIV 0x10u

#define STATE_TXFULL (1u << 0)
#define STATE_RXFULL (1u << 1)
#define CTRL_TXEN (1u << 0)
#define CTRL_RXEN (1u << 1)
#define CTRL_RXINTEN (1u << 3)
#define INT_RX (1u << 1)

void
cmsdk_uart_init(uintptr_t base)
{
    /* TXEN must be set or STATE.TXFULL never clears and putc would hang. */
    REG(base, BAUDDIV) = 16;
    REG(base, CTRL) = CTRL_TXEN | CTRL_RXEN;
}

void
cmsdk_uart_putc(uintptr_t base, char c)
{
    while (REG(base, STATE) & STATE_TXFULL) {
    }
    REG(base, DATA) = (uint8_t)c;
}

void
cmsdk_uart_rx_enable(uintptr_t base)
{
    REG(base, CTRL) |= CTRL_RXINTEN;
}

void
cmsdk_uart_rx_drain(uintptr_t base, void (*sink)(char))
{
    /* The RX interrupt is an event, not a level: clear it before reading
     * DATA, or a byte arriving meanwhile raises no new interrupt. */
    REG(base, INTCLEAR) = INT_RX;
    while (REG(base, STATE) & STATE_RXFULL) {
        sink((char)REG(base, DATA));
    }
}
