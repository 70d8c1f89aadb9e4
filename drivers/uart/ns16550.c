/* SPDX-License-Identifier: MIT */
/* NS16550A UART: polled or interrupt-driven transmit, interrupt-driven
 * receive.
 * Registers: RBR/THR 0, IER 1, FCR 2, LCR 3, MCR 4, LSR 5. */
#include "ns16550.h"

#define REG(base, off) (*(volatile uint8_t *)((base) + (off)))
#define RBR 0u
#define THR 0u
#define IER 1u
#define FCR 2u
#define LCR 3u
#define MCR 4u
#define LSR 5u

#define IER_RDA (1u << 0)
#define IER_THRE (1u << 1)
#define LSR_DR (1u << 0)
#define LSR_THRE (1u << 5)

void
ns16550_init(uintptr_t base)
{
    REG(base, IER) = 0;
    REG(base, LCR) = 0x03; /* 8 data bits, no parity, 1 stop bit */
    REG(base, FCR) = 0x07; /* FIFOs on and cleared; RX trigger at 1 byte */
    REG(base, MCR) = 0x0B; /* DTR, RTS, OUT2 (gates the interrupt on PCs) */
}

void
ns16550_putc(uintptr_t base, char c)
{
    while (!(REG(base, LSR) & LSR_THRE)) {
    }
    REG(base, THR) = (uint8_t)c;
}

void
ns16550_rx_enable(uintptr_t base)
{
    REG(base, IER) |= IER_RDA;
}

void
ns16550_rx_drain(uintptr_t base, void (*sink)(char))
{
    while (REG(base, LSR) & LSR_DR) {
        sink((char)REG(base, RBR));
    }
}

/* THRE says the whole FIFO is empty, so this many bytes always fit. */
#define TX_FIFO_DEPTH 16

/* Refill the FIFO once it is empty, or turn the interrupt off when @source
 * has no more. The interrupt is on. */
static void
ns16550_tx_push(uintptr_t base, int (*source)(void))
{
    if (!(REG(base, LSR) & LSR_THRE)) {
        return; /* still sending: the interrupt comes when it is empty */
    }
    for (int i = 0; i < TX_FIFO_DEPTH; i++) {
        int c = source();
        if (c < 0) {
            REG(base, IER) &= (uint8_t)~IER_THRE;
            return;
        }
        REG(base, THR) = (uint8_t)c;
    }
}

void
ns16550_tx_start(uintptr_t base, int (*source)(void))
{
    REG(base, IER) |= IER_THRE;
    ns16550_tx_push(base, source);
}

void
ns16550_tx_fill(uintptr_t base, int (*source)(void))
{
    if (REG(base, IER) & IER_THRE) { /* else a receive interrupt */
        ns16550_tx_push(base, source);
    }
}
