/* SPDX-License-Identifier: MIT */
/* Host tests of the block-device interface (lib/blk.c) on the RAM block
 * device (drivers/blk/ram_blk.c): geometry checks, range and alignment
 * refusals, NOR-like and sector-like behaviour, the power cut. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ram_blk.h"

int ram_blk_tests(void);

/* NOR-like: 16 blocks of 4 KiB, 256-byte pages, 16-byte reads. */
static const struct pica_blk_geometry nor_geo = {
    .read_size = 16,
    .prog_size = 256,
    .erase_size = 4096,
    .block_count = 16,
    .flags = PICA_BLK_ERASE_BEFORE_PROG,
    .erased_value = 0xFF,
};

/* Sector-like, as an SD card. */
static const struct pica_blk_geometry sector_geo = {
    .read_size = 512,
    .prog_size = 512,
    .erase_size = 512,
    .block_count = 64,
    .erased_value = -1,
};

static uint8_t area[64 * 1024];
static struct ram_blk rb;

static void
test_geometry_checked(void **state)
{
    (void)state;
    struct pica_blk_geometry g = nor_geo;
    assert_int_equal(ram_blk_init(&rb, "ram0", area, &g), 0);
    assert_string_equal(pica_blk_name(&rb.blk), "ram0");
    assert_int_equal(pica_blk_size(&rb.blk), 64 * 1024);
    assert_int_equal(pica_blk_geometry(&rb.blk)->prog_size, 256);
    g.prog_size = 384; /* not a power of two */
    assert_int_equal(ram_blk_init(&rb, "ram0", area, &g), -EINVAL);
    g = nor_geo;
    g.erase_size = 128; /* smaller than a page */
    assert_int_equal(ram_blk_init(&rb, "ram0", area, &g), -EINVAL);
    g = nor_geo;
    g.erased_value = -1; /* NOR must say what erased reads */
    assert_int_equal(ram_blk_init(&rb, "ram0", area, &g), -EINVAL);
    g = nor_geo;
    g.erased_value = 0x100;
    assert_int_equal(ram_blk_init(&rb, "ram0", area, &g), -EINVAL);
    assert_int_equal(ram_blk_init(&rb, NULL, area, &nor_geo), -EINVAL);
    assert_int_equal(ram_blk_init(&rb, "ram0", NULL, &nor_geo), -EINVAL);
    assert_int_equal(ram_blk_init(NULL, "ram0", area, &nor_geo), -EINVAL);
}

static void
test_requests_checked(void **state)
{
    (void)state;
    uint8_t buf[8192];
    assert_int_equal(ram_blk_init(&rb, "ram0", area, &nor_geo), 0);
    struct pica_blk *d = &rb.blk;
    assert_int_equal(pica_blk_read(d, 0, 0, buf, 16), 0);
    assert_int_equal(pica_blk_read(d, 0, 8, buf, 16), -EINVAL);    /* misaligned offset */
    assert_int_equal(pica_blk_read(d, 0, 0, buf, 24), -EINVAL);    /* misaligned size */
    assert_int_equal(pica_blk_read(d, 0, 0, buf, 0), -EINVAL);     /* empty */
    assert_int_equal(pica_blk_read(d, 0, 4096, buf, 16), -EINVAL); /* offset past the block */
    assert_int_equal(pica_blk_read(d, 16, 0, buf, 16), -EINVAL);   /* past the last block */
    assert_int_equal(pica_blk_read(d, 15, 4080, buf, 32), -EINVAL); /* runs off the end */
    assert_int_equal(pica_blk_read(d, 15, 4080, buf, 16), 0);
    assert_int_equal(pica_blk_read(d, 3, 4000 & ~15u, buf, 8192), 0); /* across blocks */
    assert_int_equal(pica_blk_read(d, UINT32_MAX, 0, buf, 16), -EINVAL);
    assert_int_equal(pica_blk_read(d, 0, 0, NULL, 16), -EINVAL);
    assert_int_equal(pica_blk_read(NULL, 0, 0, buf, 16), -EINVAL);
    assert_int_equal(pica_blk_prog(d, 0, 16, buf, 256), -EINVAL); /* page-aligned only */
    assert_int_equal(pica_blk_prog(d, 0, 0, buf, 16), -EINVAL);
    assert_int_equal(pica_blk_erase(d, 0, 0), -EINVAL);
    assert_int_equal(pica_blk_erase(d, 15, 2), -EINVAL);
    assert_int_equal(pica_blk_erase(d, 16, 1), -EINVAL);
    assert_int_equal(pica_blk_erase(d, 1, UINT32_MAX), -EINVAL);
    assert_int_equal(pica_blk_sync(NULL), -EINVAL);
    assert_int_equal(rb.reads, 3); /* the refused ones never reached the device */
    assert_int_equal(rb.progs + rb.erases, 0);
}

