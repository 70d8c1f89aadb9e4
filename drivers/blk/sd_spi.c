/* SPDX-License-Identifier: MIT */
/* SD card in SPI mode (SD Physical Layer Simplified Specification, chapter
 * 7): the initialisation sequence, single- and multi-block reads and
 * writes of sectors, as a block device. Commands, CRCs and data blocks on
 * the wire are in sd_spi_wire.c.
 * Entry points: sd_spi_init(), sd_spi_probe() and the blk ops at the end.
 * It sees the bus only through struct sd_spi_transport (sd_spi.h), so the
 * host tests run it against a simulated card (tests/unit/sd_spi/). */
#include "sd_spi_wire.h"

#include <errno.h>
#include <string.h>

static uint32_t
card_address(const struct sd_spi *sd, uint32_t sector)
{
    return sd->type == SD_SPI_SDHC ? sector : sector * SECTOR;
}

/* Read *@count sectors from *@sector into *@buf, advancing all three past
 * each block that checked out, so a retry resumes at the failed one. */
static int
read_sectors(struct sd_spi *sd, uint32_t *sector, uint8_t **buf, uint32_t *count)
{
    bool multi = *count > 1;
    int err = sd_command_ready(sd, multi ? CMD18 : CMD17, card_address(sd, *sector), NULL, 0);
    if (err) {
        return err;
    }
    while (!err && *count > 0) {
        err = sd_read_block(sd, *buf, SECTOR);
        if (!err) {
            (*sector)++;
            *buf += SECTOR;
            (*count)--;
        }
    }
    if (multi && err != -ENODEV) {
        /* CMD12 ends the stream, even after an error; R1b: busy after. */
        int stop = sd_command_ready(sd, CMD12, 0, NULL, 0);
        if (!stop) {
            stop = sd_wait_ready(sd, READ_TIMEOUT_US);
        }
        err = sd_first_error(err, stop);
    }
    return err;
}

/* CMD13: errors found while programming show only here. */
static int
check_status(struct sd_spi *sd)
{
    uint8_t status = 0;
    int err = sd_command_ready(sd, CMD13, 0, &status, 1);
    if (err) {
        return err;
    }
    if (status == 0xFF) {
        return -ENODEV; /* every error at once: the line floats, the card left */
    }
    if (status & R2_WP_VIOLATION) {
        return -EROFS;
    }
    if (status & R2_OUT_OF_RANGE) {
        return -EINVAL;
    }
    return status != 0 ? -EIO : 0;
}

static int
write_sectors(struct sd_spi *sd, uint32_t sector, const uint8_t *buf, uint32_t count)
{
    bool multi = count > 1;
    int err = sd_command_ready(sd, multi ? CMD25 : CMD24, card_address(sd, sector), NULL, 0);
    if (err) {
        return err;
    }
    for (uint32_t i = 0; i < count && !err; i++) {
        err = sd_write_block(sd, multi ? TOKEN_MULTI_WRITE : TOKEN_START, buf + (size_t)i * SECTOR);
    }
    if (err == -ENODEV || err == -ETIMEDOUT) {
        return err; /* the card does not answer: nothing to stop or ask */
    }
    if (multi) {
        /* Stop Tran ends the stream, even after a rejected block; one byte
         * later (N_BR) the card shows busy until it has programmed. */
        const uint8_t stop[2] = {TOKEN_STOP_TRAN, 0xFF};
        int stop_err = sd_xfer(sd, stop, NULL, sizeof(stop));
        if (!stop_err) {
            stop_err = sd_wait_ready(sd, WRITE_TIMEOUT_US);
        }
        err = sd_first_error(err, stop_err);
    }
    /* The status also clears the card's error bits after a failure. */
    return sd_first_error(err, check_status(sd));
}

/* After a failure, tell a card that left (nothing answers CMD58, which
 * every state takes) from one that is there and misbehaved. */
static int
gone_or(struct sd_spi *sd, int err)
{
    if (err == 0 || err == -ENODEV) {
        return err;
    }
    uint8_t r1, r3[4];
    return sd_command(sd, CMD58, 0, &r1, r3, sizeof(r3)) == -ENODEV ? -ENODEV : err;
}

static struct sd_spi *
to_sd(struct pica_blk *dev)
{
    return (struct sd_spi *)dev;
}

/* An operation holds the bus with the card selected from begin to end. */
static int
op_begin(struct sd_spi *sd)
{
    if (!sd->ready) {
        return -ENODEV;
    }
    int err = sd->tp->acquire(sd->tp->ctx);
    if (!err) {
        sd->tp->select(sd->tp->ctx, true);
    }
    return err;
}

static int
op_end(struct sd_spi *sd, int err)
{
    sd->tp->select(sd->tp->ctx, false);
    /* The card releases DO on the clock after CS rises. */
    int end = sd_xfer(sd, NULL, NULL, 1);
    sd->tp->release(sd->tp->ctx);
    err = sd_first_error(err, end);
    if (err == -ENODEV) {
        sd->ready = false;
    }
    return err;
}

