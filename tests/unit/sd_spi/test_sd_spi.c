/* SPDX-License-Identifier: MIT */
/* Host tests of the SD-over-SPI driver (drivers/blk/sd_spi.c) against the
 * simulated card of sim_card.c: SDSC v1, SDSC and SDHC initialise and move
 * data in single and multi-block commands; then a fault at every step (no
 * answer, R1 error bits, a bad CRC on a read block, a refused block, a card
 * stuck busy, a card pulled out at any byte, a failing bus) must give the
 * documented negative errno, always return, and never report success for
 * data the driver did not verify. The RAM block device's tests are in
 * test_ram_blk.c. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "sd_spi.h"
#include "sim_card.h"

int ram_blk_tests(void);

#define SDHC_SECTORS (8u * 1024u) /* 4 MiB: small, but C_SIZE is per 512 KiB */
#define SDSC_SECTORS 2048u        /* 1 MiB */
#define MAX_HZ 20000000u

static uint8_t mem[SDHC_SECTORS * 512];
static struct sim_card card;
static struct sd_spi_transport tp;
static struct sd_spi sd;
static uint32_t max_hz; /* MAX_HZ; lower where a test waits out a time limit */

static uint32_t
sectors_of(enum sim_type type)
{
    return type == SIM_SDHC ? SDHC_SECTORS : SDSC_SECTORS;
}

/* A fresh card of @type; the driver's transport with or without a clock. */
static void
fresh(enum sim_type type, bool clock)
{
    sim_card_init(&card, type, sectors_of(type), mem);
    sim_card_transport(&card, &tp, clock);
    max_hz = MAX_HZ;
}

static int
init(void)
{
    return sd_spi_init(&sd, "sd0", &tp, max_hz);
}

/* A fresh card of @type, initialised. */
static void
ready(enum sim_type type)
{
    fresh(type, true);
    assert_int_equal(init(), 0);
}

static void
fill(uint8_t *buf, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        buf[i] = (uint8_t)(i * 31u + seed * 7u + (i >> 9));
    }
}

/* After any call: the bus was given back and never used unheld. */
static void
bus_clean(void)
{
    assert_int_equal(card.acquired, 0);
    assert_false(card.selected_unheld);
    assert_false(card.selected);
}

/* ---- Initialisation, data, geometry ---- */

static void
check_type(enum sim_type sim, enum sd_spi_type want)
{
    ready(sim);
    assert_int_equal(sd.type, want);
    assert_true(sd.ready);
    assert_true(sd.crc_checked);
    assert_int_equal(sd.blk.geo.block_count, sectors_of(sim));
    assert_int_equal(sd.blk.geo.read_size, 512);
    assert_int_equal(sd.blk.geo.prog_size, 512);
    assert_int_equal(sd.blk.geo.erase_size, 512);
    assert_int_equal(sd.hz, MAX_HZ);
    assert_false(card.fast_before_init);
    assert_int_equal(card.crc7_errors, 0);
    assert_int_equal(card.cmd_seen[16], sim == SIM_SDHC ? 0 : 1);
    bus_clean();
}

static void
test_probe_sdhc(void **state)
{
    (void)state;
    check_type(SIM_SDHC, SD_SPI_SDHC);
    assert_true(sd.ocr & 0x40000000u);
}

static void
test_probe_sdsc(void **state)
{
    (void)state;
    check_type(SIM_SDSC, SD_SPI_SDSC);
}

static void
test_probe_sdsc_v1(void **state)
{
    (void)state;
    check_type(SIM_SDSC_V1, SD_SPI_SDSC_V1);
}

static void
test_probe_refuses_mmc(void **state)
{
    (void)state;
    fresh(SIM_MMC, true);
    assert_int_equal(init(), -ENOTSUP);
    assert_false(sd.ready);
    bus_clean();
}

