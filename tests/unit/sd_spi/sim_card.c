/* SPDX-License-Identifier: MIT */
/* The simulated SD card of sim_card.h: a command parser on MOSI, a queue of
 * bytes for MISO, busy and streaming states, and the injected faults. */
#include "sim_card.h"

#include <string.h>

enum {
    MODE_CMD,        /* parsing command frames */
    MODE_READ,       /* sending data blocks (CMD17/18); only CMD12 heard */
    MODE_STALL,      /* a read that never starts; only CMD12 heard */
    MODE_WRITE_WAIT, /* waiting for a start token (CMD24/25) */
    MODE_WRITE_DATA, /* receiving a block and its CRC */
};

#define R1_IDLE 0x01u
#define R1_ILLEGAL 0x04u
#define R1_COM_CRC 0x08u
#define R1_ADDRESS 0x20u
#define R1_PARAMETER 0x40u

uint8_t
sim_crc7(const uint8_t *p, size_t n)
{
    unsigned crc = 0;
    for (size_t i = 0; i < n * 8; i++) {
        unsigned bit = (p[i / 8] >> (7 - i % 8)) & 1u;
        unsigned fb = bit ^ ((crc >> 6) & 1u);
        crc = (crc << 1) & 0x7Fu;
        if (fb) {
            crc ^= 0x09u;
        }
    }
    return (uint8_t)crc;
}

uint16_t
sim_crc16(const uint8_t *p, size_t n)
{
    unsigned crc = 0;
    for (size_t i = 0; i < n * 8; i++) {
        unsigned bit = (p[i / 8] >> (7 - i % 8)) & 1u;
        unsigned fb = bit ^ ((crc >> 15) & 1u);
        crc = (crc << 1) & 0xFFFFu;
        if (fb) {
            crc ^= 0x1021u;
        }
    }
    return (uint16_t)crc;
}

void
sim_card_init(struct sim_card *c, enum sim_type type, uint32_t sectors, uint8_t *mem)
{
    memset(c, 0, sizeof(*c));
    c->type = type;
    c->sectors = sectors;
    c->mem = mem;
    c->present = true;
    c->ncr = 1;
    c->nac = 1;
    c->busy_bytes = 3;
    c->init_polls = 2;
    c->ready_in = 2;
    c->fault_cmd = -1;
    c->bad_crc_from = SIM_NEVER;
    c->error_token_at = SIM_NEVER;
    c->no_token_at = SIM_NEVER;
    c->reject_at = SIM_NEVER;
    c->stuck_busy_at = SIM_NEVER;
    c->remove_at = UINT64_MAX;
    c->hz = 100000;
    c->idle = true;
    memset(mem, 0, (size_t)sectors * 512);
}

static void
queue(struct sim_card *c, uint8_t b)
{
    if (c->out_len < sizeof(c->out)) {
        c->out[(c->out_head + c->out_len++) % sizeof(c->out)] = b;
    }
}

static uint8_t
r1(const struct sim_card *c)
{
    return c->idle ? R1_IDLE : 0;
}

/* A response replaces whatever was still queued. */
static void
respond(struct sim_card *c, uint8_t first, const uint8_t *more, size_t n)
{
    c->out_len = 0;
    for (unsigned i = 0; i < c->ncr; i++) {
        queue(c, 0xFF);
    }
    queue(c, first);
    for (size_t i = 0; i < n; i++) {
        queue(c, more[i]);
    }
}

/* A data block (token, data, CRC16) after N_AC, with the read faults. */
static void
queue_data(struct sim_card *c, const uint8_t *data, size_t n)
{
    uint32_t idx = c->read_blocks++;
    if (idx == c->no_token_at) {
        /* A single read just never comes; a stream waits for CMD12. */
        c->mode = c->multi ? MODE_STALL : MODE_CMD;
        return;
    }
    for (unsigned i = 0; i < c->nac; i++) {
        queue(c, 0xFF);
    }
    if (idx == c->error_token_at) {
        queue(c, c->error_token);
        c->mode = c->multi ? MODE_STALL : MODE_CMD;
        return;
    }
    uint16_t crc = sim_crc16(data, n);
    if (idx >= c->bad_crc_from && idx - c->bad_crc_from < c->bad_crc_count) {
        crc ^= 0x0101u;
    }
    queue(c, 0xFE);
    for (size_t i = 0; i < n; i++) {
        queue(c, data[i]);
    }
    queue(c, (uint8_t)(crc >> 8));
    queue(c, (uint8_t)crc);
}

