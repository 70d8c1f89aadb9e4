/* SPDX-License-Identifier: MIT */
/* ARM PL022 SSP (PrimeCell PL022 TRM): an SPI controller for spi.c.
 * Registers: CR0 0x00 (DSS 3:0 data size - 1, FRF 5:4 frame format, SPO 6,
 * SPH 7, SCR 15:8), CR1 0x04 (LBM 0, SSE 1, MS 2), DR 0x08, SR 0x0C (TFE 0,
 * TNF 1, RNE 2, RFF 3, BSY 4), CPSR 0x10 (even 2-254), IMSC 0x14, RIS 0x18,
 * MIS 0x1C, ICR 0x20; interrupts ROR 0, RT 1, RX 2 (receive FIFO half
 * full), TX 3 (transmit FIFO half empty). Bit rate: SSPCLK / (CPSDVSR *
 * (1 + SCR)).
 *
 * A transfer keeps at most a FIFO's depth of bytes in flight (sent, not
 * yet received), so the receive FIFO cannot overrun whatever the interrupt
 * latency. The handler empties the receive FIFO and refills the transmit
 * FIFO; while half a FIFO or more is in flight the receive-half-full
 * interrupt calls it back, and for the last bytes the receive timeout
 * does. QEMU's PL022 has no receive timeout (and moves each byte the
 * moment it is written), so for those last bytes the transmit interrupt is
 * enabled as well: on the silicon it may fire again until they are in, for
 * at most three bytes' time. */
#include "pl022.h"

#include <pica/errno.h>
#include <pica/irq.h>

#define REG(p, off) (*(volatile uint32_t *)((p)->base + (off)))
#define CR0 0x00u
#define CR1 0x04u
#define DR 0x08u
#define SR 0x0Cu
#define CPSR 0x10u
#define IMSC 0x14u
#define RIS 0x18u
#define ICR 0x20u

#define CR0_DSS_8BIT 0x7u
#define CR0_SPO (1u << 6)
#define CR0_SPH (1u << 7)
#define CR0_SCR_SHIFT 8
#define CR1_LBM (1u << 0)
#define CR1_SSE (1u << 1)
#define SR_TNF (1u << 1)
#define SR_RNE (1u << 2)
#define SR_BSY (1u << 4)
#define INT_ROR (1u << 0)
#define INT_RT (1u << 1)
#define INT_RX (1u << 2)
#define INT_TX (1u << 3)

#define FIFO_DEPTH 8u
#define FIFO_HALF 4u

static struct pl022 *
to_pl022(struct pica_spi_bus *bus)
{
    return (struct pl022 *)bus;
}

/* The smallest even prescaler with an SCR that reaches @hz or below: the
 * fastest rate not above @hz. */
static int
pl022_configure(struct pica_spi_bus *bus, uint32_t mode, uint32_t hz, uint32_t *actual_hz)
{
    struct pl022 *p = to_pl022(bus);
    for (uint32_t cpsr = 2; cpsr <= 254; cpsr += 2) {
        /* The least SCR with clock / (cpsr * (SCR + 1)) <= hz. */
        uint64_t div = ((uint64_t)p->clock_hz + (uint64_t)hz * cpsr - 1) / ((uint64_t)hz * cpsr);
        uint32_t scr = div > 0 ? (uint32_t)(div - 1) : 0;
        if (scr > 255) {
            continue;
        }
        uint32_t cr0 = CR0_DSS_8BIT | (scr << CR0_SCR_SHIFT);
        cr0 |= (mode & PICA_SPI_CPOL) ? CR0_SPO : 0;
        cr0 |= (mode & PICA_SPI_CPHA) ? CR0_SPH : 0;
        REG(p, CR1) = 0; /* format and rate change only while disabled */
        REG(p, CR0) = cr0;
        REG(p, CPSR) = cpsr;
        REG(p, IMSC) = 0;
        REG(p, CR1) = CR1_SSE | ((mode & PICA_SPI_LOOPBACK) ? CR1_LBM : 0);
        *actual_hz = p->clock_hz / (cpsr * (scr + 1));
        return 0;
    }
    return -EINVAL; /* below SSPCLK / (254 * 256) */
}