static void
test_absent_card_is_enodev(void **state)
{
    (void)state;
    fresh(SIM_SDHC, false);
    card.present = false;
    assert_int_equal(init(), -ENODEV);
    uint8_t buf[512];
    uint64_t before = card.bytes;
    assert_int_equal(pica_blk_read(&sd.blk, 0, 0, buf, 512), -ENODEV);
    assert_int_equal(pica_blk_prog(&sd.blk, 0, 0, buf, 512), -ENODEV);
    assert_int_equal(pica_blk_erase(&sd.blk, 0, 1), -ENODEV);
    assert_int_equal(pica_blk_sync(&sd.blk), -ENODEV);
    assert_int_equal(card.bytes, before); /* not even tried */
    /* Inserted later: a probe finds it. */
    card.present = true;
    assert_int_equal(sd_spi_probe(&sd), 0);
    assert_int_equal(pica_blk_read(&sd.blk, 0, 0, buf, 512), 0);
    bus_clean();
}

static void
test_init_refuses_bad_arguments(void **state)
{
    (void)state;
    fresh(SIM_SDHC, true);
    struct sd_spi_transport bad = tp;
    bad.select = NULL;
    assert_int_equal(sd_spi_init(NULL, "sd0", &tp, MAX_HZ), -EINVAL);
    assert_int_equal(sd_spi_init(&sd, NULL, &tp, MAX_HZ), -EINVAL);
    assert_int_equal(sd_spi_init(&sd, "sd0", NULL, MAX_HZ), -EINVAL);
    assert_int_equal(sd_spi_init(&sd, "sd0", &bad, MAX_HZ), -EINVAL);
    assert_int_equal(sd_spi_init(&sd, "sd0", &tp, 0), -EINVAL);
    assert_int_equal(card.bytes, 0);
    assert_int_equal(sd_spi_init(&sd, "sd0", &tp, 100000000u), 0);
    assert_int_equal(sd.hz, SD_SPI_MAX_HZ); /* capped at default speed */
}

/* Write @count sectors at @sector, check the card's memory, read back. */
static void
round_trip(uint32_t sector, uint32_t count, unsigned seed)
{
    static uint8_t out[16 * 512], in[16 * 512];
    size_t n = (size_t)count * 512;
    fill(out, n, seed);
    assert_int_equal(pica_blk_prog(&sd.blk, sector, 0, out, n), 0);
    assert_memory_equal(mem + (size_t)sector * 512, out, n);
    memset(in, 0, n);
    assert_int_equal(pica_blk_read(&sd.blk, sector, 0, in, n), 0);
    assert_memory_equal(in, out, n);
    bus_clean();
}

static void
data_paths(enum sim_type type)
{
    ready(type);
    uint32_t last = sectors_of(type) - 1;
    round_trip(0, 1, 1);
    round_trip(7, 5, 2);
    round_trip(last, 1, 3);
    round_trip(last - 15, 16, 4);
    assert_int_equal(card.cmd_seen[17], 2);
    assert_int_equal(card.cmd_seen[18], 2);
    assert_int_equal(card.cmd_seen[12], 2);
    assert_int_equal(card.cmd_seen[24], 2);
    assert_int_equal(card.cmd_seen[25], 2);
    assert_int_equal(card.cmd_seen[13], 4); /* status after every write */
    assert_int_equal(card.crc16_errors, 0);
    assert_int_equal(card.crc7_errors, 0);
    assert_int_equal(sd.crc_retries, 0);
    assert_int_equal(pica_blk_erase(&sd.blk, 0, 4), 0);
    assert_int_equal(pica_blk_sync(&sd.blk), 0);
}

static void
test_data_sdhc(void **state)
{
    (void)state;
    data_paths(SIM_SDHC);
}

static void
test_data_sdsc(void **state)
{
    (void)state;
    data_paths(SIM_SDSC);
}

static void
test_data_sdsc_v1(void **state)
{
    (void)state;
    data_paths(SIM_SDSC_V1);
}

/* The slowest answers the specification allows still work. */
static void
test_slow_card(void **state)
{
    (void)state;
    fresh(SIM_SDHC, true);
    card.ncr = 8;
    card.nac = 200;
    card.busy_bytes = 5000;
    card.init_polls = 300;
    assert_int_equal(init(), 0);
    round_trip(3, 3, 5);
}

