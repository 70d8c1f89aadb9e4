/* SPDX-License-Identifier: MIT */
/* picafs wear (ctest unit.fs.wear): a long rewrite workload on a small
 * NOR device; the allocation cursor must spread the erases over all blocks.
 * Also measures write amplification (bytes programmed per byte written) for
 * a 64 KiB sequential write and for 4-byte appends with fsync. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "rig.h"

static struct rig rig;
static uint8_t data[64 * 1024];

static void
test_erases_spread_over_all_blocks(void **state)
{
    (void)state;
    const uint32_t nblocks = 32, rounds = 2000;
    assert_int_equal(rig_start(&rig, &tdev_nor, nblocks, 10, true), 0);
    tdev_reset_counts(&rig.dev);
    struct picafs_file f;
    for (uint32_t i = 0; i < rounds; i++) {
        /* a config file rewritten in place, and a log appended to */
        rig_pattern(data, 6000, i);
        assert_int_equal(rig_put(&rig, "/config", data, 6000), 0);
        assert_int_equal(picafs_open(&rig.fs, &f, "/log", PICAFS_O_WRONLY | PICAFS_O_CREAT |
                                     PICAFS_O_APPEND), 0);
        assert_int_equal(picafs_write(&rig.fs, &f, data, 64), 64);
        if (i % 100 == 99) {
            assert_int_equal(picafs_ftruncate(&rig.fs, &f, 0), 0);
        }
        assert_int_equal(picafs_close(&rig.fs, &f), 0);
    }
    /* Dynamic wear levelling moves only what changes: a block erased at
     * most twice holds static data (the root directory's entries). */
    uint32_t lo = UINT32_MAX, hi = 0, total = 0, fixed = 0;
    for (uint32_t b = 2; b < nblocks; b++) {
        if (rig.dev.erases[b] <= 2) {
            fixed++;
            continue;
        }
        lo = rig.dev.erases[b] < lo ? rig.dev.erases[b] : lo;
        hi = rig.dev.erases[b] > hi ? rig.dev.erases[b] : hi;
        total += rig.dev.erases[b];
    }
    uint32_t mean = total / (nblocks - 2 - fixed), bound = mean / 10 + 4;
    printf("  %u rounds on %u blocks: erases per block min %u max %u mean %u (spread %u, bound "
           "%u) over %u blocks, %u static; log blocks %u and %u\n",
           rounds, nblocks, lo, hi, mean, hi - lo, bound, nblocks - 2 - fixed, fixed,
           rig.dev.erases[0], rig.dev.erases[1]);
    assert_true(fixed <= 2);
    assert_true(hi - lo <= bound);
    assert_true(rig.dev.erases[0] <= hi && rig.dev.erases[1] <= hi);
    assert_int_equal(picafs_unmount(&rig.fs), 0);
    assert_int_equal(rig_fsck(&rig), 0);
}

/* Bytes programmed per byte written. */
static void
amplification(const struct pica_blk_geometry *geo, uint32_t nblocks, uint32_t cache)
{
    struct picafs_file f;
    assert_int_equal(rig_start(&rig, geo, nblocks, cache, true), 0);
    rig_pattern(data, sizeof(data), 9);
    tdev_reset_counts(&rig.dev);
    assert_int_equal(rig_put(&rig, "/seq", data, sizeof(data)), 0);
    double seq = (double)rig.dev.prog_bytes / sizeof(data);
    assert_int_equal(picafs_unlink(&rig.fs, "/seq"), 0);
    assert_int_equal(picafs_open(&rig.fs, &f, "/app", PICAFS_O_WRONLY | PICAFS_O_CREAT), 0);
    tdev_reset_counts(&rig.dev);
    const uint32_t appends = 1000;
    for (uint32_t i = 0; i < appends; i++) {
        assert_int_equal(picafs_write(&rig.fs, &f, data + 4 * i, 4), 4);
        assert_int_equal(picafs_fsync(&rig.fs, &f), 0);
    }
    double app = (double)rig.dev.prog_bytes / (4.0 * appends);
    assert_int_equal(picafs_close(&rig.fs, &f), 0);
    printf("  %s (%u-byte blocks, %u-byte pages, cache %u blocks): 64 KiB sequential write %.2f "
           "bytes programmed per byte; 4-byte appends with fsync %.0f\n",
           geo == &tdev_nor ? "nor" : "sector", geo->erase_size, geo->prog_size, cache, seq, app);
    assert_true(seq < 2.0);
}

static void
test_write_amplification(void **state)
{
    (void)state;
    amplification(&tdev_nor, 64, 10);
    amplification(&tdev_nor, 64, 16);
    amplification(&tdev_sector, 256, 16);
    amplification(&tdev_sector, 256, 32);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_erases_spread_over_all_blocks),
        cmocka_unit_test(test_write_amplification),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
