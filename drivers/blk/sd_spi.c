/* SPDX-License-Identifier: MIT */
/* SD card in SPI mode (SD Physical Layer Simplified Specification, chapter
 * 7): the initialisation sequence, single- and multi-block reads and
 * writes with CRC7 on commands and CRC16 on data, as a block device.
 * Entry points: sd_spi_init(), sd_spi_probe() and the blk ops at the end.
 * It sees the bus only through struct sd_spi_transport (sd_spi.h), so the
 * host tests run it against a simulated card (tests/unit/sd_spi/). */
#include "sd_spi.h"

#include <errno.h>
#include <string.h>

#define SECTOR 512u

enum {
    CMD0 = 0,    /* GO_IDLE_STATE */
    CMD8 = 8,    /* SEND_IF_COND */
    CMD9 = 9,    /* SEND_CSD */
    CMD12 = 12,  /* STOP_TRANSMISSION */
    CMD13 = 13,  /* SEND_STATUS */
    CMD16 = 16,  /* SET_BLOCKLEN */
    CMD17 = 17,  /* READ_SINGLE_BLOCK */
    CMD18 = 18,  /* READ_MULTIPLE_BLOCK */
    CMD24 = 24,  /* WRITE_BLOCK */
    CMD25 = 25,  /* WRITE_MULTIPLE_BLOCK */
    ACMD41 = 41, /* SD_SEND_OP_COND, after CMD55 */
    CMD55 = 55,  /* APP_CMD */
    CMD58 = 58,  /* READ_OCR */
    CMD59 = 59,  /* CRC_ON_OFF */
};

/* R1, the first byte of every response; bit 7 is always 0. */
#define R1_IDLE 0x01u
#define R1_ERASE_RESET 0x02u
#define R1_ILLEGAL 0x04u
#define R1_COM_CRC 0x08u
#define R1_ERASE_SEQ 0x10u
#define R1_ADDRESS 0x20u
#define R1_PARAMETER 0x40u

/* The second byte of R2 (CMD13). */
#define R2_WP_VIOLATION 0x20u
#define R2_OUT_OF_RANGE 0x80u

/* Data tokens and responses. An error token is 000xxxxx: error, CC error,
 * ECC failed, out of range, card locked. A data response is xxx0sss1. */
#define TOKEN_START 0xFEu
#define TOKEN_MULTI_WRITE 0xFCu
#define TOKEN_STOP_TRAN 0xFDu
#define ERR_TOKEN_OUT_OF_RANGE 0x08u
#define DATA_RESPONSE_MASK 0x1Fu
#define DATA_ACCEPTED 0x05u

#define CMD8_CHECK 0x1AAu             /* 2.7-3.6 V, check pattern 0xAA */
#define ACMD41_HCS 0x40000000u        /* the host handles high capacity */
#define OCR_POWERED_UP 0x80000000u    /* initialisation complete */
#define OCR_CCS 0x40000000u           /* card capacity status: SDHC/SDXC */
#define CSD_V2_C_SIZE_MAX 0x3FFEFFu   /* the largest SDXC (2 TB) */

/* Time limits from the specification: initialisation 1 s; a read's data
 * token 100 ms (SDHC's fixed figure, and the most an SDSC's CSD allows);
 * a write's busy 500 ms (SDXC; SDHC 250 ms). A response comes 1 to 8 bytes
 * after its command (N_CR). */
#define INIT_TIMEOUT_US 1000000u
#define READ_TIMEOUT_US 100000u
#define WRITE_TIMEOUT_US 500000u
#define NCR_MAX 8
#define DATA_RESPONSE_POLLS 8
#define CMD0_TRIES 10

/* A bounded wait: by time when the transport has a clock, and always by
 * the bytes clocked meanwhile, twice what the bus moves in that time, so
 * the count ends a wait even where no clock runs. */
struct sd_wait {
    uint64_t end_us;
    uint32_t start;  /* sd->clocked when the wait began */
    uint32_t budget; /* bytes */
};