static void
test_out_of_range_is_einval_before_the_bus(void **state)
{
    (void)state;
    ready(SIM_SDHC);
    uint8_t buf[1024];
    uint64_t before = card.bytes;
    assert_int_equal(pica_blk_read(&sd.blk, SDHC_SECTORS, 0, buf, 512), -EINVAL);
    assert_int_equal(pica_blk_read(&sd.blk, SDHC_SECTORS - 1, 0, buf, 1024), -EINVAL);
    assert_int_equal(pica_blk_read(&sd.blk, 0, 0, buf, 100), -EINVAL);
    assert_int_equal(pica_blk_prog(&sd.blk, 0, 256, buf, 512), -EINVAL);
    assert_int_equal(pica_blk_erase(&sd.blk, SDHC_SECTORS - 1, 2), -EINVAL);
    assert_int_equal(card.bytes, before);
}

/* ---- A fault at every step of the initialisation ---- */

struct init_fault {
    enum sim_type type;
    int cmd;
    enum sim_cmd_fault kind;
    uint8_t r1;
    int want;
};

static void
test_init_fault_at_every_command(void **state)
{
    (void)state;
    static const struct init_fault faults[] = {
        {SIM_SDHC, 0, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 0, SIM_CMD_R1, 0x00, -EIO}, /* answers, never idle */
        {SIM_SDHC, 8, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 8, SIM_CMD_R1, 0x09, -EIO},
        {SIM_SDHC, 59, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 59, SIM_CMD_R1, 0x41, -EIO},
        {SIM_SDHC, 55, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 55, SIM_CMD_R1, 0x05, -ENOTSUP},
        {SIM_SDHC, 41, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 41, SIM_CMD_R1, 0x05, -ENOTSUP},
        {SIM_SDHC, 41, SIM_CMD_R1, 0x09, -EIO},
        {SIM_SDHC, 41, SIM_CMD_R1, 0x01, -ETIMEDOUT}, /* idle for ever */
        {SIM_SDHC, 58, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 58, SIM_CMD_R1, 0x08, -EIO},
        {SIM_SDSC, 16, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDSC, 16, SIM_CMD_R1, 0x40, -EINVAL},
        {SIM_SDHC, 9, SIM_CMD_SILENT, 0, -ENODEV},
        {SIM_SDHC, 9, SIM_CMD_R1, 0x04, -ENOTSUP},
        {SIM_SDHC, 9, SIM_CMD_R1, 0x01, -EIO}, /* back in idle: reset */
    };
    for (size_t i = 0; i < sizeof(faults) / sizeof(faults[0]); i++) {
        for (int clock = 0; clock < 2; clock++) {
            const struct init_fault *f = &faults[i];
            fresh(f->type, clock);
            card.fault_cmd = f->cmd;
            card.fault_nth = SIM_NEVER;
            card.fault_kind = f->kind;
            card.fault_r1 = f->r1;
            int err = init();
            if (err != f->want) {
                fail_msg("fault %zu (CMD%d, clock %d): got %d, want %d", i, f->cmd, clock, err,
                         f->want);
            }
            assert_false(sd.ready);
            assert_int_equal(sd.blk.geo.block_count, 0);
            bus_clean();
        }
    }
}

static void
test_cmd59_unknown_goes_on_without_crc(void **state)
{
    (void)state;
    fresh(SIM_SDHC, true);
    card.fault_cmd = 59;
    card.fault_nth = SIM_NEVER;
    card.fault_kind = SIM_CMD_R1;
    card.fault_r1 = 0x05;
    assert_int_equal(init(), 0);
    assert_false(sd.crc_checked);
}

static void
test_init_bad_answers(void **state)
{
    (void)state;
    fresh(SIM_SDHC, true);
    card.bad_cmd8_echo = true;
    assert_int_equal(init(), -EIO);
    fresh(SIM_SDHC, true);
    card.refuse_voltage = true;
    assert_int_equal(init(), -ENOTSUP);
    fresh(SIM_SDHC, true);
    card.bad_csd_crc = true;
    assert_int_equal(init(), -EIO);
    fresh(SIM_SDHC, true);
    card.bad_crc_from = 0; /* the CSD is read block 0 */
    card.bad_crc_count = 1;
    assert_int_equal(init(), -EIO);
    fresh(SIM_SDHC, true);
    card.no_token_at = 0;
    assert_int_equal(init(), -ETIMEDOUT);
    fresh(SIM_SDHC, true);
    card.fault_cmd = 0; /* the first CMD0s get no answer, a later one does */
    card.fault_nth = 0;
    card.fault_kind = SIM_CMD_SILENT;
    assert_int_equal(init(), 0);
}

