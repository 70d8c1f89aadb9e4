/* SPDX-License-Identifier: MIT */
/* picafs on damaged images (ctest unit.fs.corrupt): random bit flips in a
 * valid image (many seeds), images cut short, and hand-made images with a
 * directory loop, a dangling entry and a wild pointer. Mount, fsck and the
 * calls must either fail with -EIO/-EUCLEAN after a report, or work and
 * stay consistent; never crash (ASan/UBSan watch). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fs_priv.h"
#include "rig.h"

static struct rig rig;
static uint8_t image[TDEV_MAX_BLOCKS * 512 > 64 * 4096 ? TDEV_MAX_BLOCKS * 512 : 64 * 4096];
static uint8_t buf[64 * 1024];
static uint32_t rng;

static uint32_t
rnd(void)
{
    rng = rng * 1103515245u + 12345u;
    return rng >> 8;
}

static bool
is_damage(int err)
{
    return err == -EIO || err == -EUCLEAN;
}

/* A small tree on a fresh image, saved in image[]. */
static size_t
build(const struct pica_blk_geometry *geo, uint32_t nblocks)
{
    assert_int_equal(rig_start(&rig, geo, nblocks, geo == &tdev_nor ? 10 : 16, true), 0);
    assert_int_equal(picafs_mkdir(&rig.fs, "/etc"), 0);
    assert_int_equal(picafs_mkdir(&rig.fs, "/etc/sub"), 0);
    rig_pattern(buf, sizeof(buf), 7);
    assert_int_equal(rig_put(&rig, "/etc/conf", buf, 40), 0);
    assert_int_equal(rig_put(&rig, "/etc/sub/big", buf, 9000), 0);
    assert_int_equal(rig_put(&rig, "/data", buf, 3 * geo->erase_size), 0);
    assert_int_equal(picafs_unmount(&rig.fs), 0);
    size_t size = (size_t)nblocks * geo->erase_size;
    memcpy(image, rig_mem, size);
    return size;
}

/* Read everything; every failure must be a damage report. */
static void
walk(struct picafs *fs, const char *dir, int depth)
{
    struct picafs_dir d;
    struct picafs_dirent e;
    int err = picafs_opendir(fs, &d, dir);
    if (err) {
        assert_true(is_damage(err) || err == -ENOENT || err == -ENOTDIR);
        return;
    }
    int r;
    while ((r = picafs_readdir(fs, &d, &e)) == 1) {
        char path[PICAFS_PATH_MAX + 1];
        snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") == 0 ? "" : dir, e.name);
        if (e.type == PICAFS_TYPE_DIR && depth < 4) {
            walk(fs, path, depth + 1);
        } else if (e.type == PICAFS_TYPE_FILE) {
            struct picafs_file f;
            err = picafs_open(fs, &f, path, PICAFS_O_RDONLY);
            if (!err) {
                int32_t n = picafs_read(fs, &f, buf, sizeof(buf));
                assert_true(n >= 0 || is_damage(n));
                picafs_close(fs, &f);
            } else {
                assert_true(is_damage(err) || err == -EISDIR || err == -ENOENT);
            }
        }
    }
    assert_true(r == 0 || is_damage(r));
    picafs_closedir(fs, &d);
}

/* Some changes; an error may be damage or ordinary (-ENOSPC, -ENOENT...),
 * none may crash. */
static void
churn(struct picafs *fs)
{
    struct picafs_file f;
    if (picafs_open(fs, &f, "/etc/sub/big", PICAFS_O_RDWR) == 0) {
        picafs_write(fs, &f, buf, 5000);
        picafs_ftruncate(fs, &f, 100);
        picafs_close(fs, &f);
    }
    rig_put(&rig, "/new", buf, 700);
    picafs_rename(fs, "/etc/conf", "/conf");
    picafs_unlink(fs, "/data");
    picafs_mkdir(fs, "/etc/sub/x");
    picafs_rmdir(fs, "/etc/sub/x");
}