static void
test_nor_programs_only_erased(void **state)
{
    (void)state;
    uint8_t page[256], back[256];
    memset(area, 0, sizeof(area));
    assert_int_equal(ram_blk_init(&rb, "nor", area, &nor_geo), 0);
    struct pica_blk *d = &rb.blk;
    assert_int_equal(pica_blk_read(d, 2, 0, back, 256), 0);
    for (int i = 0; i < 256; i++) {
        assert_int_equal(back[i], 0xFF); /* starts erased */
        page[i] = (uint8_t)i;
    }
    assert_int_equal(pica_blk_prog(d, 2, 256, page, 256), 0);
    assert_int_equal(pica_blk_prog(d, 2, 256, page, 256), -EIO); /* twice */
    assert_int_equal(pica_blk_read(d, 2, 256, back, 256), 0);
    assert_memory_equal(back, page, 256);
    assert_int_equal(pica_blk_erase(d, 2, 1), 0);
    assert_int_equal(pica_blk_read(d, 2, 256, back, 256), 0);
    assert_int_equal(back[0], 0xFF);
    assert_int_equal(pica_blk_prog(d, 2, 256, page, 256), 0);
    assert_int_equal(pica_blk_sync(d), 0);
    assert_int_equal(rb.syncs, 1);
}

static void
test_sector_overwrites(void **state)
{
    (void)state;
    uint8_t s[1024], back[1024];
    memset(area, 0x5A, sizeof(area));
    assert_int_equal(ram_blk_init(&rb, "disk", area, &sector_geo), 0);
    struct pica_blk *d = &rb.blk;
    assert_int_equal(pica_blk_read(d, 0, 0, back, 512), 0);
    assert_int_equal(back[0], 0x5A); /* keeps what the memory held */
    memset(s, 1, sizeof(s));
    assert_int_equal(pica_blk_prog(d, 10, 0, s, 1024), 0);
    memset(s, 2, 512);
    assert_int_equal(pica_blk_prog(d, 10, 0, s, 512), 0); /* no erase needed */
    assert_int_equal(pica_blk_erase(d, 10, 2), 0);        /* and erase keeps data */
    assert_int_equal(pica_blk_read(d, 10, 0, back, 1024), 0);
    assert_int_equal(back[0], 2);
    assert_int_equal(back[600], 1);
}

static void
test_power_cut(void **state)
{
    (void)state;
    uint8_t page[256], back[256];
    memset(page, 0x11, sizeof(page));
    assert_int_equal(ram_blk_init(&rb, "nor", area, &nor_geo), 0);
    struct pica_blk *d = &rb.blk;
    ram_blk_cut_after(&rb, 2);
    assert_int_equal(pica_blk_prog(d, 0, 0, page, 256), 0);
    assert_int_equal(pica_blk_erase(d, 1, 1), 0);
    assert_int_equal(pica_blk_prog(d, 0, 256, page, 256), -EIO);
    assert_int_equal(pica_blk_erase(d, 0, 1), -EIO);
    assert_int_equal(pica_blk_read(d, 0, 0, back, 256), 0); /* nothing changed */
    assert_memory_equal(back, page, 256);
    assert_int_equal(pica_blk_read(d, 0, 256, back, 16), 0);
    assert_int_equal(back[0], 0xFF);
    ram_blk_cut_after(&rb, RAM_BLK_NO_CUT);
    assert_int_equal(pica_blk_erase(d, 0, 1), 0);
}

static void
test_read_only_and_no_medium(void **state)
{
    (void)state;
    uint8_t buf[512] = {0};
    struct pica_blk_geometry g = sector_geo;
    g.flags = PICA_BLK_READ_ONLY;
    assert_int_equal(ram_blk_init(&rb, "rom", area, &g), 0);
    assert_int_equal(pica_blk_read(&rb.blk, 0, 0, buf, 512), 0);
    assert_int_equal(pica_blk_prog(&rb.blk, 0, 0, buf, 512), -EROFS);
    assert_int_equal(pica_blk_erase(&rb.blk, 0, 1), -EROFS);
    /* block_count 0: a slot without a medium. */
    g = sector_geo;
    g.block_count = 0;
    assert_int_equal(ram_blk_init(&rb, "empty", area, &g), 0);
    assert_int_equal(pica_blk_read(&rb.blk, 0, 0, buf, 512), -ENODEV);
    assert_int_equal(pica_blk_prog(&rb.blk, 0, 0, buf, 512), -ENODEV);
    assert_int_equal(pica_blk_erase(&rb.blk, 0, 1), -ENODEV);
    assert_int_equal(pica_blk_sync(&rb.blk), -ENODEV);
    assert_int_equal(pica_blk_size(&rb.blk), 0);
}

int
ram_blk_tests(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_geometry_checked),
        cmocka_unit_test(test_requests_checked),
        cmocka_unit_test(test_nor_programs_only_erased),
        cmocka_unit_test(test_sector_overwrites),
        cmocka_unit_test(test_power_cut),
        cmocka_unit_test(test_read_only_and_no_medium),
    };
    return cmocka_run_group_tests_name("ram_blk", tests, NULL, NULL);
}