/* A card that never leaves idle: ACMD41 is given up after 1 s by the clock,
 * or by the byte count where there is none. */
static void
test_never_ready_times_out(void **state)
{
    (void)state;
    for (int clock = 0; clock < 2; clock++) {
        fresh(SIM_SDHC, clock);
        card.never_ready = true;
        assert_int_equal(init(), -ETIMEDOUT);
        uint64_t ms = card.now_ns / 1000000u;
        assert_true(ms >= (clock ? 1000u : 1500u) && ms <= 2200u);
    }
}

/* ---- Reads ---- */

static void
test_read_crc_error_read_again(void **state)
{
    (void)state;
    ready(SIM_SDHC);
    uint8_t buf[3 * 512];
    fill(mem + 512, sizeof(buf), 9);
    card.bad_crc_from = card.read_blocks; /* the first block of the next read */
    card.bad_crc_count = 1;
    assert_int_equal(pica_blk_read(&sd.blk, 1, 0, buf, 512), 0);
    assert_memory_equal(buf, mem + 512, 512);
    assert_int_equal(sd.crc_retries, 1);
    card.bad_crc_from = card.read_blocks + 1; /* the second of three */
    assert_int_equal(pica_blk_read(&sd.blk, 1, 0, buf, sizeof(buf)), 0);
    assert_memory_equal(buf, mem + 512, sizeof(buf));
    assert_int_equal(sd.crc_retries, 2);
    assert_int_equal(card.cmd_seen[18], 2); /* resumed at the failed block */
    bus_clean();
}

static void
test_read_crc_error_twice_is_eio(void **state)
{
    (void)state;
    for (uint32_t count = 1; count <= 3; count += 2) {
        ready(SIM_SDHC);
        uint8_t buf[3 * 512];
        card.bad_crc_from = card.read_blocks + count - 1; /* the last block on */
        card.bad_crc_count = 1000;
        assert_int_equal(pica_blk_read(&sd.blk, 1, 0, buf, count * 512), -EIO);
        assert_true(sd.ready); /* the card is fine, the line is not */
        bus_clean();
    }
}

static void
test_read_error_tokens(void **state)
{
    (void)state;
    static const struct {
        uint8_t token;
        int want;
    } cases[] = {{0x01, -EIO}, {0x02, -EIO}, {0x04, -EIO}, {0x08, -EINVAL}, {0x10, -EIO}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (uint32_t count = 1; count <= 2; count++) {
            ready(SIM_SDSC);
            uint8_t buf[2 * 512];
            card.error_token_at = card.read_blocks + count - 1;
            card.error_token = cases[i].token;
            assert_int_equal(pica_blk_read(&sd.blk, 4, 0, buf, count * 512), cases[i].want);
            bus_clean();
        }
    }
}

static void
test_read_without_token_times_out(void **state)
{
    (void)state;
    for (int clock = 0; clock < 2; clock++) {
        for (uint32_t count = 1; count <= 2; count++) {
            fresh(SIM_SDHC, clock);
            max_hz = 1000000;
            assert_int_equal(init(), 0);
            uint8_t buf[2 * 512];
            card.no_token_at = card.read_blocks + count - 1;
            uint64_t t0 = card.now_ns;
            assert_int_equal(pica_blk_read(&sd.blk, 0, 0, buf, count * 512), -ETIMEDOUT);
            uint64_t ms = (card.now_ns - t0) / 1000000u;
            assert_true(ms >= 100 && ms <= 250);
            bus_clean();
        }
    }
}