static void
queue_sector(struct sim_card *c)
{
    if (c->addr >= c->sectors) {
        for (unsigned i = 0; i < c->nac; i++) {
            queue(c, 0xFF);
        }
        queue(c, 0x08); /* error token: out of range */
        c->mode = c->multi ? MODE_STALL : MODE_CMD;
        return;
    }
    queue_data(c, c->mem + (size_t)c->addr * 512, 512);
    c->addr++;
    if (!c->multi && c->mode == MODE_READ) {
        c->mode = MODE_CMD;
    }
}

static void
make_csd(const struct sim_card *c, uint8_t csd[16])
{
    memset(csd, 0, 16);
    if (c->type == SIM_SDHC) {
        uint32_t c_size = c->sectors / 1024 - 1;
        csd[0] = 0x40;
        csd[5] = 0x59;
        csd[7] = (uint8_t)((c_size >> 16) & 0x3F);
        csd[8] = (uint8_t)(c_size >> 8);
        csd[9] = (uint8_t)c_size;
    } else {
        /* READ_BL_LEN 9; the smallest C_SIZE_MULT whose C_SIZE fits. */
        unsigned mult = 0;
        while ((c->sectors >> (mult + 2)) > 4096) {
            mult++;
        }
        uint32_t c_size = (c->sectors >> (mult + 2)) - 1;
        csd[5] = 0x59;
        csd[6] = (uint8_t)((c_size >> 10) & 3u);
        csd[7] = (uint8_t)(c_size >> 2);
        csd[8] = (uint8_t)((c_size & 3u) << 6);
        csd[9] = (uint8_t)((mult >> 1) & 3u);
        csd[10] = (uint8_t)((mult & 1u) << 7);
    }
    csd[15] = (uint8_t)((sim_crc7(csd, 15) << 1) | 1u);
    if (c->bad_csd_crc) {
        csd[15] ^= 0x10;
    }
}

static bool
sector_of(struct sim_card *c, uint32_t arg, uint32_t *sector)
{
    if (c->type == SIM_SDHC) {
        *sector = arg;
        return true;
    }
    *sector = arg / 512;
    return arg % 512 == 0;
}

static void
start_transfer(struct sim_card *c, uint8_t cmd, uint32_t arg)
{
    uint32_t sector;
    if (c->idle) {
        respond(c, R1_IDLE | R1_ILLEGAL, NULL, 0);
        return;
    }
    if (!sector_of(c, arg, &sector)) {
        respond(c, R1_ADDRESS, NULL, 0);
        return;
    }
    respond(c, 0, NULL, 0);
    c->addr = sector;
    c->multi = cmd == 18 || cmd == 25;
    if (cmd == 17 || cmd == 18) {
        c->mode = MODE_READ;
        queue_sector(c);
    } else {
        c->mode = MODE_WRITE_WAIT;
    }
}

static void
send_op_cond(struct sim_card *c, uint32_t arg)
{
    bool hcs = (arg & 0x40000000u) != 0;
    if (c->never_ready || (c->type == SIM_SDHC && !hcs)) {
        respond(c, R1_IDLE, NULL, 0);
    } else if (c->ready_in > 0) {
        c->ready_in--;
        respond(c, R1_IDLE, NULL, 0);
    } else {
        c->idle = false;
        respond(c, 0, NULL, 0);
    }
}

/* CMD8: R7, the voltage and check pattern echoed; a version 1 card or an
 * MMC does not know it. */
static void
send_if_cond(struct sim_card *c, uint32_t arg)
{
    if (c->type != SIM_SDSC && c->type != SIM_SDHC) {
        respond(c, r1(c) | R1_ILLEGAL, NULL, 0);
        return;
    }
    uint8_t r7[4] = {0, 0, c->refuse_voltage ? 0 : (uint8_t)((arg >> 8) & 0x0F),
                     (uint8_t)(c->bad_cmd8_echo ? ~arg : arg)};
    respond(c, r1(c), r7, sizeof(r7));
}

/* CMD58: R3, the OCR; powered up and CCS only once initialised. */
static void
read_ocr(struct sim_card *c)
{
    uint32_t ocr = 0x00FF8000u;
    if (!c->idle) {
        ocr |= 0x80000000u | (c->type == SIM_SDHC ? 0x40000000u : 0);
    }
    uint8_t r3[4] = {(uint8_t)(ocr >> 24), (uint8_t)(ocr >> 16), (uint8_t)(ocr >> 8),
                     (uint8_t)ocr};
    respond(c, r1(c), r3, sizeof(r3));
}

