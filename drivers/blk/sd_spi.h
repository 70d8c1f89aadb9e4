/* SPDX-License-Identifier: MIT */
/* SD card in SPI mode as a block device (include/pica/blk.h): SDSC (v1 and
 * v2, byte addressed) and SDHC/SDXC (block addressed), 512-byte sectors.
 *
 * The protocol code (sd_spi.c) talks to the card through a small transport
 * (struct sd_spi_transport: take the bus, chip select, full-duplex byte
 * transfer, clock), so it builds and runs on the host against a simulated
 * card (tests/unit/sd_spi/). sd_spi_bus.c is the transport over a Pica SPI
 * device (include/pica/spi.h).
 *
 * Geometry: read, program and erase sizes 512, block_count the card's
 * sectors (from the CSD). Erase does nothing (an SD card erases as it
 * writes); sync has nothing to flush (every write has left the card's busy
 * state, and its status been checked, before it returns).
 *
 * Errors, besides blk.h's: no answer to a command is -ENODEV (no card, or
 * removed), and so is every call after that until sd_spi_probe() finds a
 * card again; after any other failure the driver asks the card for its OCR,
 * and if nothing answers that either, the error is -ENODEV too. A card that
 * answers as if reset (idle again) gives -EIO, then -ENODEV until probed. R1 and status bits: address or
 * parameter error, out of range -> -EINVAL; illegal command -> -ENOTSUP;
 * write protect violation -> -EROFS; CRC, erase, ECC, card-controller and
 * general errors -> -EIO. A data block whose CRC16 does not match is read
 * again once, then -EIO. Every wait for the card (busy, data token,
 * initialisation) is bounded by time when the transport has a clock, and
 * always by a count of bytes clocked: -ETIMEDOUT.
 *
 * Context: thread (the transport sleeps on the bus). One owner per card,
 * as blk.h says; the transport's acquire() serialises the bus with other
 * devices on it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/blk.h>

struct sd_spi_transport {
    /* Take the bus for this card (apply its mode and clock), and give it
     * back. Returns: 0 or a negative errno (-ETIMEDOUT). */
    int (*acquire)(void *ctx);
    void (*release)(void *ctx);
    /* Drive the card's chip select: true selects it (CS low). */
    void (*select)(void *ctx, bool selected);
    /* Clock @len bytes out of @tx (NULL: 0xFF each) while reading as many
     * into @rx (NULL: discard). Returns: 0 or a negative errno. */
    int (*transfer)(void *ctx, const uint8_t *tx, uint8_t *rx, size_t len);
    /* The SPI clock for the following transfers. Returns: 0 or -errno. */
    int (*set_clock)(void *ctx, uint32_t hz);
    /* Microseconds since any fixed point, for time limits; NULL if there is
     * no clock (the limits are then counts of bytes alone). */
    uint64_t (*now_us)(void *ctx);
    void *ctx;
};

enum sd_spi_type {
    SD_SPI_NONE,    /* not probed, or no card */
    SD_SPI_SDSC_V1, /* version 1.x card: byte addresses */
    SD_SPI_SDSC,    /* version 2.0+ standard capacity: byte addresses */
    SD_SPI_SDHC,    /* high or extended capacity (SDHC/SDXC): block addresses */
};

struct sd_spi {
    struct pica_blk blk; /* first: a struct pica_blk * is a struct sd_spi * */
    const struct sd_spi_transport *tp;
    uint32_t max_hz;     /* clock after initialisation */
    uint32_t hz;         /* the clock now */
    uint8_t type;        /* enum sd_spi_type */
    bool ready;          /* initialised and answering */
    bool crc_checked;    /* the card accepted CMD59: it checks command and data CRCs */
    uint32_t ocr;
    uint8_t csd[16];
    uint32_t crc_retries; /* blocks read again after a CRC16 mismatch */
    uint32_t clocked;     /* bytes clocked (wrapping): the count behind time limits */
};

/* The SPI clocks: at most 400 kHz while the card initialises; at most
 * 25 MHz afterwards (default speed). */
#define SD_SPI_INIT_HZ 400000u
#define SD_SPI_MAX_HZ 25000000u

/* Set up @sd named @name on @tp (kept by reference) and probe the card
 * (sd_spi_probe()). @max_hz caps the clock after initialisation
 * (SD_SPI_MAX_HZ at most). The device stays usable for a later probe even
 * when this one finds no card. Context: thread.
 * Returns: as sd_spi_probe(), or -EINVAL (NULL, a transport without
 * acquire, release, select, transfer or set_clock, @max_hz 0). */
int sd_spi_init(struct sd_spi *sd, const char *name, const struct sd_spi_transport *tp,
                uint32_t max_hz);

/* Run the SPI-mode initialisation: 80 clocks with the card deselected,
 * CMD0 to idle, CMD8 with the check pattern (version 2 cards), CMD59 to
 * turn CRC checking on, ACMD41 (with HCS on version 2) until ready, CMD58
 * for the OCR (SDSC or SDHC), CMD16 to 512-byte blocks on SDSC, CMD9 for
 * the size (CSD version 1 or 2). Context: thread.
 * Returns: 0 (sd->blk is ready to use), -ENODEV (no card answers),
 * -ENOTSUP (not an SD memory card, or one this driver does not handle:
 * MMC, SDUC, a voltage range refused), -ETIMEDOUT (it never left idle),
 * -EIO (bad answers, a CSD whose CRC fails), transport errors. */
int sd_spi_probe(struct sd_spi *sd);