static void
test_read_command_faults(void **state)
{
    (void)state;
    static const struct {
        int cmd;
        enum sim_cmd_fault kind;
        uint8_t r1;
        uint32_t count;
        int want;
        bool still_ready;
    } cases[] = {
        {17, SIM_CMD_SILENT, 0, 1, -ENODEV, false},
        {17, SIM_CMD_R1, 0x20, 1, -EINVAL, true},
        {17, SIM_CMD_R1, 0x40, 1, -EINVAL, true},
        {17, SIM_CMD_R1, 0x04, 1, -ENOTSUP, true},
        {17, SIM_CMD_R1, 0x01, 1, -EIO, false}, /* the card was reset */
        {17, SIM_CMD_R1, 0x10, 1, -EIO, true},
        {18, SIM_CMD_SILENT, 0, 2, -ENODEV, false},
        {18, SIM_CMD_R1, 0x20, 2, -EINVAL, true},
        {12, SIM_CMD_SILENT, 0, 2, -ENODEV, false},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        ready(SIM_SDHC);
        uint8_t buf[2 * 512];
        card.fault_cmd = cases[i].cmd;
        card.fault_nth = SIM_NEVER;
        card.fault_kind = cases[i].kind;
        card.fault_r1 = cases[i].r1;
        int err = pica_blk_read(&sd.blk, 2, 0, buf, cases[i].count * 512);
        if (err != cases[i].want || sd.ready != cases[i].still_ready) {
            fail_msg("case %zu: got %d ready %d", i, err, sd.ready);
        }
        if (!sd.ready) {
            uint64_t before = card.bytes;
            assert_int_equal(pica_blk_read(&sd.blk, 2, 0, buf, 512), -ENODEV);
            assert_int_equal(card.bytes, before);
        }
        bus_clean();
    }
}

/* ---- Writes ---- */

static void
test_write_rejected(void **state)
{
    (void)state;
    static const uint8_t responses[] = {0x0B, 0x0D, 0x07};
    for (size_t i = 0; i < sizeof(responses); i++) {
        for (uint32_t count = 1; count <= 3; count++) {
            ready(SIM_SDHC);
            uint8_t buf[3 * 512];
            fill(buf, sizeof(buf), 11);
            card.reject_at = card.write_blocks + count - 1; /* the last block */
            card.reject_response = responses[i];
            assert_int_equal(pica_blk_prog(&sd.blk, 6, 0, buf, count * 512), -EIO);
            bus_clean();
            /* The card was left ready for more. */
            round_trip(6, count, 12);
        }
    }
}

static void
test_write_stuck_busy_times_out(void **state)
{
    (void)state;
    for (int clock = 0; clock < 2; clock++) {
        for (uint32_t count = 1; count <= 2; count++) {
            fresh(SIM_SDHC, clock);
            max_hz = 1000000;
            assert_int_equal(init(), 0);
            uint8_t buf[2 * 512] = {0};
            card.stuck_busy_at = card.write_blocks;
            uint64_t t0 = card.now_ns;
            assert_int_equal(pica_blk_prog(&sd.blk, 0, 0, buf, count * 512), -ETIMEDOUT);
            uint64_t ms = (card.now_ns - t0) / 1000000u;
            /* 500 ms, then as long again asking whether the card is there. */
            assert_true(ms >= 1000 && ms <= 2200);
            bus_clean();
            /* Still busy: the next call times out too, it does not hang. */
            assert_int_equal(pica_blk_prog(&sd.blk, 0, 0, buf, 512), -ETIMEDOUT);
        }
    }
}

static void
test_write_command_and_status_faults(void **state)
{
    (void)state;
    /* cmd 0 stands for the write command: CMD24 for one block, CMD25 for two. */
    static const struct {
        int cmd;
        enum sim_cmd_fault kind;
        uint8_t r1;
        uint8_t status;
        int want;
    } cases[] = {
        {0, SIM_CMD_SILENT, 0, 0, -ENODEV},
        {0, SIM_CMD_R1, 0x20, 0, -EINVAL},
        {0, SIM_CMD_R1, 0x40, 0, -EINVAL},
        {0, SIM_CMD_R1, 0x04, 0, -ENOTSUP},
        {0, SIM_CMD_R1, 0x08, 0, -EIO}, /* CRC error twice */
        {0, SIM_CMD_R1, 0x01, 0, -EIO}, /* the card was reset */
        {13, SIM_CMD_SILENT, 0, 0, -ENODEV},
        {13, SIM_CMD_R1, 0x01, 0, -EIO},
        {-1, SIM_CMD_OK, 0, 0x20, -EROFS},  /* write protect violation */
        {-1, SIM_CMD_OK, 0, 0x80, -EINVAL}, /* out of range */
        {-1, SIM_CMD_OK, 0, 0x04, -EIO},    /* general error */
        {-1, SIM_CMD_OK, 0, 0x10, -EIO},    /* ECC failed */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (uint32_t count = 1; count <= 2; count++) {
            ready(SIM_SDSC);
            uint8_t buf[2 * 512] = {0};
            card.fault_cmd = cases[i].cmd == 0 ? (count == 1 ? 24 : 25) : cases[i].cmd;
            card.fault_nth = SIM_NEVER;
            card.fault_kind = cases[i].kind;
            card.fault_r1 = cases[i].r1;
            card.status_fault = cases[i].status;
            int err = pica_blk_prog(&sd.blk, 1, 0, buf, count * 512);
            if (err != cases[i].want) {
                fail_msg("case %zu count %u: got %d", i, count, err);
            }
            bus_clean();
        }
    }
}

