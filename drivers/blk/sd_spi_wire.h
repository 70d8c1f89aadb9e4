/* SPDX-License-Identifier: MIT */
/* The SD card's SPI wire protocol, shared by the two halves of the driver:
 * sd_spi_wire.c (bounded waits, CRC7/CRC16, commands and their responses,
 * data blocks) and sd_spi.c (sector I/O, the block device, initialisation).
 * Private to drivers/blk/. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_spi.h"

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

/* Each is described where it is defined, in sd_spi_wire.c. */
void sd_wait_start(const struct sd_spi *sd, struct sd_wait *w, uint32_t timeout_us);
bool sd_wait_over(const struct sd_spi *sd, const struct sd_wait *w);
uint8_t sd_crc7(const uint8_t *p, size_t n);
uint16_t sd_crc16(const uint8_t *p, size_t n);
int sd_xfer(struct sd_spi *sd, const uint8_t *tx, uint8_t *rx, size_t len);
int sd_first_error(int first, int later);
int sd_wait_ready(struct sd_spi *sd, uint32_t timeout_us);
int sd_command(struct sd_spi *sd, uint8_t cmd, uint32_t arg, uint8_t *r1, uint8_t *resp, size_t n);
int sd_r1_error(uint8_t r1);
int sd_command_ready(struct sd_spi *sd, uint8_t cmd, uint32_t arg, uint8_t *resp, size_t n);
int sd_read_block(struct sd_spi *sd, uint8_t *buf, size_t len);
int sd_write_block(struct sd_spi *sd, uint8_t token, const uint8_t *data);