static int
sd_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    struct sd_spi *sd = to_sd(dev);
    uint32_t sector = block;
    uint32_t count = (uint32_t)(size / SECTOR);
    uint8_t *p = buf;
    (void)offset; /* within a 512-byte block and 512-aligned: 0 */
    int err = op_begin(sd);
    if (err) {
        return err;
    }
    err = read_sectors(sd, &sector, &p, &count);
    if (err == -EBADMSG) {
        sd->crc_retries++;
        err = read_sectors(sd, &sector, &p, &count);
    }
    return op_end(sd, gone_or(sd, err == -EBADMSG ? -EIO : err));
}

static int
sd_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf, size_t size)
{
    struct sd_spi *sd = to_sd(dev);
    (void)offset;
    int err = op_begin(sd);
    if (err) {
        return err;
    }
    return op_end(sd, gone_or(sd, write_sectors(sd, block, buf, (uint32_t)(size / SECTOR))));
}

static int
sd_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    (void)block;
    (void)count;
    return to_sd(dev)->ready ? 0 : -ENODEV;
}

static int
sd_sync(struct pica_blk *dev)
{
    return to_sd(dev)->ready ? 0 : -ENODEV;
}

static const struct pica_blk_ops sd_ops = {
    .read = sd_read,
    .prog = sd_prog,
    .erase = sd_erase,
    .sync = sd_sync,
};

/* CMD0 until the card is idle in SPI mode. */
static int
go_idle(struct sd_spi *sd)
{
    bool answered = false;
    for (int i = 0; i < CMD0_TRIES; i++) {
        uint8_t r1 = 0;
        int err = sd_command(sd, CMD0, 0, &r1, NULL, 0);
        if (!err && r1 == R1_IDLE) {
            return 0;
        }
        if (err && err != -ENODEV) {
            return err;
        }
        answered = answered || !err;
    }
    return answered ? -EIO : -ENODEV;
}

/* CMD8: a version 2 card echoes the voltage and pattern; a version 1 card
 * does not know the command. */
static int
check_interface(struct sd_spi *sd, bool *v2)
{
    uint8_t r1 = 0, r7[4];
    int err = sd_command(sd, CMD8, CMD8_CHECK, &r1, r7, sizeof(r7));
    if (err) {
        return err;
    }
    *v2 = (r1 & R1_ILLEGAL) == 0;
    if (!*v2) {
        return 0;
    }
    if (r1 & ~R1_IDLE) {
        return -EIO;
    }
    if ((r7[2] & 0x0Fu) != (CMD8_CHECK >> 8)) {
        return -ENOTSUP; /* our voltage range refused */
    }
    return r7[3] == (CMD8_CHECK & 0xFFu) ? 0 : -EIO;
}

/* ACMD41 until the card leaves the idle state. */
static int
wait_initialised(struct sd_spi *sd, bool v2)
{
    struct sd_wait w;
    sd_wait_start(sd, &w, INIT_TIMEOUT_US);
    for (;;) {
        uint8_t r1 = 0;
        int err = sd_command(sd, CMD55, 0, &r1, NULL, 0);
        if (!err && (r1 & ~R1_IDLE) == 0) {
            err = sd_command(sd, ACMD41, v2 ? ACMD41_HCS : 0, &r1, NULL, 0);
        }
        if (err) {
            return err;
        }
        if (r1 & R1_ILLEGAL) {
            return -ENOTSUP; /* an MMC card */
        }
        if (r1 & ~R1_IDLE) {
            return -EIO;
        }
        if (r1 == 0) {
            return 0;
        }
        if (sd_wait_over(sd, &w)) {
            return -ETIMEDOUT;
        }
    }
}

/* CMD58: SDHC/SDXC (block addresses) or SDSC (byte addresses). The R1 of
 * CMD8 and CMD58 keeps the idle bit set on QEMU's card after initialisation,
 * so only the error bits count here. */
static int
read_ocr(struct sd_spi *sd, bool v2)
{
    uint8_t r1 = 0, r3[4];
    int err = sd_command(sd, CMD58, 0, &r1, r3, sizeof(r3));
    if (err) {
        return err;
    }
    if (r1 & ~R1_IDLE) {
        return -EIO;
    }
    sd->ocr = ((uint32_t)r3[0] << 24) | ((uint32_t)r3[1] << 16) | ((uint32_t)r3[2] << 8) | r3[3];
    if (!(sd->ocr & OCR_POWERED_UP)) {
        return -EIO;
    }
    sd->type = !v2 ? SD_SPI_SDSC_V1 : (sd->ocr & OCR_CCS) ? SD_SPI_SDHC : SD_SPI_SDSC;
    return 0;
}

/* CMD9: the CSD gives the size. Version 1: (C_SIZE + 1) << (C_SIZE_MULT + 2)
 * blocks of 2^READ_BL_LEN bytes; version 2: (C_SIZE + 1) * 512 KiB. */
