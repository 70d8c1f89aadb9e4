/* SPDX-License-Identifier: MIT */
/* qemu.semihost_blk on boards with a semihosting disk
 * (PICA_BOARD_HAS_SEMIHOST_BLK), run twice on one host file by
 * check_semihost_blk.py, which removes the file first:
 *   SHB_PHASE 1 (test_semihost_blk_write): the file is created at its
 *   size; the board writes a pattern in requests of 1 to CHUNK blocks and a
 *   header with a run counter of 1, and checks the refusals of lib/blk.c;
 *   SHB_PHASE 2 (test_semihost_blk_check), a new QEMU: the file is opened
 *   at its own size, the header must say run 1 and the pattern must be
 *   there; the counter becomes 2.
 * The script checks the file on the host after each run (its size, the
 * counter, the pattern's hash). SHB_IMAGE is the file's path. */
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "semihost_blk.h"

#define BLOCK 512u
#define BLOCKS 2048u /* a 1 MiB file */
#define CHUNK 8u     /* blocks per request at most */
#define FIRST 16u    /* the pattern's first block */
#define COUNT 600u   /* and its length */
#define SEED 0x5EED1234u
#define MAGIC "PICASH01"

static struct semihost_blk disk;
static uint8_t buf[CHUNK * BLOCK];

/* The pattern of check_semihost_blk.py: LCG words seeded per block. */
static void
pattern(uint32_t block, uint8_t *out)
{
    uint32_t x = SEED ^ (block * 0x9E3779B1u);
    for (unsigned i = 0; i < BLOCK; i += 4) {
        x = x * 1664525u + 1013904223u;
        memcpy(out + i, &x, 4); /* little-endian on every Pica CPU */
    }
}

static uint32_t
header_run(void)
{
    uint32_t run = 0;
    pica_assert_eq(pica_blk_read(&disk.blk, 0, 0, buf, BLOCK), 0);
    pica_assert_eq(memcmp(buf, MAGIC, 8), 0);
    memcpy(&run, buf + 8, 4);
    return run;
}

static void
header_write(uint32_t run)
{
    memset(buf, 0, BLOCK);
    memcpy(buf, MAGIC, 8);
    memcpy(buf + 8, &run, 4);
    pica_assert_eq(pica_blk_prog(&disk.blk, 0, 0, buf, BLOCK), 0);
    pica_assert_eq(pica_blk_sync(&disk.blk), 0);
    pica_assert_eq(header_run(), run);
}

#if SHB_PHASE == 1

PICA_TEST(semihost_blk_creates_the_file)
{
    pica_assert_eq(semihost_blk_open(&disk, "host0", SHB_IMAGE, BLOCK, BLOCKS), 0);
    const struct pica_blk_geometry *g = pica_blk_geometry(&disk.blk);
    printf("semihost_blk: %s on %s, %lu blocks of %lu\n", pica_blk_name(&disk.blk), SHB_IMAGE,
           (unsigned long)g->block_count, (unsigned long)g->read_size);
    pica_assert_eq(g->block_count, BLOCKS);
    pica_assert_eq(g->erase_size, BLOCK);
    pica_assert_eq(g->flags, 0);
    /* A new file reads as zeros, to its last block. */
    pica_assert_eq(pica_blk_read(&disk.blk, BLOCKS - CHUNK, 0, buf, sizeof(buf)), 0);
    for (size_t i = 0; i < sizeof(buf); i++) {
        pica_assert_eq(buf[i], 0);
    }
}

PICA_TEST(semihost_blk_writes_a_pattern)
{
    uint32_t n = 1;
    for (uint32_t b = FIRST; b < FIRST + COUNT; b += n, n = n % CHUNK + 1) {
        if (n > FIRST + COUNT - b) {
            n = FIRST + COUNT - b;
        }
        for (uint32_t k = 0; k < n; k++) {
            pattern(b + k, buf + k * BLOCK);
        }
        pica_assert_eq(pica_blk_prog(&disk.blk, b, 0, buf, n * BLOCK), 0);
    }
    pica_assert_eq(pica_blk_erase(&disk.blk, 1, 1), 0); /* a no-op */
    header_write(1);
}

PICA_TEST(semihost_blk_refuses_what_is_out_of_range)
{
    uint32_t calls = disk.calls;
    pica_assert_eq(pica_blk_read(&disk.blk, BLOCKS, 0, buf, BLOCK), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, BLOCKS - 1, 0, buf, 2 * BLOCK), -EINVAL);
    pica_assert_eq(pica_blk_prog(&disk.blk, BLOCKS - 1, 0, buf, 2 * BLOCK), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, 3, 0, buf, 100), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, 3, 256, buf, BLOCK), -EINVAL);
    pica_assert_eq(pica_blk_erase(&disk.blk, BLOCKS - 1, 2), -EINVAL);
    pica_assert_eq(disk.calls, calls); /* nothing reached the host */
}

PICA_TEST(semihost_blk_open_errors)
{
    static struct semihost_blk other;
    pica_assert_eq(semihost_blk_open(&other, "x", "/nonexistent-dir/pica/x.img", BLOCK, 4),
                   -ENODEV);
    pica_assert_eq(pica_blk_read(&other.blk, 0, 0, buf, BLOCK), -ENODEV);
    pica_assert_eq(semihost_blk_open(&other, "x", SHB_IMAGE, 500, 4), -EINVAL);
    pica_assert_eq(semihost_blk_open(&other, "x", SHB_IMAGE, BLOCK, 0x400000u), -EINVAL);
}

#else

PICA_TEST(semihost_blk_opens_what_run_1_left)
{
    /* Block count 0: the device is the file as it is. */
    pica_assert_eq(semihost_blk_open(&disk, "host0", SHB_IMAGE, BLOCK, 0), 0);
    pica_assert_eq(pica_blk_geometry(&disk.blk)->block_count, BLOCKS);
    uint32_t run = header_run();
    printf("semihost_blk: the header says run %lu\n", (unsigned long)run);
    pica_assert_eq(run, 1);
}

PICA_TEST(semihost_blk_pattern_survived)
{
    static uint8_t want[BLOCK];
    for (uint32_t b = FIRST; b < FIRST + COUNT; b += CHUNK) {
        uint32_t n = FIRST + COUNT - b < CHUNK ? FIRST + COUNT - b : CHUNK;
        pica_assert_eq(pica_blk_read(&disk.blk, b, 0, buf, n * BLOCK), 0);
        for (uint32_t k = 0; k < n; k++) {
            pattern(b + k, want);
            if (memcmp(buf + k * BLOCK, want, BLOCK) != 0) {
                printf("semihost_blk: block %lu differs\n", (unsigned long)(b + k));
                pica_assert(0);
            }
        }
    }
    header_write(2);
}

PICA_TEST(semihost_blk_reads_past_the_end_refused)
{
    pica_assert_eq(pica_blk_read(&disk.blk, BLOCKS, 0, buf, BLOCK), -EINVAL);
    pica_assert_eq(pica_blk_read(&disk.blk, BLOCKS - 2, 0, buf, 3 * BLOCK), -EINVAL);
    pica_assert_eq(semihost_blk_close(&disk), 0);
    pica_assert_eq(pica_blk_read(&disk.blk, 0, 0, buf, BLOCK), -ENODEV);
}

#endif

int
main(void)
{
    pica_test_run();
}
