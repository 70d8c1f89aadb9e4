/* SPDX-License-Identifier: MIT */
/* SiFive UART: polled or interrupt-driven transmit, interrupt-driven
 * receive. Registers: txdata 0x00 (bit 31 full), rxdata 0x04 (bit 31
 * empty), txctrl 0x08 and rxctrl 0x0C (bits 18:16 watermark), ie 0x10 (bit
 * 0 txwm, bit 1 rxwm), div 0x18. */
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
#define CTRL_CNT(n) ((uint32_t)(n) << 16)
#define IE_TXWM (1u << 0)
#define IE_RXWM (1u << 1)

void
sifive_uart_init(uintptr_t base, uint32_t div)
{
    REG(base, IE) = 0;
    REG(base, DIV) = div;
    /* Watermark 2 of the 8-byte FIFO: the transmit interrupt comes while
     * fewer than 2 bytes wait, early enough that the line never idles. */
    REG(base, TXCTRL) = CTRL_EN | CTRL_CNT(2);
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
    REG(base, IE) |= IE_RXWM;
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

/* A FIFO's worth at most, so the interrupt paces the rest as on hardware
 * (QEMU's FIFO is never full). */
#define TX_FIFO_DEPTH 8

/* Fill the FIFO, or turn the interrupt off when @source has no more. The
 * interrupt is on. */
static void
sifive_uart_tx_push(uintptr_t base, int (*source)(void))
{
    for (int i = 0; i < TX_FIFO_DEPTH && !(REG(base, TXDATA) & DATA_FLAG); i++) {
        int c = source();
        if (c < 0) {
            REG(base, IE) &= ~IE_TXWM;
            return;
        }
        REG(base, TXDATA) = (uint8_t)c;
    }
}

void
sifive_uart_tx_start(uintptr_t base, int (*source)(void))
{
    REG(base, IE) |= IE_TXWM;
    sifive_uart_tx_push(base, source);
}

void
sifive_uart_tx_fill(uintptr_t base, int (*source)(void))
{
    if (REG(base, IE) & IE_TXWM) { /* else a receive interrupt */
        sifive_uart_tx_push(base, source);
    }
}