static void
wait_start(const struct sd_spi *sd, struct sd_wait *w, uint32_t timeout_us)
{
    uint64_t bytes = (uint64_t)timeout_us * (sd->hz / 8u) / 1000000u * 2u + 64u;
    w->budget = bytes > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)bytes;
    w->start = sd->clocked;
    w->end_us = sd->tp->now_us != NULL ? sd->tp->now_us(sd->tp->ctx) + timeout_us : 0;
}

static bool
wait_over(const struct sd_spi *sd, const struct sd_wait *w)
{
    if (sd->clocked - w->start >= w->budget) {
        return true;
    }
    return sd->tp->now_us != NULL && sd->tp->now_us(sd->tp->ctx) >= w->end_us;
}

static uint8_t
crc7(const uint8_t *p, size_t n)
{
    uint8_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        for (int bit = 7; bit >= 0; bit--) {
            unsigned in = (p[i] >> bit) & 1u;
            unsigned top = (crc >> 6) & 1u;
            crc = (uint8_t)((crc << 1) & 0x7Fu);
            if (in ^ top) {
                crc ^= 0x09u; /* x^7 + x^3 + 1 */
            }
        }
    }
    return crc;
}

/* CRC-16/CCITT (x^16 + x^12 + x^5 + 1, initial 0), a nibble at a time. */
static uint16_t
crc16(const uint8_t *p, size_t n)
{
    static const uint16_t nibble[16] = {
        0x0000, 0x1021, 0x2042, 0x3063, 0x4084, 0x50a5, 0x60c6, 0x70e7,
        0x8108, 0x9129, 0xa14a, 0xb16b, 0xc18c, 0xd1ad, 0xe1ce, 0xf1ef,
    };
    uint16_t crc = 0;
    for (size_t i = 0; i < n; i++) {
        crc = (uint16_t)((crc << 4) ^ nibble[((crc >> 12) ^ (p[i] >> 4)) & 0xFu]);
        crc = (uint16_t)((crc << 4) ^ nibble[((crc >> 12) ^ p[i]) & 0xFu]);
    }
    return crc;
}

static int
xfer(struct sd_spi *sd, const uint8_t *tx, uint8_t *rx, size_t len)
{
    sd->clocked += (uint32_t)len;
    return sd->tp->transfer(sd->tp->ctx, tx, rx, len);
}

/* -ENODEV (the card is gone) explains every other error; else the first. */
static int
first_error(int first, int later)
{
    return later == -ENODEV || first == 0 ? later : first;
}

/* Clock bytes until the card releases DO (reads 0xFF: not busy). */
static int
wait_ready(struct sd_spi *sd, uint32_t timeout_us)
{
    struct sd_wait w;
    wait_start(sd, &w, timeout_us);
    for (;;) {
        uint8_t b;
        int err = xfer(sd, NULL, &b, 1);
        if (err || b == 0xFF) {
            return err;
        }
        if (wait_over(sd, &w)) {
            return -ETIMEDOUT;
        }
    }
}

/* Send @cmd(@arg); its R1 goes to *@r1 and @n more response bytes (R3, R7:
 * 4; R2: 1) to @resp. Up to N_CR bytes of 0xFF come before R1. The card
 * must be ready first: besides, a card that
 * has just answered needs a byte clocked before it takes the next command
 * (N_RC; QEMU's card loses that command's first byte otherwise). CMD12
 * interrupts a data stream, so it neither waits nor takes the first byte
 * after it (a stuff byte) for its answer.
 * Returns: 0 whatever R1 says, -ENODEV (no R1 within N_CR), -ETIMEDOUT
 * (busy), transport errors. */
