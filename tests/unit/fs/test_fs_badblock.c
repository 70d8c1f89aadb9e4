/* SPDX-License-Identifier: MIT */
/* picafs bad blocks (ctest unit.fs.badblock): blocks whose programs and
 * erases fail are recorded bad and their data written elsewhere; the list
 * survives a remount, statvfs counts them, fsck accepts them; a dead device
 * ends a call with -EIO after a bounded number of attempts, and the last
 * committed state is still there. */
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
static uint8_t data[64 * 1024], back[64 * 1024];

static void
bad_blocks_move_data(const struct pica_blk_geometry *geo, uint32_t nblocks, uint32_t cache)
{
    static const uint32_t bad[] = {5, 9, 10, 17};
    assert_int_equal(rig_start(&rig, geo, nblocks, cache, true), 0);
    for (size_t i = 0; i < 4; i++) {
        rig.dev.bad[bad[i]] = true;
    }
    char path[16];
    /* enough rewrites for the allocation cursor to pass every block */
    for (uint32_t round = 0; round < 3 * nblocks / 4; round++) {
        snprintf(path, sizeof(path), "/f%u", round % 4);
        rig_pattern(data, 3 * geo->erase_size, round);
        assert_int_equal(rig_put(&rig, path, data, 3 * geo->erase_size), 0);
    }
    struct picafs_statvfs vfs;
    assert_int_equal(picafs_statvfs(&rig.fs, &vfs), 0);
    assert_int_equal(vfs.blocks_bad, 4);
    assert_int_equal(picafs_unmount(&rig.fs), 0);
    assert_int_equal(rig_fsck(&rig), 0);
    assert_int_equal(rig_remount(&rig), 0);
    assert_int_equal(picafs_statvfs(&rig.fs, &vfs), 0);
    assert_int_equal(vfs.blocks_bad, 4);
    for (uint32_t round = 3 * nblocks / 4 - 4; round < 3 * nblocks / 4; round++) {
        snprintf(path, sizeof(path), "/f%u", round % 4);
        rig_pattern(data, 3 * geo->erase_size, round);
        assert_int_equal(rig_get(&rig, path, back, sizeof(back)), 3 * geo->erase_size);
        assert_memory_equal(back, data, 3 * geo->erase_size);
    }
    printf("  %s: 4 bad blocks recorded, data intact after remount\n",
           geo == &tdev_nor ? "nor" : "sector");
}

static void
test_bad_blocks_are_recorded_and_avoided(void **state)
{
    (void)state;
    bad_blocks_move_data(&tdev_nor, 48, 10);
    bad_blocks_move_data(&tdev_sector, 96, 16);
}

static void
dead_device_fails_fast(const struct pica_blk_geometry *geo, uint32_t nblocks, uint32_t cache)
{
    struct picafs_file f;
    assert_int_equal(rig_start(&rig, geo, nblocks, cache, true), 0);
    rig_pattern(data, 5000, 1);
    assert_int_equal(rig_put(&rig, "/kept", data, 5000), 0);
    for (uint32_t b = 0; b < nblocks; b++) {
        rig.dev.bad[b] = true;
    }
    uint32_t before = rig.dev.ops;
    assert_int_equal(picafs_open(&rig.fs, &f, "/new", PICAFS_O_WRONLY | PICAFS_O_CREAT), -EIO);
    assert_int_equal(picafs_open(&rig.fs, &f, "/kept", PICAFS_O_RDWR), 0);
    assert_int_equal(picafs_write(&rig.fs, &f, data + 100, 3000), 3000); /* in the cache */
    assert_int_equal(picafs_fsync(&rig.fs, &f), -EIO);
    assert_int_equal(picafs_close(&rig.fs, &f), 0); /* nothing left pending */
    assert_int_equal(rig.dev.ops, before);
    for (uint32_t b = 0; b < nblocks; b++) {
        rig.dev.bad[b] = false;
    }
    /* the file system went back to its last commit and goes on */
    assert_int_equal(rig_get(&rig, "/kept", back, sizeof(back)), 5000);
    assert_memory_equal(back, data, 5000);
    assert_int_equal(rig_put(&rig, "/new", data, 100), 0);
    assert_int_equal(picafs_unmount(&rig.fs), 0);
    assert_int_equal(rig_fsck(&rig), 0);
    assert_int_equal(rig_remount(&rig), 0);
    assert_int_equal(rig_get(&rig, "/kept", back, sizeof(back)), 5000);
    assert_memory_equal(back, data, 5000);
}

static void
test_dead_device_ends_the_call_with_eio(void **state)
{
    (void)state;
    dead_device_fails_fast(&tdev_nor, 32, 10);
    dead_device_fails_fast(&tdev_sector, 64, 16);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bad_blocks_are_recorded_and_avoided),
        cmocka_unit_test(test_dead_device_ends_the_call_with_eio),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