static void
run_command(struct sim_card *c, uint8_t cmd, uint32_t arg, bool acmd)
{
    uint8_t more[1];
    uint8_t csd[16];
    switch (cmd) {
    case 0:
        c->spi_mode = true;
        c->idle = true;
        c->ready_in = c->init_polls;
        c->mode = MODE_CMD;
        respond(c, R1_IDLE, NULL, 0);
        break;
    case 8:
        send_if_cond(c, arg);
        break;
    case 59:
        c->crc_on = arg & 1u;
        respond(c, r1(c), NULL, 0);
        break;
    case 55:
        c->app_cmd = c->type != SIM_MMC;
        respond(c, r1(c) | (c->type == SIM_MMC ? R1_ILLEGAL : 0), NULL, 0);
        break;
    case 41:
        if (acmd) {
            send_op_cond(c, arg);
        } else {
            respond(c, r1(c) | R1_ILLEGAL, NULL, 0);
        }
        break;
    case 58:
        read_ocr(c);
        break;
    case 16:
        respond(c, c->idle ? R1_IDLE | R1_ILLEGAL : arg == 512 ? 0 : R1_PARAMETER, NULL, 0);
        break;
    case 9:
        if (c->idle) {
            respond(c, R1_IDLE | R1_ILLEGAL, NULL, 0);
            break;
        }
        respond(c, 0, NULL, 0);
        make_csd(c, csd);
        queue_data(c, csd, 16);
        break;
    case 13:
        more[0] = c->status2 | c->status_fault;
        c->status2 = 0;
        respond(c, r1(c), more, 1);
        break;
    case 17:
    case 18:
    case 24:
    case 25:
        start_transfer(c, cmd, arg);
        break;
    default: /* CMD12 outside a read among them */
        respond(c, r1(c) | R1_ILLEGAL, NULL, 0);
        break;
    }
}

/* CMD12 during a read: a stuff byte (bit 7 clear, so a host that takes it
 * for the answer fails), R1, then a little busy (R1b). */
static void
stop_read(struct sim_card *c)
{
    c->out_len = 0;
    queue(c, 0x3C);
    for (unsigned i = 1; i < c->ncr; i++) {
        queue(c, 0xFF);
    }
    queue(c, 0);
    queue(c, 0);
    queue(c, 0);
    c->mode = MODE_CMD;
}

/* The injected command fault, if this is its occurrence: true if it
 * replaced the answer. */
static bool
fault(struct sim_card *c, uint8_t cmd, uint32_t arg, bool acmd, unsigned seen)
{
    if (c->fault_cmd != cmd || (c->fault_nth != SIM_NEVER && c->fault_nth != seen)) {
        return false;
    }
    if (c->fault_kind == SIM_CMD_SILENT) {
        c->out_len = 0;
        c->mode = MODE_CMD;
        return true;
    }
    if (c->fault_kind == SIM_CMD_R1) {
        /* The card acted on the command; only its answer is wrong. */
        run_command(c, cmd, arg, acmd);
        respond(c, c->fault_r1, NULL, 0);
        c->mode = MODE_CMD;
        return true;
    }
    return false;
}

static void
take_frame(struct sim_card *c)
{
    uint8_t cmd = c->frame[0] & 0x3Fu;
    uint32_t arg = ((uint32_t)c->frame[1] << 24) | ((uint32_t)c->frame[2] << 16) |
                   ((uint32_t)c->frame[3] << 8) | c->frame[4];
    bool acmd = c->app_cmd && cmd != 55;
    c->app_cmd = false;
    c->frame_len = 0;
    if (c->mode == MODE_READ || c->mode == MODE_STALL) {
        if (cmd == 12 && !fault(c, cmd, arg, false, c->cmd_seen[12]++)) {
            stop_read(c);
        }
        return;
    }
    if (!c->spi_mode && (cmd != 0 || c->clocks_high < 10)) {
        return; /* still in SD mode: deaf to SPI until CMD0 after 74 clocks */
    }
    if (((sim_crc7(c->frame, 5) << 1) | 1u) != c->frame[5]) {
        c->crc7_errors++;
        respond(c, r1(c) | R1_COM_CRC, NULL, 0);
        return;
    }
    if (c->idle && c->hz > 400000) {
        c->fast_before_init = true;
    }
    if (!fault(c, cmd, arg, acmd, c->cmd_seen[cmd]++)) {
        run_command(c, cmd, arg, acmd);
    }
}

