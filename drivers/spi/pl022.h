/* SPDX-License-Identifier: MIT */
/* ARM PrimeCell PL022 synchronous serial port as an SPI controller
 * (include/pica/spi.h): master, Motorola SPI frames of 8 bits, transfers
 * moved through the 8-entry FIFOs by the interrupt handler. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/spi.h>

struct pl022 {
    struct pica_spi_bus bus; /* first: a struct pica_spi_bus * is a struct pl022 * */
    uintptr_t base;
    unsigned irq;
    uint32_t clock_hz;       /* SSPCLK, the rate the prescaler divides */
    size_t sent, received;   /* bytes of the transfer under way */
    volatile bool active;    /* a transfer is under way: the handler moves bytes */
};

/* Set up the controller at @base with interrupt line @irq and SSPCLK
 * @clock_hz, and its bus named @name (disabled until a device acquires
 * it). The board turns on the controller's clock and muxes its pins
 * first. Context: thread or boot.
 * Returns: 0, -EINVAL, or pica_irq_attach()'s error. */
int pl022_init(struct pl022 *p, const char *name, uintptr_t base, unsigned irq,
               uint32_t clock_hz);
