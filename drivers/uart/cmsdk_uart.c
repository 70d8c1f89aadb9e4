/* SPDX-License-Identifier: MIT */
/* Arm CMSDK APB UART: polled or interrupt-driven transmit, interrupt-driven
 * receive.
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
#define CTRL_TXINTEN (1u << 2)
#define CTRL_RXINTEN (1u << 3)
#define INT_TX (1u << 0)
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

/* Send the next byte if the buffer is free, or turn the interrupt off when
 * @source has none. The interrupt is on. */
static void
cmsdk_uart_tx_push(uintptr_t base, int (*source)(void))
{
    /* An event like RX: cleared before writing, so that the byte written
     * now raises the next one. */
    REG(base, INTCLEAR) = INT_TX;
    if (REG(base, STATE) & STATE_TXFULL) {
        return; /* a byte still leaving raises the interrupt */
    }
    int c = source();
    if (c < 0) {
        REG(base, CTRL) &= ~CTRL_TXINTEN;
        return;
    }
    REG(base, DATA) = (uint8_t)c;
}

void
cmsdk_uart_tx_start(uintptr_t base, int (*source)(void))
{
    REG(base, CTRL) |= CTRL_TXINTEN;
    cmsdk_uart_tx_push(base, source);
}

void
cmsdk_uart_tx_fill(uintptr_t base, int (*source)(void))
{
    if (REG(base, CTRL) & CTRL_TXINTEN) { /* else a receive interrupt */
        cmsdk_uart_tx_push(base, source);
    }
}
