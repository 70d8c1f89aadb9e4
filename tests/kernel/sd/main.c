/* SPDX-License-Identifier: MIT */
/* qemu.sd, qemu.sd_sdsc and qemu.sd_absent on boards with an SD card
 * socket (PICA_BOARD_HAS_SD), run by check_sd.py with a card image it
 * prepared: sector 0 holds a plan (magic, the card's size and kind, where
 * the host wrote a pattern and where the board is to write one). The board
 * reads and checks the host's pattern, writes its own in single and
 * multi-block writes; the script then hashes that region of the image
 * itself. Also the SPI controller on the board (a PL022): full-duplex
 * transfers in its loop-back mode, a transfer stopped at its timeout when
 * the controller's interrupt never comes, and refused chip selects.
 * Built with SD_ABSENT it expects no card (the run has no image). */
#include <pica/pica.h>
#include <pica/spi.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "board_pins.h"
#include "pl022.h"
#include "sd_spi.h"
#include "sd_spi_bus.h"

#define SECTOR 512u
#define CHUNK 8u /* sectors per call at most */

static struct sd_spi *card;
static uint8_t buf[CHUNK * SECTOR];

#ifdef SD_ABSENT

PICA_TEST(sd_no_card_is_enodev)
{
    pica_assert_eq(board_sd_open(&card), -ENODEV);
    pica_assert(card != NULL);
    pica_assert_eq(pica_blk_read(&card->blk, 0, 0, buf, SECTOR), -ENODEV);
    pica_assert_eq(pica_blk_prog(&card->blk, 0, 0, buf, SECTOR), -ENODEV);
    pica_assert_eq(pica_blk_sync(&card->blk), -ENODEV);
    pica_assert_eq(board_sd_open(&card), -ENODEV); /* probed again, still none */
    printf("sd: no card (-ENODEV), as expected\n");
}

#else

struct plan {
    uint32_t sectors, seed, host_start, host_count, board_start, board_count, sdhc;
};
static struct plan plan;

/* The pattern of check_sd.py: the sector number and the seed, then bytes
 * that depend on sector, offset and seed. */
static uint8_t
pattern(uint32_t seed, uint32_t sector, unsigned i)
{
    if (i < 4) {
        return (uint8_t)(sector >> (8 * i));
    }
    if (i < 8) {
        return (uint8_t)(seed >> (8 * (i - 4)));
    }
    return (uint8_t)(sector * 131u + i * 7u + seed + (i >> 8) * 3u);
}

static uint32_t
le32(const uint8_t *p)
{
    return (uint32_t)p[0] | ((uint32_t)p[1] << 8) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[3] << 24);
}

PICA_TEST(sd_card_initialises)
{
    pica_assert_eq(board_sd_open(&card), 0);
    const struct pica_blk_geometry *g = pica_blk_geometry(&card->blk);
    static const char *const kinds[] = {"none", "SDSC v1", "SDSC", "SDHC/SDXC"};
    printf("sd: %s, %lu sectors, CRC %s, clock %lu Hz\n", kinds[card->type],
           (unsigned long)g->block_count, card->crc_checked ? "on" : "off",
           (unsigned long)board_sd_spi_bus()->configured->actual_hz);
    pica_assert_eq(g->read_size, SECTOR);
    pica_assert_eq(g->prog_size, SECTOR);
    pica_assert_eq(g->erase_size, SECTOR);
    pica_assert_eq(board_sd_open(&card), 0); /* a second open is the same card */
}

PICA_TEST(sd_reads_the_plan)
{
    pica_assert_eq(pica_blk_read(&card->blk, 0, 0, buf, SECTOR), 0);
    pica_assert_eq(memcmp(buf, "PICASD01", 8), 0);
    uint32_t *f = &plan.sectors;
    for (unsigned i = 0; i < 7; i++) {
        f[i] = le32(buf + 8 + 4 * i);
    }
    printf("sd: plan: %lu sectors, host pattern at %lu (+%lu), board's at %lu (+%lu)\n",
           (unsigned long)plan.sectors, (unsigned long)plan.host_start,
           (unsigned long)plan.host_count, (unsigned long)plan.board_start,
           (unsigned long)plan.board_count);
    pica_assert_eq(pica_blk_geometry(&card->blk)->block_count, plan.sectors);
    pica_assert_eq(card->type, plan.sdhc ? SD_SPI_SDHC : SD_SPI_SDSC);
    pica_assert_le(plan.board_count, 64);
}

/* Sectors [start, start + count) in calls of 1, 2, 3 ... CHUNK sectors. */
static void
check_region(uint32_t start, uint32_t count, uint32_t seed)
{
    uint32_t n = 1;
    for (uint32_t s = start; s < start + count; s += n, n = n % CHUNK + 1) {
        if (n > start + count - s) {
            n = start + count - s;
        }
        memset(buf, 0, sizeof(buf));
        pica_assert_eq(pica_blk_read(&card->blk, s, 0, buf, n * SECTOR), 0);
        for (uint32_t k = 0; k < n; k++) {
            for (unsigned i = 0; i < SECTOR; i++) {
                if (buf[k * SECTOR + i] != pattern(seed, s + k, i)) {
                    printf("sd: sector %lu byte %u: %02x, want %02x\n", (unsigned long)(s + k), i,
                           buf[k * SECTOR + i], pattern(seed, s + k, i));
                    pica_assert(0);
                }
            }
        }
    }
}

PICA_TEST(sd_reads_what_the_host_wrote)
{
    check_region(plan.host_start, plan.host_count, plan.seed);
}

