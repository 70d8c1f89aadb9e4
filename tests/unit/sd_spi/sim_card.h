/* SPDX-License-Identifier: MIT */
/* A simulated SD card in SPI mode for the host tests of drivers/blk/sd_spi.c:
 * byte by byte what the card sends back on MISO for what it receives on
 * MOSI, with CRC7 checked on every command and CRC16 on written data, and
 * faults to inject at any step. Written from the SD Physical Layer
 * Simplified Specification, chapter 7. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sd_spi.h"

enum sim_type {
    SIM_SDSC_V1, /* no CMD8, byte addresses, CSD version 1 */
    SIM_SDSC,    /* version 2, byte addresses, CSD version 1 */
    SIM_SDHC,    /* version 2, block addresses, CSD version 2 */
    SIM_MMC,     /* knows neither CMD8 nor ACMD41 */
};

/* What a faulty command does instead of its normal answer. */
enum sim_cmd_fault {
    SIM_CMD_OK,
    SIM_CMD_SILENT, /* no response at all */
    SIM_CMD_R1,     /* the R1 given in fault_r1 */
};

#define SIM_NEVER UINT32_MAX

struct sim_card {
    /* Set up by sim_card_init(), then adjusted by a test. */
    enum sim_type type;
    uint32_t sectors;
    uint8_t *mem;          /* sectors * 512 bytes */
    bool present;
    unsigned ncr;          /* bytes of 0xFF before each response (1..8) */
    unsigned nac;          /* bytes of 0xFF before each data token */
    unsigned busy_bytes;   /* bytes of busy after a written block */
    unsigned init_polls;   /* ACMD41s answered idle before ready */

    /* Faults. Block numbers count data blocks from the start of the run:
     * read_blocks for blocks sent (the CSD included), write_blocks for
     * blocks received. */
    int fault_cmd;                 /* command (ACMD41 as 41) or -1 */
    uint32_t fault_nth;            /* its occurrence (0 first), SIM_NEVER: every one */
    enum sim_cmd_fault fault_kind;
    uint8_t fault_r1;
    uint32_t bad_crc_from, bad_crc_count; /* read blocks sent with a wrong CRC16 */
    uint32_t error_token_at;              /* this read block is an error token */
    uint8_t error_token;
    uint32_t no_token_at;                 /* this read block never starts */
    uint32_t reject_at;                   /* this written block is refused */
    uint8_t reject_response;              /* 0x0B (CRC error) or 0x0D (write error) */
    uint32_t stuck_busy_at;               /* busy for ever after this written block */
    uint64_t remove_at;                   /* removed once this many bytes were clocked */
    bool bad_cmd8_echo, bad_csd_crc, never_ready, refuse_voltage;
    uint8_t status_fault;                 /* ORed into every CMD13 status byte */

    /* What happened. */
    uint64_t bytes;            /* clocked in all */
    uint64_t now_ns;           /* time at the clock the host set */
    uint32_t hz;               /* the host's clock */
    uint32_t read_blocks, write_blocks;
    unsigned cmd_seen[64];     /* commands taken, by index (ACMD41 as 41) */
    unsigned crc7_errors, crc16_errors;
    bool fast_before_init;     /* a command above 400 kHz before the card was ready */
    unsigned acquired;         /* the bus is held (acquire - release) */
    bool selected_unheld;      /* CS driven while the bus was not held */

    /* Card state. */
    bool spi_mode, idle, app_cmd, crc_on, selected, removed;
    uint32_t ready_in;
    uint32_t clocks_high; /* bytes clocked with CS high since power up */
    uint8_t frame[6];
    unsigned frame_len;
    int mode;             /* internal: what the next bytes mean */
    uint32_t addr;        /* sector of the transfer under way */
    uint8_t status2;      /* R2's second byte: errors since the last CMD13 */
    uint8_t block[514];   /* a block being received (data and CRC) */
    unsigned block_len;
    uint8_t out[1100];    /* queued for MISO */
    unsigned out_head, out_len;
    uint32_t busy_left;
    bool multi, stuck;
};

/* A card of @type with @sectors sectors over @mem (zeroed), present, with
 * no faults and short delays. */
void sim_card_init(struct sim_card *c, enum sim_type type, uint32_t sectors, uint8_t *mem);

/* A transport (sd_spi.h) on the card; with_clock gives now_us from the
 * simulated time, otherwise the driver has counts only. */
void sim_card_transport(struct sim_card *c, struct sd_spi_transport *tp, bool with_clock);

/* The reference CRCs (bitwise, independent of the driver's). */
uint8_t sim_crc7(const uint8_t *p, size_t n);
uint16_t sim_crc16(const uint8_t *p, size_t n);
