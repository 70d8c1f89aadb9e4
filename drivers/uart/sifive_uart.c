/* SPDX-License-Identifier: MIT */
/* SiFive UART: polled transmit, interrupt-driven receive.
 * Registers: txdata 0x00 (bit 31 full), rxdata 0x04 (bit 31 empty),
 * txctrl 0x08, rxctrl 0x0C (bits 18:16 watermark), ie 0x10, div 0x18. */
#include "sifive_uart.h"

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define TXDATA 0x00u
#define RXDATA 0x04u
#define TXCTRL 0x08u
#define RXCTRL 0x0Cu
#define IE 0x10u
#define DIV 0x18u

#define DATA_FLAG (1u << 31) /* txdata: FIFO full; rxdata: FIFO empty */
#define CTRL_EN (1u << 0)
#define IE_RXWM (1u << 1)

void
sifive_uart_init(uintptr_t base, uint32_t div)
{
    REG(base, IE) = 0;
    REG(base, DIV) = div;
    REG(base, TXCTRL) = CTRL_EN;
    /* Watermark 0: the receive interrupt is pending while count > 0. */
    REG(base, RXCTRL) = CTRL_EN;
}

void
sifive_uart_putc(uintptr_t base, char c)
{
    while (REG(base, TXDATA) & DATA_FLAG) {
    }
    REG(base, TXDATA) = (uint8_t)c;
}

void
sifive_uart_rx_enable(uintptr_t base)
{
    REG(base, IE) = IE_RXWM;
}

void
sifive_uart_rx_drain(uintptr_t base, void (*sink)(char))
{
    for (;;) {
        uint32_t v = REG(base, RXDATA);
        if (v & DATA_FLAG) {
            return;
        }
        sink((char)(v & 0xffu));
    }
}