/* A command the card got with a broken CRC is sent again once. */
static void
test_command_crc_error_sent_again(void **state)
{
    (void)state;
    ready(SIM_SDHC);
    uint8_t buf[512];
    fill(buf, sizeof(buf), 3);
    card.fault_cmd = 24;
    card.fault_nth = 0;
    card.fault_kind = SIM_CMD_R1;
    card.fault_r1 = 0x08;
    assert_int_equal(pica_blk_prog(&sd.blk, 9, 0, buf, 512), 0);
    assert_memory_equal(mem + 9 * 512, buf, 512);
    assert_int_equal(card.cmd_seen[24], 2);
}

/* ---- The card pulled out at every byte of an operation ---- */

enum op { OP_READ, OP_WRITE };

static void
remove_at_every_byte(enum sim_type type, enum op op, uint32_t count)
{
    static uint8_t buf[4 * 512], want[4 * 512];
    size_t n = (size_t)count * 512;
    /* How many bytes the whole operation clocks. */
    ready(type);
    fill(mem + 3 * 512, n, 21);
    fill(want, n, 22);
    uint64_t start = card.bytes;
    assert_int_equal(op == OP_READ ? pica_blk_read(&sd.blk, 3, 0, buf, n)
                                   : pica_blk_prog(&sd.blk, 3, 0, want, n),
                     0);
    uint64_t total = card.bytes - start;
    for (uint64_t cut = 0; cut <= total; cut++) {
        ready(type);
        fill(mem + 3 * 512, n, 21);
        if (op == OP_READ) {
            memcpy(want, mem + 3 * 512, n);
        }
        memset(buf, 0xA5, n);
        card.remove_at = card.bytes + cut;
        int err = op == OP_READ ? pica_blk_read(&sd.blk, 3, 0, buf, n)
                                : pica_blk_prog(&sd.blk, 3, 0, want, n);
        bus_clean();
        if (err == 0) {
            /* Success only for what was verified: every CRC read, or every
             * block accepted and the status checked. */
            assert_memory_equal(op == OP_READ ? buf : mem + 3 * 512, want, n);
            continue;
        }
        if (err != -ENODEV) {
            fail_msg("%s of %u cut at %llu of %llu: got %d", op == OP_READ ? "read" : "write",
                     count, (unsigned long long)cut, (unsigned long long)total, err);
        }
        assert_false(sd.ready);
    }
}

static void
test_removed_during_reads(void **state)
{
    (void)state;
    remove_at_every_byte(SIM_SDHC, OP_READ, 1);
    remove_at_every_byte(SIM_SDSC, OP_READ, 3);
}

static void
test_removed_during_writes(void **state)
{
    (void)state;
    remove_at_every_byte(SIM_SDHC, OP_WRITE, 1);
    remove_at_every_byte(SIM_SDSC_V1, OP_WRITE, 3);
}

static void
test_removed_during_init(void **state)
{
    (void)state;
    fresh(SIM_SDHC, true);
    assert_int_equal(init(), 0);
    uint64_t total = card.bytes;
    for (uint64_t cut = 0; cut < total - 1; cut++) {
        fresh(SIM_SDHC, cut % 2);
        card.remove_at = cut;
        int err = init();
        if (err != -ENODEV && err != -EIO && err != -ETIMEDOUT) {
            fail_msg("cut at %llu: got %d", (unsigned long long)cut, err);
        }
        assert_false(sd.ready);
        bus_clean();
    }
}

/* ---- The bus fails ---- */

static int bus_error;
static uint64_t transfers, fail_from; /* transfers from fail_from on fail */

