/* SPDX-License-Identifier: MIT */
/* The SD card driver's transport (sd_spi.h) over a device on a Pica SPI bus
 * (include/pica/spi.h): SPI mode 0, the card's chip select a GPIO, the
 * bus's mutex held for each card operation, time from pica_uptime_us(). */
#pragma once

#include <stdint.h>

#include <pica/spi.h>

#include "sd_spi.h"

struct sd_spi_bus {
    struct pica_spi_dev dev;
    struct sd_spi_transport tp; /* give &tp to sd_spi_init() */
};

/* Set up @port for a card on @bus selected by GPIO @cs_pin (claimed, and
 * driven high). Context: thread or boot.
 * Returns: 0, or pica_spi_dev_init()'s error. */
int sd_spi_bus_init(struct sd_spi_bus *port, struct pica_spi_bus *bus, uint32_t cs_pin);

/* Provided by a board with an SD card socket (board.cmake sets
 * PICA_BOARD_HAS_SD): the socket's SPI bus, set up on the first call, and
 * the card on it, "sd0", set up and probed on the first call (a later call
 * probes again after a failure). Context: thread.
 * Returns (board_sd_open): 0 with *@card set, or sd_spi_init()'s error
 * (-ENODEV: no card in the socket), *@card still set for a later probe. */
struct pica_spi_bus *board_sd_spi_bus(void);
int board_sd_open(struct sd_spi **card);
