/* SPDX-License-Identifier: MIT */
/* PL011 UART: polled or interrupt-driven transmit, interrupt-driven
 * receive.
 * Registers: DR 0x00, FR 0x18 (RXFE bit 4, TXFF bit 5), IBRD 0x24,
 * FBRD 0x28, LCRH 0x2C, CR 0x30, IMSC 0x38, ICR 0x44. */
#include "pl011.h"

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))
#define DR 0x00u
#define FR 0x18u
#define IBRD 0x24u
#define FBRD 0x28u
#define LCRH 0x2Cu
#define CR 0x30u
#define IMSC 0x38u
#define ICR 0x44u

#define FR_RXFE (1u << 4)
#define FR_TXFF (1u << 5)
#define LCRH_FEN (1u << 4)
#define LCRH_WLEN8 (3u << 5)
#define CR_UARTEN (1u << 0)
#define CR_TXE (1u << 8)
#define CR_RXE (1u << 9)
#define INT_RX (1u << 4)
#define INT_TX (1u << 5)
#define INT_RT (1u << 6)

void
pl011_init(uintptr_t base, uint32_t clock_hz, uint32_t baud)
{
    REG(base, CR) = 0;
    REG(base, IMSC) = 0;
    /* Divisor = clock / (16 * baud) in 16.6 fixed point, rounded. */
    uint32_t div64 = (uint32_t)(((uint64_t)clock_hz * 4u + baud / 2u) / baud);
    REG(base, IBRD) = div64 >> 6;
    REG(base, FBRD) = div64 & 0x3fu;
    REG(base, LCRH) = LCRH_WLEN8 | LCRH_FEN; /* the divisor latches on this write */
    REG(base, CR) = CR_UARTEN | CR_TXE | CR_RXE;
}

void
pl011_putc(uintptr_t base, char c)
{
    while (REG(base, FR) & FR_TXFF) {
    }
    REG(base, DR) = (uint8_t)c;
}

void
pl011_rx_enable(uintptr_t base)
{
    REG(base, ICR) = INT_RX | INT_RT;
    REG(base, IMSC) |= INT_RX | INT_RT;
}

void
pl011_rx_drain(uintptr_t base, void (*sink)(char))
{
    REG(base, ICR) = INT_RX | INT_RT;
    while (!(REG(base, FR) & FR_RXFE)) {
        sink((char)(REG(base, DR) & 0xffu));
    }
}

/* A FIFO's worth at most, so the interrupt paces the rest as on hardware
 * (QEMU's PL011 never reports the FIFO full). */
#define TX_FIFO_DEPTH 16

/* Fill the FIFO, or turn the interrupt off when @source has no more. The
 * interrupt is on. */
static void
pl011_tx_push(uintptr_t base, int (*source)(void))
{
    /* Cleared before writing, so the bytes written now raise the next. */
    REG(base, ICR) = INT_TX;
    for (int i = 0; i < TX_FIFO_DEPTH && !(REG(base, FR) & FR_TXFF); i++) {
        int c = source();
        if (c < 0) {
            REG(base, IMSC) &= ~INT_TX;
            REG(base, ICR) = INT_TX; /* raised by the last byte meanwhile */
            return;
        }
        REG(base, DR) = (uint8_t)c;
    }
}

void
pl011_tx_start(uintptr_t base, int (*source)(void))
{
    REG(base, IMSC) |= INT_TX;
    pl011_tx_push(base, source);
}

void
pl011_tx_fill(uintptr_t base, int (*source)(void))
{
    if (REG(base, IMSC) & INT_TX) { /* else a receive interrupt */
        pl011_tx_push(base, source);
    }
}