static void
end_block(struct sim_card *c)
{
    uint32_t idx = c->write_blocks++;
    uint16_t crc = (uint16_t)((c->block[512] << 8) | c->block[513]);
    uint8_t response = 0x05;
    if (idx == c->reject_at) {
        response = c->reject_response;
    } else if (c->crc_on && crc != sim_crc16(c->block, 512)) {
        c->crc16_errors++;
        response = 0x0B;
    } else if (c->addr >= c->sectors) {
        c->status2 |= 0x80; /* out of range */
        response = 0x0D;
    } else {
        memcpy(c->mem + (size_t)c->addr * 512, c->block, 512);
        c->addr++;
    }
    c->out_len = 0;
    queue(c, (uint8_t)(0xE0u | response));
    c->stuck = idx == c->stuck_busy_at;
    c->busy_left = c->busy_bytes;
    c->mode = c->multi ? MODE_WRITE_WAIT : MODE_CMD;
}

static void
take_byte(struct sim_card *c, uint8_t in)
{
    switch (c->mode) {
    case MODE_WRITE_WAIT:
        if ((in == 0xFE && !c->multi) || (in == 0xFC && c->multi)) {
            c->mode = MODE_WRITE_DATA;
            c->block_len = 0;
        } else if (in == 0xFD && c->multi) {
            c->out_len = 0;
            queue(c, 0xFF);
            c->busy_left = c->busy_bytes;
            c->mode = MODE_CMD;
        }
        return;
    case MODE_WRITE_DATA:
        c->block[c->block_len++] = in;
        if (c->block_len == sizeof(c->block)) {
            end_block(c);
        }
        return;
    default:
        if (c->frame_len == 0 && (in & 0xC0u) != 0x40u) {
            return;
        }
        c->frame[c->frame_len++] = in;
        if (c->frame_len == sizeof(c->frame)) {
            take_frame(c);
        }
        return;
    }
}

static uint8_t
next_out(struct sim_card *c)
{
    if (c->out_len == 0 && c->mode == MODE_READ && c->multi) {
        queue_sector(c);
    }
    if (c->out_len > 0) {
        uint8_t b = c->out[c->out_head];
        c->out_head = (c->out_head + 1) % sizeof(c->out);
        c->out_len--;
        return b;
    }
    if (c->stuck) {
        return 0x00;
    }
    if (c->busy_left > 0) {
        c->busy_left--;
        return 0x00;
    }
    return 0xFF;
}

static uint8_t
clock_byte(struct sim_card *c, uint8_t in)
{
    c->bytes++;
    c->now_ns += 8000000000ull / c->hz;
    if (c->bytes > c->remove_at) {
        c->removed = true;
    }
    if (!c->present || c->removed) {
        return 0xFF; /* nobody drives MISO: the pull-up */
    }
    if (!c->selected) {
        if (c->clocks_high < 1000) {
            c->clocks_high++;
        }
        return 0xFF;
    }
    uint8_t out = next_out(c);
    take_byte(c, in);
    return out;
}

static int
port_acquire(void *ctx)
{
    struct sim_card *c = ctx;
    c->acquired++;
    return 0;
}

static void
port_release(void *ctx)
{
    struct sim_card *c = ctx;
    if (c->acquired == 0 || c->selected) {
        c->selected_unheld = true;
    }
    c->acquired--;
}

static void
port_select(void *ctx, bool selected)
{
    struct sim_card *c = ctx;
    if (c->acquired == 0) {
        c->selected_unheld = true;
    }
    c->selected = selected;
    c->frame_len = 0;
}

static int
port_transfer(void *ctx, const uint8_t *tx, uint8_t *rx, size_t len)
{
    struct sim_card *c = ctx;
    if (c->acquired == 0) {
        c->selected_unheld = true;
    }
    for (size_t i = 0; i < len; i++) {
        uint8_t b = clock_byte(c, tx != NULL ? tx[i] : 0xFF);
        if (rx != NULL) {
            rx[i] = b;
        }
    }
    return 0;
}

static int
port_set_clock(void *ctx, uint32_t hz)
{
    struct sim_card *c = ctx;
    c->hz = hz;
    return 0;
}

static uint64_t
port_now_us(void *ctx)
{
    struct sim_card *c = ctx;
    return c->now_ns / 1000u;
}

void
sim_card_transport(struct sim_card *c, struct sd_spi_transport *tp, bool with_clock)
{
    *tp = (struct sd_spi_transport){
        .acquire = port_acquire,
        .release = port_release,
        .select = port_select,
        .transfer = port_transfer,
        .set_clock = port_set_clock,
        .now_us = with_clock ? port_now_us : NULL,
        .ctx = c,
    };
}
