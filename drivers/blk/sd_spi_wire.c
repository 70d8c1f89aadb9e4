/* SPDX-License-Identifier: MIT */
/* The SD card's SPI wire protocol (SD Physical Layer Simplified
 * Specification, chapter 7): bounded waits, CRC7 on commands and CRC16 on
 * data, a command and its response, one data block each way. The sector
 * I/O and initialisation on top are in sd_spi.c. */
#include "sd_spi_wire.h"

#include <errno.h>
#include <string.h>

void
sd_wait_start(const struct sd_spi *sd, struct sd_wait *w, uint32_t timeout_us)
{
    uint64_t bytes = (uint64_t)timeout_us * (sd->hz / 8u) / 1000000u * 2u + 64u;
    w->budget = bytes > UINT32_MAX / 2 ? UINT32_MAX / 2 : (uint32_t)bytes;
    w->start = sd->clocked;
    w->end_us = sd->tp->now_us != NULL ? sd->tp->now_us(sd->tp->ctx) + timeout_us : 0;
}

bool
sd_wait_over(const struct sd_spi *sd, const struct sd_wait *w)
{
    if (sd->clocked - w->start >= w->budget) {
        return true;
    }
    return sd->tp->now_us != NULL && sd->tp->now_us(sd->tp->ctx) >= w->end_us;
}

uint8_t
sd_crc7(const uint8_t *p, size_t n)
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
uint16_t
sd_crc16(const uint8_t *p, size_t n)
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

int
sd_xfer(struct sd_spi *sd, const uint8_t *tx, uint8_t *rx, size_t len)
{
    sd->clocked += (uint32_t)len;
    return sd->tp->transfer(sd->tp->ctx, tx, rx, len);
}

/* -ENODEV (the card is gone) explains every other error; else the first. */
int
sd_first_error(int first, int later)
{
    return later == -ENODEV || first == 0 ? later : first;
}

/* Clock bytes until the card releases DO (reads 0xFF: not busy). */
int
sd_wait_ready(struct sd_spi *sd, uint32_t timeout_us)
{
    struct sd_wait w;
    sd_wait_start(sd, &w, timeout_us);
    for (;;) {
        uint8_t b;
        int err = sd_xfer(sd, NULL, &b, 1);
        if (err || b == 0xFF) {
            return err;
        }
        if (sd_wait_over(sd, &w)) {
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
int
sd_command(struct sd_spi *sd, uint8_t cmd, uint32_t arg, uint8_t *r1, uint8_t *resp, size_t n)
{
    int err = 0;
    if (cmd == CMD0) {
        err = sd_xfer(sd, NULL, NULL, 1);
    } else if (cmd != CMD12) {
        err = sd_wait_ready(sd, WRITE_TIMEOUT_US);
    }
    uint8_t frame[6] = {(uint8_t)(0x40u | cmd), (uint8_t)(arg >> 24), (uint8_t)(arg >> 16),
                        (uint8_t)(arg >> 8), (uint8_t)arg, 0};
    frame[5] = (uint8_t)((sd_crc7(frame, 5) << 1) | 1u);
    if (!err) {
        err = sd_xfer(sd, frame, NULL, sizeof(frame));
    }
    if (!err && cmd == CMD12) {
        err = sd_xfer(sd, NULL, NULL, 1);
    }
    for (int i = 0; !err && i <= NCR_MAX; i++) {
        err = sd_xfer(sd, NULL, r1, 1);
        if (!err && (*r1 & 0x80u) == 0) {
            return n > 0 ? sd_xfer(sd, NULL, resp, n) : 0;
        }
    }
    return err ? err : -ENODEV;
}

/* R1 error bits as an errno (the idle bit aside). */
int
sd_r1_error(uint8_t r1)
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
int
sd_command_ready(struct sd_spi *sd, uint8_t cmd, uint32_t arg, uint8_t *resp, size_t n)
{
    uint8_t r1 = 0;
    int err = sd_command(sd, cmd, arg, &r1, resp, n);
    if (!err && (r1 & R1_COM_CRC)) {
        err = sd_command(sd, cmd, arg, &r1, resp, n);
    }
    if (err) {
        return err;
    }
    if (r1 & R1_IDLE) {
        sd->ready = false;
        return -EIO;
    }
    return sd_r1_error(r1);
}

/* Wait for a data block's start token, then read @len bytes and the CRC.
 * Returns: 0, -EBADMSG (CRC mismatch), -ETIMEDOUT (no token), -EINVAL
 * (error token: out of range), -EIO (another error token, or garbage). */
int
sd_read_block(struct sd_spi *sd, uint8_t *buf, size_t len)
{
    struct sd_wait w;
    sd_wait_start(sd, &w, READ_TIMEOUT_US);
    uint8_t token;
    do {
        int err = sd_xfer(sd, NULL, &token, 1);
        if (err) {
            return err;
        }
        if (token == 0xFF && sd_wait_over(sd, &w)) {
            return -ETIMEDOUT;
        }
    } while (token == 0xFF);
    if (token != TOKEN_START) {
        return (token & 0xE0u) == 0 && (token & ERR_TOKEN_OUT_OF_RANGE) ? -EINVAL : -EIO;
    }
    uint8_t crc[2];
    int err = sd_xfer(sd, NULL, buf, len);
    if (!err) {
        err = sd_xfer(sd, NULL, crc, sizeof(crc));
    }
    if (!err && sd_crc16(buf, len) != (uint16_t)((crc[0] << 8) | crc[1])) {
        err = -EBADMSG;
    }
    return err;
}

/* Send one data block after @token, then check the data response and wait
 * while the card programs it. */
int
sd_write_block(struct sd_spi *sd, uint8_t token, const uint8_t *data)
{
    const uint8_t head[2] = {0xFF, token}; /* a byte's gap (N_WR), the token */
    uint16_t crc = sd_crc16(data, SECTOR);
    const uint8_t tail[2] = {(uint8_t)(crc >> 8), (uint8_t)crc};
    int err = sd_xfer(sd, head, NULL, sizeof(head));
    if (!err) {
        err = sd_xfer(sd, data, NULL, SECTOR);
    }
    if (!err) {
        err = sd_xfer(sd, tail, NULL, sizeof(tail));
    }
    uint8_t response = 0xFF;
    for (int i = 0; !err && response == 0xFF && i < DATA_RESPONSE_POLLS; i++) {
        err = sd_xfer(sd, NULL, &response, 1);
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
    return sd_wait_ready(sd, WRITE_TIMEOUT_US);
}