static int
failing_acquire(void *ctx)
{
    (void)ctx;
    return bus_error;
}

static int
failing_transfer(void *ctx, const uint8_t *tx, uint8_t *rx, size_t len)
{
    (void)ctx;
    if (transfers++ >= fail_from) {
        return bus_error;
    }
    return tp.transfer(tp.ctx, tx, rx, len);
}

static void
test_bus_that_cannot_be_had(void **state)
{
    (void)state;
    ready(SIM_SDHC);
    uint8_t buf[512] = {0};
    struct sd_spi_transport broken = tp;
    broken.acquire = failing_acquire;
    sd.tp = &broken;
    bus_error = -ETIMEDOUT;
    uint64_t before = card.bytes;
    assert_int_equal(pica_blk_read(&sd.blk, 0, 0, buf, 512), -ETIMEDOUT);
    assert_int_equal(pica_blk_prog(&sd.blk, 0, 0, buf, 512), -ETIMEDOUT);
    assert_int_equal(card.bytes, before);
    assert_true(sd.ready);
    assert_false(card.selected);
}

/* A transfer that fails at each point of an operation: the operation
 * returns the bus's error, whatever it was doing. */
static int
run_with_failing_bus(enum op op, uint64_t fail_at)
{
    static uint8_t buf[2 * 512];
    static struct sd_spi_transport broken;
    ready(SIM_SDSC);
    broken = tp;
    broken.transfer = failing_transfer;
    sd.tp = &broken;
    transfers = 0;
    fail_from = fail_at;
    int err = op == OP_READ ? pica_blk_read(&sd.blk, 1, 0, buf, sizeof(buf))
                            : pica_blk_prog(&sd.blk, 1, 0, buf, sizeof(buf));
    sd.tp = &tp;
    bus_clean();
    return err;
}

static void
test_bus_error_at_every_transfer(void **state)
{
    (void)state;
    bus_error = -EIO;
    for (enum op op = OP_READ; op <= OP_WRITE; op++) {
        assert_int_equal(run_with_failing_bus(op, UINT64_MAX), 0);
        uint64_t count = transfers;
        for (uint64_t k = 0; k < count; k++) {
            int err = run_with_failing_bus(op, k);
            if (err != bus_error) {
                fail_msg("op %d, transfer %llu of %llu failing: got %d", op,
                         (unsigned long long)k, (unsigned long long)count, err);
            }
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_probe_sdhc),
        cmocka_unit_test(test_probe_sdsc),
        cmocka_unit_test(test_probe_sdsc_v1),
        cmocka_unit_test(test_probe_refuses_mmc),
        cmocka_unit_test(test_absent_card_is_enodev),
        cmocka_unit_test(test_init_refuses_bad_arguments),
        cmocka_unit_test(test_data_sdhc),
        cmocka_unit_test(test_data_sdsc),
        cmocka_unit_test(test_data_sdsc_v1),
        cmocka_unit_test(test_slow_card),
        cmocka_unit_test(test_out_of_range_is_einval_before_the_bus),
        cmocka_unit_test(test_init_fault_at_every_command),
        cmocka_unit_test(test_cmd59_unknown_goes_on_without_crc),
        cmocka_unit_test(test_init_bad_answers),
        cmocka_unit_test(test_never_ready_times_out),
        cmocka_unit_test(test_read_crc_error_read_again),
        cmocka_unit_test(test_read_crc_error_twice_is_eio),
        cmocka_unit_test(test_read_error_tokens),
        cmocka_unit_test(test_read_without_token_times_out),
        cmocka_unit_test(test_read_command_faults),
        cmocka_unit_test(test_write_rejected),
        cmocka_unit_test(test_write_stuck_busy_times_out),
        cmocka_unit_test(test_write_command_and_status_faults),
        cmocka_unit_test(test_command_crc_error_sent_again),
        cmocka_unit_test(test_removed_during_reads),
        cmocka_unit_test(test_removed_during_writes),
        cmocka_unit_test(test_removed_during_init),
        cmocka_unit_test(test_bus_that_cannot_be_had),
        cmocka_unit_test(test_bus_error_at_every_transfer),
    };
    int failed = cmocka_run_group_tests_name("sd_spi", tests, NULL, NULL);
    return failed + ram_blk_tests();
}