/* Try the damaged image in rig_mem. */
static void
try_image(const char *what, uint32_t seed)
{
    rig.reports = 0;
    int ck = rig_fsck(&rig);
    assert_true(ck == 0 || is_damage(ck));
    if (ck != 0 && rig.reports == 0) {
        fail_msg("%s seed %u: fsck gave %d without a report", what, seed, ck);
    }
    rig.reports = 0;
    int err = rig_remount(&rig);
    if (err != 0) {
        assert_true(is_damage(err));
        assert_true(rig.reports > 0);
        assert_true(ck != 0);
        return;
    }
    walk(&rig.fs, "/", 0);
    churn(&rig.fs);
    err = picafs_unmount(&rig.fs);
    assert_true(err == 0 || is_damage(err));
    if (ck == 0 && err == 0) {
        /* an image fsck passed stays consistent through changes */
        int again = rig_fsck(&rig);
        if (again != 0) {
            fail_msg("%s seed %u: fsck passed, then failed after changes: %s", what, seed,
                     rig.last);
        }
    }
}

static void
flips(const struct pica_blk_geometry *geo, uint32_t nblocks, uint32_t seeds)
{
    size_t size = build(geo, nblocks);
    uint32_t refused = 0;
    for (uint32_t seed = 1; seed <= seeds; seed++) {
        rng = seed;
        memcpy(rig_mem, image, size);
        uint32_t nflips = 1 + rnd() % 6;
        for (uint32_t i = 0; i < nflips; i++) {
            /* mostly in the first 600 bytes of a block: where the data is */
            size_t blk = rnd() % nblocks, off = rnd() % (rnd() % 4 == 0 ? geo->erase_size : 600);
            off %= geo->erase_size;
            rig_mem[blk * geo->erase_size + off] ^= (uint8_t)(1u << (rnd() % 8));
        }
        try_image("flips", seed);
        refused += rig.reports > 0;
    }
    printf("  %s: %u images with random bit flips, %u with damage reported, no crash\n",
           geo == &tdev_nor ? "nor" : "sector", seeds, refused);
}

static void
test_random_bit_flips(void **state)
{
    (void)state;
    flips(&tdev_nor, 32, 400);
    flips(&tdev_sector, 64, 400);
}

static void
test_truncated_images(void **state)
{
    (void)state;
    for (int kind = 0; kind < 2; kind++) {
        const struct pica_blk_geometry *geo = kind == 0 ? &tdev_nor : &tdev_sector;
        uint32_t nblocks = kind == 0 ? 32 : 64;
        size_t size = build(geo, nblocks);
        /* the image ends early: the rest reads erased (or zeros) */
        for (uint32_t keep = 0; keep < nblocks; keep++) {
            memcpy(rig_mem, image, size);
            memset(rig_mem + (size_t)keep * geo->erase_size, kind == 0 ? 0xFF : 0,
                   size - (size_t)keep * geo->erase_size);
            try_image("truncated", keep);
        }
        /* a device smaller than the file system says */
        memcpy(rig_mem, image, size);
        tdev_init(&rig.dev, rig_mem, geo, nblocks / 2);
        memcpy(rig_mem, image, size);
        rig.reports = 0;
        assert_int_equal(rig_remount(&rig), -EUCLEAN);
        assert_true(rig.reports > 0);
        tdev_init(&rig.dev, rig_mem, geo, nblocks);
    }
}

/* Rewrite block @loc of the NOR image after @patch changed it: new CRC. */
static void
reseal(uint32_t loc)
{
    uint8_t *b = rig_mem + (size_t)loc * 4096;
    put32(b + H_CRC, pica_crc32(0, b + 4, HDR_SIZE - 4 + get32(b + H_LEN)));
}