static int
command(struct sd_spi *sd, uint8_t cmd, uint32_t arg, uint8_t *r1, uint8_t *resp, size_t n)
{
    int err = 0;
    if (cmd == CMD0) {
        err = xfer(sd, NULL, NULL, 1);
    } else if (cmd != CMD12) {
        err = wait_ready(sd, WRITE_TIMEOUT_US);
    }
    uint8_t frame[6] = {(uint8_t)(0x40u | cmd), (uint8_t)(arg >> 24), (uint8_t)(arg >> 16),
                        (uint8_t)(arg >> 8), (uint8_t)arg, 0};
    frame[5] = (uint8_t)((crc7(frame, 5) << 1) | 1u);
    if (!err) {
        err = xfer(sd, frame, NULL, sizeof(frame));
    }
    if (!err && cmd == CMD12) {
        err = xfer(sd, NULL, NULL, 1);
    }
    for (int i = 0; !err && i <= NCR_MAX; i++) {
        err = xfer(sd, NULL, r1, 1);
        if (!err && (*r1 & 0x80u) == 0) {
            return n > 0 ? xfer(sd, NULL, resp, n) : 0;
        }
    }
    return err ? err : -ENODEV;
}

/* R1 error bits as an errno (the idle bit aside). */
static int
r1_error(uint8_t r1)
{
    if (r1 & (R1_ADDRESS | R1_PARAMETER)) {
        return -EINVAL;
    }
    if (r1 & R1_ILLEGAL) {
        return -ENOTSUP;
    }
    return (r1 & (R1_COM_CRC | R1_ERASE_RESET | R1_ERASE_SEQ)) ? -EIO : 0;
}

/* A command to an initialised card, where any R1 bit is an error. A CRC
 * error is sent again once; an idle card has been reset (power, or another
 * card) and must be probed again. */
static int
command_ready(struct sd_spi *sd, uint8_t cmd, uint32_t arg, uint8_t *resp, size_t n)
{
    uint8_t r1 = 0;
    int err = command(sd, cmd, arg, &r1, resp, n);
    if (!err && (r1 & R1_COM_CRC)) {
        err = command(sd, cmd, arg, &r1, resp, n);
    }
    if (err) {
        return err;
    }
    if (r1 & R1_IDLE) {
        sd->ready = false;
        return -EIO;
    }
    return r1_error(r1);
}

/* Wait for a data block's start token, then read @len bytes and the CRC.
 * Returns: 0, -EBADMSG (CRC mismatch), -ETIMEDOUT (no token), -EINVAL
 * (error token: out of range), -EIO (another error token, or garbage). */
static int
read_block(struct sd_spi *sd, uint8_t *buf, size_t len)
{
    struct sd_wait w;
    wait_start(sd, &w, READ_TIMEOUT_US);
    uint8_t token;
    do {
        int err = xfer(sd, NULL, &token, 1);
        if (err) {
            return err;
        }
        if (token == 0xFF && wait_over(sd, &w)) {
            return -ETIMEDOUT;
        }
    } while (token == 0xFF);
    if (token != TOKEN_START) {
        return (token & 0xE0u) == 0 && (token & ERR_TOKEN_OUT_OF_RANGE) ? -EINVAL : -EIO;
    }
    uint8_t crc[2];
    int err = xfer(sd, NULL, buf, len);
    if (!err) {
        err = xfer(sd, NULL, crc, sizeof(crc));
    }
    if (!err && crc16(buf, len) != (uint16_t)((crc[0] << 8) | crc[1])) {
        err = -EBADMSG;
    }
    return err;
}

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
    int err = command_ready(sd, multi ? CMD18 : CMD17, card_address(sd, *sector), NULL, 0);
    if (err) {
        return err;
    }
    while (!err && *count > 0) {
        err = read_block(sd, *buf, SECTOR);
        if (!err) {
            (*sector)++;
            *buf += SECTOR;
            (*count)--;
        }
    }
    if (multi && err != -ENODEV) {
        /* CMD12 ends the stream, even after an error; R1b: busy after. */
        int stop = command_ready(sd, CMD12, 0, NULL, 0);
        if (!stop) {
            stop = wait_ready(sd, READ_TIMEOUT_US);
        }
        err = first_error(err, stop);
    }
    return err;
}

/* Send one data block after @token, then check the data response and wait
 * while the card programs it. */