PICA_TEST(sd_writes_a_pattern)
{
    uint32_t seed = plan.seed + 1, end = plan.board_start + plan.board_count;
    uint32_t n = 1;
    for (uint32_t s = plan.board_start; s < end; s += n, n = n % CHUNK + 1) {
        if (n > end - s) {
            n = end - s;
        }
        for (uint32_t k = 0; k < n; k++) {
            for (unsigned i = 0; i < SECTOR; i++) {
                buf[k * SECTOR + i] = pattern(seed, s + k, i);
            }
        }
        pica_assert_eq(pica_blk_prog(&card->blk, s, 0, buf, n * SECTOR), 0);
    }
    pica_assert_eq(pica_blk_sync(&card->blk), 0);
    check_region(plan.board_start, plan.board_count, seed);
    printf("sd: wrote %lu sectors at %lu\n", (unsigned long)plan.board_count,
           (unsigned long)plan.board_start);
}

PICA_TEST(sd_refuses_what_is_out_of_range)
{
    uint32_t last = plan.sectors - 1;
    pica_assert_eq(pica_blk_read(&card->blk, plan.sectors, 0, buf, SECTOR), -EINVAL);
    pica_assert_eq(pica_blk_read(&card->blk, last, 0, buf, 2 * SECTOR), -EINVAL);
    pica_assert_eq(pica_blk_read(&card->blk, last, 0, buf, 100), -EINVAL);
    pica_assert_eq(pica_blk_read(&card->blk, last, 0, buf, SECTOR), 0);
    pica_assert_eq(pica_blk_erase(&card->blk, 1, 1), 0); /* a no-op on SD */
}

#endif

/* ---- The board's SPI controller ---- */

static struct pica_spi_dev loop;

static struct pl022 *
controller(void)
{
    return (struct pl022 *)board_sd_spi_bus();
}

PICA_TEST(spi_loopback_moves_every_byte_through_the_fifo)
{
    static uint8_t tx[600], rx[600];
    struct pica_spi_bus *bus = board_sd_spi_bus();
    pica_assert(bus != NULL);
    pica_assert_eq(pica_spi_dev_init(&loop, bus, PICA_SPI_NO_CS,
                                     PICA_SPI_MODE_0 | PICA_SPI_LOOPBACK, 1000000), 0);
    unsigned irq = controller()->irq;
    for (size_t len = 1; len <= sizeof(tx); len = len < 20 ? len + 1 : len * 3) {
        for (size_t i = 0; i < len; i++) {
            tx[i] = (uint8_t)(i * 13 + len);
        }
        memset(rx, 0, sizeof(rx));
        uint32_t before = pica_irq_count(irq);
        pica_assert_eq(pica_spi_transfer(&loop, tx, rx, len, PICA_MS(100)), 0);
        pica_assert_eq(memcmp(rx, tx, len), 0);
        pica_assert_eq(rx[len], 0);
        /* Interrupt driven: one interrupt per FIFO's worth, or so. */
        pica_assert_ge(pica_irq_count(irq) - before, (len + 7) / 8);
    }
    pica_assert_eq(loop.actual_hz, 12500000 / (2 * 7)); /* prescale 2, SCR 6 */
}

PICA_TEST(spi_transfer_stopped_when_the_interrupt_never_comes)
{
    static uint8_t tx[64], rx[64];
    struct pl022 *p = controller();
    uint32_t timeouts = p->bus.timeouts;
    memset(tx, 0xA5, sizeof(tx));
    pica_assert_eq(pica_irq_disable(p->irq), 0);
    pica_assert_eq(pica_spi_transfer(&loop, tx, rx, sizeof(tx), PICA_MS(10)), -ETIMEDOUT);
    pica_assert_eq(pica_irq_enable(p->irq), 0);
    pica_assert_eq(p->bus.timeouts, timeouts + 1);
    pica_sleep(PICA_MS(2)); /* the pending interrupt comes and goes */
    for (size_t i = 0; i < sizeof(tx); i++) {
        tx[i] = (uint8_t)i;
    }
    pica_assert_eq(pica_spi_transfer(&loop, tx, rx, sizeof(tx), PICA_MS(100)), 0);
    pica_assert_eq(memcmp(rx, tx, sizeof(tx)), 0); /* nothing stale in front */
}

PICA_TEST(spi_chip_selects_are_checked)
{
    struct pica_spi_dev d;
    struct pica_spi_bus *bus = board_sd_spi_bus();
    pica_assert_eq(pica_spi_dev_init(&d, bus, BOARD_PIN_SSI0_CLK, 0, 1000000), -EPERM);
#ifndef SD_ABSENT
    pica_assert_eq(pica_spi_dev_init(&d, bus, BOARD_PIN_SD_CS, 0, 1000000), -EBUSY);
#endif
    pica_assert_eq(pica_spi_dev_init(&d, bus, PICA_GPIO_PIN(200, 0), 0, 1000000), -ENODEV);
    pica_assert_eq(pica_spi_acquire(&loop, PICA_MS(100)), 0);
    pica_assert_eq(pica_spi_dev_set(&loop, PICA_SPI_MODE_0 | PICA_SPI_LOOPBACK, 1), -EINVAL);
    pica_assert_eq(loop.hz, 1000000); /* kept */
    pica_assert_eq(pica_spi_release(&loop), 0);
}

#ifndef SD_ABSENT
PICA_TEST(sd_still_reads_after_the_spi_tests)
{
    check_region(plan.host_start, 2, plan.seed);
}
#endif

int
main(void)
{
    pica_test_run();
}