static int
read_size(struct sd_spi *sd)
{
    uint8_t *csd = sd->csd;
    int err = sd_command_ready(sd, CMD9, 0, NULL, 0);
    if (!err) {
        err = sd_read_block(sd, csd, sizeof(sd->csd));
    }
    if (err) {
        return err == -EBADMSG ? -EIO : err;
    }
    if (((sd_crc7(csd, 15) << 1) | 1u) != csd[15]) {
        return -EIO;
    }
    uint32_t c_size;
    switch (csd[0] >> 6) {
    case 0: {
        unsigned read_bl_len = csd[5] & 0x0Fu;
        unsigned mult = ((csd[9] & 3u) << 1) | (csd[10] >> 7);
        c_size = ((uint32_t)(csd[6] & 3u) << 10) | ((uint32_t)csd[7] << 2) | (csd[8] >> 6);
        if (read_bl_len < 9 || read_bl_len > 11) {
            return -EIO;
        }
        sd->blk.geo.block_count = (c_size + 1) << (mult + 2 + read_bl_len - 9);
        return 0;
    }
    case 1:
        c_size = ((uint32_t)(csd[7] & 0x3Fu) << 16) | ((uint32_t)csd[8] << 8) | csd[9];
        if (c_size > CSD_V2_C_SIZE_MAX) {
            return -ENOTSUP;
        }
        sd->blk.geo.block_count = (c_size + 1) * 1024u;
        return 0;
    default:
        return -ENOTSUP; /* SDUC (version 3) */
    }
}

/* The sequence of sd_spi_probe(), the card selected. */
static int
probe_selected(struct sd_spi *sd)
{
    bool v2 = false;
    uint8_t r1 = 0;
    int err = go_idle(sd);
    if (!err) {
        err = check_interface(sd, &v2);
    }
    if (!err) {
        /* CRC checking on: a card that does not know CMD59 goes on without. */
        err = sd_command(sd, CMD59, 1, &r1, NULL, 0);
        sd->crc_checked = !err && r1 == R1_IDLE;
        if (!err && (r1 & ~(R1_IDLE | R1_ILLEGAL))) {
            err = -EIO;
        }
    }
    if (!err) {
        err = wait_initialised(sd, v2);
    }
    if (!err) {
        err = read_ocr(sd, v2);
    }
    if (!err && sd->type != SD_SPI_SDHC) {
        err = sd_command_ready(sd, CMD16, SECTOR, NULL, 0);
    }
    return err ? err : read_size(sd);
}

int
sd_spi_probe(struct sd_spi *sd)
{
    if (sd == NULL || sd->tp == NULL) {
        return -EINVAL;
    }
    sd->ready = false;
    sd->type = SD_SPI_NONE;
    sd->crc_checked = false;
    sd->blk.geo.block_count = 0;
    int err = sd->tp->acquire(sd->tp->ctx);
    if (err) {
        return err;
    }
    sd->hz = SD_SPI_INIT_HZ;
    err = sd->tp->set_clock(sd->tp->ctx, sd->hz);
    if (!err) {
        /* At least 74 clocks with CS high: the card enters SPI mode at the
         * CMD0 that follows with CS low. */
        sd->tp->select(sd->tp->ctx, false);
        err = sd_xfer(sd, NULL, NULL, 10);
    }
    if (!err) {
        sd->tp->select(sd->tp->ctx, true);
        err = gone_or(sd, probe_selected(sd));
    }
    sd->tp->select(sd->tp->ctx, false);
    err = sd_first_error(err, sd_xfer(sd, NULL, NULL, 1));
    if (!err) {
        sd->hz = sd->max_hz;
        err = sd->tp->set_clock(sd->tp->ctx, sd->hz);
    }
    sd->tp->release(sd->tp->ctx);
    if (err) {
        sd->type = SD_SPI_NONE;
        sd->blk.geo.block_count = 0;
        return err;
    }
    sd->ready = true;
    return 0;
}

int
sd_spi_init(struct sd_spi *sd, const char *name, const struct sd_spi_transport *tp,
            uint32_t max_hz)
{
    if (sd == NULL || name == NULL || tp == NULL || tp->acquire == NULL || tp->release == NULL ||
        tp->select == NULL || tp->transfer == NULL || tp->set_clock == NULL || max_hz == 0) {
        return -EINVAL;
    }
    memset(sd, 0, sizeof(*sd));
    sd->blk.name = name;
    sd->blk.ops = &sd_ops;
    sd->blk.geo = (struct pica_blk_geometry){
        .read_size = SECTOR,
        .prog_size = SECTOR,
        .erase_size = SECTOR,
        .block_count = 0, /* no card yet */
        .erased_value = -1,
    };
    sd->tp = tp;
    sd->max_hz = max_hz < SD_SPI_MAX_HZ ? max_hz : SD_SPI_MAX_HZ;
    sd->hz = SD_SPI_INIT_HZ;
    int err = pica_blk_init(&sd->blk);
    return err ? err : sd_spi_probe(sd);
}