static int
write_block(struct sd_spi *sd, uint8_t token, const uint8_t *data)
{
    const uint8_t head[2] = {0xFF, token}; /* a byte's gap (N_WR), the token */
    uint16_t crc = crc16(data, SECTOR);
    const uint8_t tail[2] = {(uint8_t)(crc >> 8), (uint8_t)crc};
    int err = xfer(sd, head, NULL, sizeof(head));
    if (!err) {
        err = xfer(sd, data, NULL, SECTOR);
    }
    if (!err) {
        err = xfer(sd, tail, NULL, sizeof(tail));
    }
    uint8_t response = 0xFF;
    for (int i = 0; !err && response == 0xFF && i < DATA_RESPONSE_POLLS; i++) {
        err = xfer(sd, NULL, &response, 1);
    }
    if (err) {
        return err;
    }
    if (response == 0xFF) {
        return -ENODEV; /* nobody took the block */
    }
    if ((response & DATA_RESPONSE_MASK) != DATA_ACCEPTED) {
        return -EIO; /* CRC error (0x0B), write error (0x0D) or garbage */
    }
    return wait_ready(sd, WRITE_TIMEOUT_US);
}

/* CMD13: errors found while programming show only here. */
static int
check_status(struct sd_spi *sd)
{
    uint8_t status = 0;
    int err = command_ready(sd, CMD13, 0, &status, 1);
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
    int err = command_ready(sd, multi ? CMD25 : CMD24, card_address(sd, sector), NULL, 0);
    if (err) {
        return err;
    }
    for (uint32_t i = 0; i < count && !err; i++) {
        err = write_block(sd, multi ? TOKEN_MULTI_WRITE : TOKEN_START, buf + (size_t)i * SECTOR);
    }
    if (err == -ENODEV || err == -ETIMEDOUT) {
        return err; /* the card does not answer: nothing to stop or ask */
    }
    if (multi) {
        /* Stop Tran ends the stream, even after a rejected block; one byte
         * later (N_BR) the card shows busy until it has programmed. */
        const uint8_t stop[2] = {TOKEN_STOP_TRAN, 0xFF};
        int stop_err = xfer(sd, stop, NULL, sizeof(stop));
        if (!stop_err) {
            stop_err = wait_ready(sd, WRITE_TIMEOUT_US);
        }
        err = first_error(err, stop_err);
    }
    /* The status also clears the card's error bits after a failure. */
    return first_error(err, check_status(sd));
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
    return command(sd, CMD58, 0, &r1, r3, sizeof(r3)) == -ENODEV ? -ENODEV : err;
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
    int end = xfer(sd, NULL, NULL, 1);
    sd->tp->release(sd->tp->ctx);
    err = first_error(err, end);
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
        int err = command(sd, CMD0, 0, &r1, NULL, 0);
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
    int err = command(sd, CMD8, CMD8_CHECK, &r1, r7, sizeof(r7));
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
    wait_start(sd, &w, INIT_TIMEOUT_US);
    for (;;) {
        uint8_t r1 = 0;
        int err = command(sd, CMD55, 0, &r1, NULL, 0);
        if (!err && (r1 & ~R1_IDLE) == 0) {
            err = command(sd, ACMD41, v2 ? ACMD41_HCS : 0, &r1, NULL, 0);
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
        if (wait_over(sd, &w)) {
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
    int err = command(sd, CMD58, 0, &r1, r3, sizeof(r3));
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
    int err = command_ready(sd, CMD9, 0, NULL, 0);
    if (!err) {
        err = read_block(sd, csd, sizeof(sd->csd));
    }
    if (err) {
        return err == -EBADMSG ? -EIO : err;
    }
    if (((crc7(csd, 15) << 1) | 1u) != csd[15]) {
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
        err = command(sd, CMD59, 1, &r1, NULL, 0);
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
        err = command_ready(sd, CMD16, SECTOR, NULL, 0);
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
        err = xfer(sd, NULL, NULL, 10);
    }
    if (!err) {
        sd->tp->select(sd->tp->ctx, true);
        err = gone_or(sd, probe_selected(sd));
    }
    sd->tp->select(sd->tp->ctx, false);
    err = first_error(err, xfer(sd, NULL, NULL, 1));
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