static void
drain(struct pl022 *p)
{
    struct pica_spi_bus *bus = &p->bus;
    while (REG(p, SR) & SR_RNE) {
        uint8_t b = (uint8_t)REG(p, DR);
        if (p->received < bus->len) {
            if (bus->rx != NULL) {
                bus->rx[p->received] = b;
            }
            p->received++;
        }
    }
}

/* Bytes left from a stopped transfer. */
static void
discard(struct pl022 *p)
{
    for (unsigned i = 0; i < FIFO_DEPTH && (REG(p, SR) & SR_RNE); i++) {
        (void)REG(p, DR);
    }
}

static void
fill(struct pl022 *p)
{
    struct pica_spi_bus *bus = &p->bus;
    while (p->sent < bus->len && p->sent - p->received < FIFO_DEPTH && (REG(p, SR) & SR_TNF)) {
        REG(p, DR) = bus->tx != NULL ? bus->tx[p->sent] : 0xFFu;
        p->sent++;
    }
}

/* Which interrupt calls the handler back (see the top of the file). */
static void
arm(struct pl022 *p)
{
    REG(p, IMSC) = p->sent - p->received >= FIFO_HALF ? INT_RX | INT_RT | INT_ROR
                                                      : INT_TX | INT_RT | INT_ROR;
}

static void
pl022_isr(void *arg)
{
    struct pl022 *p = arg;
    if (!p->active) {
        REG(p, IMSC) = 0; /* pending from before an abort */
        return;
    }
    uint32_t ris = REG(p, RIS);
    REG(p, ICR) = INT_RT | INT_ROR;
    drain(p);
    if ((ris & INT_ROR) || p->received == p->bus.len) {
        REG(p, IMSC) = 0;
        p->active = false;
        pica_spi_done_isr(&p->bus, (ris & INT_ROR) ? -EIO : 0);
        return;
    }
    fill(p);
    arm(p);
}

static int
pl022_start(struct pica_spi_bus *bus)
{
    struct pl022 *p = to_pl022(bus);
    p->sent = 0;
    p->received = 0;
    p->active = true;
    discard(p);
    REG(p, ICR) = INT_RT | INT_ROR;
    fill(p);
    arm(p); /* the handler takes it from here */
    return 0;
}

static void
pl022_abort(struct pica_spi_bus *bus)
{
    struct pl022 *p = to_pl022(bus);
    unsigned key = pica_irq_lock(); /* the handler is not halfway through */
    REG(p, IMSC) = 0;
    p->active = false;
    pica_irq_unlock(key);
    /* Let the bytes in flight go out (a few at most, a bounded wait), then
     * drop what came in; start() drops any straggler. */
    for (unsigned i = 0; i < 100000u && (REG(p, SR) & SR_BSY); i++) {
    }
    discard(p);
    REG(p, ICR) = INT_RT | INT_ROR;
}

static const struct pica_spi_ops pl022_ops = {
    .configure = pl022_configure,
    .start = pl022_start,
    .abort = pl022_abort,
};

int
pl022_init(struct pl022 *p, const char *name, uintptr_t base, unsigned irq, uint32_t clock_hz)
{
    if (p == NULL || clock_hz < 2 || base == 0) {
        return -EINVAL;
    }
    p->base = base;
    p->irq = irq;
    p->clock_hz = clock_hz;
    int err = pica_spi_bus_init(&p->bus, name, &pl022_ops);
    if (err) {
        return err;
    }
    REG(p, CR1) = 0;
    REG(p, IMSC) = 0;
    REG(p, ICR) = INT_RT | INT_ROR;
    err = pica_irq_attach(irq, pl022_isr, p, PICA_CFG_IRQ_PRIO_DEFAULT);
    return err ? err : pica_irq_enable(irq);
}