static uint32_t
ino_of(const char *path)
{
    struct picafs_stat st;
    assert_int_equal(picafs_stat(&rig.fs, path, &st), 0);
    return st.ino;
}

/* The block holding directory @ino's first entries. */
static uint32_t
dir_block(uint32_t ino)
{
    struct inode in;
    assert_int_equal(inode_read(&rig.fs, ino, &in), 0);
    return in.ptr[0];
}

static void
test_hand_made_damage(void **state)
{
    (void)state;
    struct picafs_stat st;
    size_t size = build(&tdev_nor, 32);
    /* a loop: /etc/sub gets an entry "up" naming /etc */
    assert_int_equal(rig_remount(&rig), 0);
    uint32_t etc = ino_of("/etc"), sub = ino_of("/etc/sub"), big = ino_of("/etc/sub/big");
    uint32_t loc = dir_block(sub);
    uint8_t *b = rig_mem + (size_t)loc * 4096;
    uint8_t *e = b + HDR_SIZE + DENT_SIZE * 5;
    put32(e + D_INO, etc);
    e[D_TYPE] = PICAFS_TYPE_DIR;
    e[D_NAMELEN] = 2;
    memcpy(e + D_NAME, "up", 2);
    put32(b + H_LEN, 6 * DENT_SIZE);
    reseal(loc);
    rig.reports = 0;
    assert_int_equal(rig_fsck(&rig), -EUCLEAN);
    assert_true(rig.reports >= 1);
    printf("  loop: fsck says \"%s\"\n", rig.last);
    assert_int_equal(rig_remount(&rig), 0); /* mount does not walk the tree */
    assert_int_equal(picafs_stat(&rig.fs, "/etc/sub/up/sub/up/sub/up/sub/up/sub/big", &st), 0);
    walk(&rig.fs, "/", 0);

    /* a dangling entry: names a free inode */
    memcpy(rig_mem, image, size);
    put32(e + D_INO, 40);
    e[D_TYPE] = PICAFS_TYPE_FILE;
    e[D_NAMELEN] = 2;
    memcpy(e + D_NAME, "up", 2);
    put32(b + H_LEN, 6 * DENT_SIZE);
    reseal(loc);
    rig.reports = 0;
    assert_int_equal(rig_fsck(&rig), -EUCLEAN);
    printf("  dangling entry: fsck says \"%s\"\n", rig.last);
    assert_int_equal(rig_remount(&rig), 0);
    assert_int_equal(picafs_stat(&rig.fs, "/etc/sub/up", &st), -ENOENT);

    /* a wild pointer in an inode: block 9999 */
    memcpy(rig_mem, image, size);
    assert_int_equal(rig_remount(&rig), 0);
    uint32_t leaf = get32(rig_mem + (size_t)rig.fs.root * 4096 + R_LEAVES);
    b = rig_mem + (size_t)leaf * 4096;
    put32(b + HDR_SIZE + big * INODE_SIZE + I_PTR + 4, 9999);
    reseal(leaf);
    rig.reports = 0;
    assert_int_equal(rig_fsck(&rig), -EUCLEAN);
    printf("  wild pointer: fsck says \"%s\"\n", rig.last);
    assert_int_equal(rig_remount(&rig), 0);
    assert_int_equal(rig_get(&rig, "/etc/sub/big", buf, sizeof(buf)), -EUCLEAN);

    /* the same pointer into another file's block: reached twice */
    memcpy(rig_mem, image, size);
    assert_int_equal(rig_remount(&rig), 0);
    put32(b + HDR_SIZE + big * INODE_SIZE + I_PTR + 4, dir_block(etc));
    reseal(leaf);
    rig.reports = 0;
    assert_int_equal(rig_fsck(&rig), -EUCLEAN);
    printf("  cross-linked block: fsck says \"%s\"\n", rig.last);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_bit_flips),
        cmocka_unit_test(test_truncated_images),
        cmocka_unit_test(test_hand_made_damage),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
