/* SPDX-License-Identifier: MIT */
/* picafs: every call and its errors, on a NOR-like device (4 KiB blocks,
 * 256-byte pages) and a sector device (512 bytes): files inline and past
 * the direct and single-indirect pointers, directories, rename, handles,
 * a full disk, and the content after a remount. ctest unit.fs.ops. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rig.h"

struct kind {
    const struct pica_blk_geometry *geo;
    uint32_t nblocks, cache_blocks;
    uint32_t big; /* bytes of a file that needs indirect blocks */
};

static const struct kind kinds[] = {
    {&tdev_nor, 64, 10, 100 * 1024},
    {&tdev_sector, 256, 16, 80 * 1024},
};
#define NKINDS (sizeof(kinds) / sizeof(kinds[0]))

static struct rig rig;
static uint8_t data[200 * 1024], back[200 * 1024];

static struct rig *
start(size_t k)
{
    assert_int_equal(rig_start(&rig, kinds[k].geo, kinds[k].nblocks, kinds[k].cache_blocks,
                               true), 0);
    return &rig;
}

static void
finish(struct rig *r)
{
    assert_int_equal(picafs_unmount(&r->fs), 0);
    assert_int_equal(rig_fsck(r), 0);
}

static void
print_line(void *arg, const char *line)
{
    unsigned *n = arg;
    (*n)++;
    if (getenv("PICAFS_VERBOSE") != NULL) {
        printf("%s\n", line);
    }
}

static void
test_format_gives_an_empty_root(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_statvfs vfs;
        struct picafs_stat st;
        struct picafs_dir d;
        struct picafs_dirent e;
        assert_int_equal(picafs_statvfs(&r->fs, &vfs), 0);
        assert_int_equal(vfs.block_size, kinds[k].geo->erase_size);
        assert_int_equal(vfs.block_count, kinds[k].nblocks);
        assert_int_equal(vfs.blocks_free, kinds[k].nblocks - 4);
        assert_int_equal(vfs.blocks_bad, 0);
        assert_int_equal(vfs.name_max, PICAFS_NAME_MAX);
        assert_int_equal(vfs.files - vfs.files_free, 1);
        assert_int_equal(picafs_stat(&r->fs, "/", &st), 0);
        assert_int_equal(st.type, PICAFS_TYPE_DIR);
        assert_int_equal(st.ino, 0);
        assert_int_equal(picafs_opendir(&r->fs, &d, "/"), 0);
        assert_int_equal(picafs_readdir(&r->fs, &d, &e), 0);
        assert_int_equal(picafs_closedir(&r->fs, &d), 0);
        finish(r);
    }
}

static void
test_format_and_mount_refuse_bad_arguments(void **state)
{
    (void)state;
    struct picafs_format_opts o = {.work = rig_work, .work_size = 100};
    tdev_init(&rig.dev, rig_mem, &tdev_nor, 64);
    assert_int_equal(picafs_format(&rig.dev.blk, NULL), -EINVAL);
    assert_int_equal(picafs_format(&rig.dev.blk, &o), -EINVAL); /* scratch too small */
    o.work_size = sizeof(rig_work);
    o.block_size = 3000;
    assert_int_equal(picafs_format(&rig.dev.blk, &o), -EINVAL);
    o.block_size = 0;
    o.block_count = 65;
    assert_int_equal(picafs_format(&rig.dev.blk, &o), -EINVAL);
    o.block_count = 0;
    /* no file system yet: no valid record */
    assert_int_equal(rig_start(&rig, &tdev_nor, 64, 10, false), -EUCLEAN);
    assert_true(rig.reports > 0);
    /* a cache below PICAFS_CACHE_MIN_BLOCKS */
    assert_int_equal(rig_start(&rig, &tdev_nor, 64, 10, true), 0);
    rig.cfg.cache_size = PICAFS_CACHE_SIZE(4096, 7);
    assert_int_equal(rig_remount(&rig), -EINVAL);
    rig.cfg.cache = NULL;
    assert_int_equal(rig_remount(&rig), -EINVAL);
}

static void
test_files_write_read_and_survive_remount(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        rig_pattern(data, sizeof(data), 1);
        assert_int_equal(rig_put(r, "/tiny", data, 5), 0);
        assert_int_equal(rig_put(r, "/inline", data, 52), 0);
        assert_int_equal(rig_put(r, "/small", data, 53), 0);
        assert_int_equal(rig_put(r, "/two", data, 5000), 0);
        assert_int_equal(rig_put(r, "/big", data, kinds[k].big), 0);
        assert_int_equal(rig_put(r, "/empty", data, 0), 0);
        for (int pass = 0; pass < 2; pass++) {
            assert_int_equal(rig_get(r, "/tiny", back, sizeof(back)), 5);
            assert_memory_equal(back, data, 5);
            assert_int_equal(rig_get(r, "/inline", back, sizeof(back)), 52);
            assert_memory_equal(back, data, 52);
            assert_int_equal(rig_get(r, "/small", back, sizeof(back)), 53);
            assert_memory_equal(back, data, 53);
            assert_int_equal(rig_get(r, "/two", back, sizeof(back)), 5000);
            assert_memory_equal(back, data, 5000);
            assert_int_equal(rig_get(r, "/big", back, sizeof(back)), kinds[k].big);
            assert_memory_equal(back, data, kinds[k].big);
            assert_int_equal(rig_get(r, "/empty", back, sizeof(back)), 0);
            struct picafs_stat st;
            assert_int_equal(picafs_stat(&r->fs, "/big", &st), 0);
            assert_int_equal(st.type, PICAFS_TYPE_FILE);
            assert_int_equal(st.size, kinds[k].big);
            assert_true(st.blocks * (kinds[k].geo->erase_size - 16) >= kinds[k].big);
            assert_int_equal(picafs_unmount(&r->fs), 0);
            assert_int_equal(rig_fsck(r), 0);
            assert_int_equal(rig_remount(r), 0);
        }
        finish(r);
    }
}

static void
test_overwrite_append_seek_and_truncate(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_file f;
        uint32_t n = 3 * kinds[k].geo->erase_size + 100;
        rig_pattern(data, n, 2);
        assert_int_equal(rig_put(r, "/f", data, n), 0);
        assert_int_equal(picafs_open(&r->fs, &f, "/f", PICAFS_O_RDWR), 0);
        /* overwrite across a block boundary in the middle */
        uint32_t at = kinds[k].geo->erase_size - 50;
        assert_int_equal(picafs_lseek(&r->fs, &f, (int32_t)at, PICAFS_SEEK_SET), at);
        assert_int_equal(picafs_write(&r->fs, &f, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz", 62), 62);
        memcpy(data + at, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefghijklmnopqrstuvwxyz", 62);
        assert_int_equal(picafs_lseek(&r->fs, &f, 0, PICAFS_SEEK_SET), 0);
        assert_int_equal(picafs_read(&r->fs, &f, back, n + 10), n);
        assert_memory_equal(back, data, n);
        assert_int_equal(picafs_read(&r->fs, &f, back, 10), 0);
        /* shrink into a block, then grow: the gap reads as zeros */
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 1000), 0);
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 3000), 0);
        memset(data + 1000, 0, 2000);
        assert_int_equal(picafs_lseek(&r->fs, &f, 0, PICAFS_SEEK_END), 3000);
        /* write past the end leaves a hole */
        assert_int_equal(picafs_lseek(&r->fs, &f, 9000, PICAFS_SEEK_SET), 9000);
        assert_int_equal(picafs_write(&r->fs, &f, "xyz", 3), 3);
        memset(data + 3000, 0, 6000);
        memcpy(data + 9000, "xyz", 3);
        assert_int_equal(picafs_lseek(&r->fs, &f, -9003, PICAFS_SEEK_END), 0);
        assert_int_equal(picafs_lseek(&r->fs, &f, -1, PICAFS_SEEK_SET), -EINVAL);
        assert_int_equal(picafs_lseek(&r->fs, &f, 0, 7), -EINVAL);
        assert_int_equal(picafs_read(&r->fs, &f, back, sizeof(back)), 9003);
        assert_memory_equal(back, data, 9003);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        /* O_APPEND always writes at the end */
        assert_int_equal(picafs_open(&r->fs, &f, "/f", PICAFS_O_WRONLY | PICAFS_O_APPEND), 0);
        assert_int_equal(picafs_write(&r->fs, &f, "12", 2), 2);
        assert_int_equal(picafs_lseek(&r->fs, &f, 0, PICAFS_SEEK_SET), 0);
        assert_int_equal(picafs_write(&r->fs, &f, "34", 2), 2);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        memcpy(data + 9003, "1234", 4);
        assert_int_equal(rig_get(r, "/f", back, sizeof(back)), 9007);
        assert_memory_equal(back, data, 9007);
        /* an inline file shrinks and grows too */
        assert_int_equal(rig_put(r, "/i", "hello world", 11), 0);
        assert_int_equal(picafs_open(&r->fs, &f, "/i", PICAFS_O_RDWR), 0);
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 5), 0);
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 8), 0);
        assert_int_equal(picafs_read(&r->fs, &f, back, 100), 8);
        assert_memory_equal(back, "hello\0\0\0", 8);
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 100), 0); /* out of line */
        assert_int_equal(picafs_lseek(&r->fs, &f, 0, PICAFS_SEEK_SET), 0);
        assert_int_equal(picafs_read(&r->fs, &f, back, 200), 100);
        assert_memory_equal(back, "hello\0\0\0\0\0", 10);
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 0), 0);
        assert_int_equal(picafs_read(&r->fs, &f, back, 200), 0);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        /* O_TRUNC */
        assert_int_equal(picafs_open(&r->fs, &f, "/f", PICAFS_O_RDWR | PICAFS_O_TRUNC), 0);
        assert_int_equal(picafs_read(&r->fs, &f, back, 100), 0);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        finish(r);
    }
}

static void
test_errors(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_file f, g;
        struct picafs_stat st;
        struct picafs_dir d;
        char longname[40], longpath[200];
        assert_int_equal(picafs_open(&r->fs, &f, "/none", PICAFS_O_RDONLY), -ENOENT);
        assert_int_equal(picafs_open(&r->fs, &f, "/a/b", PICAFS_O_CREAT | PICAFS_O_WRONLY), -ENOENT);
        assert_int_equal(rig_put(r, "/file", "x", 1), 0);
        assert_int_equal(picafs_open(&r->fs, &f, "/file", PICAFS_O_CREAT | PICAFS_O_EXCL | PICAFS_O_WRONLY), -EEXIST);
        assert_int_equal(picafs_open(&r->fs, &f, "/file/x", PICAFS_O_RDONLY), -ENOTDIR);
        assert_int_equal(picafs_open(&r->fs, &f, "/", PICAFS_O_RDONLY), -EISDIR);
        assert_int_equal(picafs_mkdir(&r->fs, "/dir"), 0);
        assert_int_equal(picafs_open(&r->fs, &f, "/dir", PICAFS_O_RDONLY), -EISDIR);
        assert_int_equal(picafs_open(&r->fs, &f, "/file", PICAFS_O_ACCMODE), -EINVAL);
        memset(longname, 'n', 34);
        longname[0] = '/';
        longname[34] = '\0';
        assert_int_equal(picafs_open(&r->fs, &f, longname, PICAFS_O_CREAT | PICAFS_O_WRONLY), -ENAMETOOLONG);
        longname[33] = '\0'; /* 32 bytes: fine */
        assert_int_equal(picafs_open(&r->fs, &f, longname, PICAFS_O_CREAT | PICAFS_O_WRONLY), 0);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        memset(longpath, '/', sizeof(longpath));
        longpath[129] = '\0';
        assert_int_equal(picafs_stat(&r->fs, longpath, &st), -ENAMETOOLONG);
        assert_int_equal(picafs_mkdir(&r->fs, "/."), -EINVAL);
        assert_int_equal(picafs_stat(&r->fs, "/dir/../file", &st), -EINVAL);
        assert_int_equal(picafs_mkdir(&r->fs, "/dir"), -EEXIST);
        assert_int_equal(picafs_mkdir(&r->fs, "/"), -EEXIST);
        assert_int_equal(picafs_mkdir(&r->fs, "/file/sub"), -ENOTDIR);
        assert_int_equal(picafs_opendir(&r->fs, &d, "/file"), -ENOTDIR);
        /* wrong access mode, closed handle */
        assert_int_equal(picafs_open(&r->fs, &f, "/file", PICAFS_O_RDONLY), 0);
        assert_int_equal(picafs_write(&r->fs, &f, "y", 1), -EBADF);
        assert_int_equal(picafs_ftruncate(&r->fs, &f, 0), -EBADF);
        assert_int_equal(picafs_open(&r->fs, &g, "/file", PICAFS_O_WRONLY), 0);
        assert_int_equal(picafs_read(&r->fs, &g, back, 1), -EBADF);
        assert_int_equal(picafs_close(&r->fs, &g), 0);
        assert_int_equal(picafs_close(&r->fs, &g), -EBADF);
        assert_int_equal(picafs_read(&r->fs, &g, back, 1), -EBADF);
        /* an open file cannot go away */
        assert_int_equal(picafs_unlink(&r->fs, "/file"), -EBUSY);
        assert_int_equal(rig_put(r, "/other", "o", 1), 0);
        assert_int_equal(picafs_rename(&r->fs, "/other", "/file"), -EBUSY);
        assert_int_equal(picafs_unmount(&r->fs), -EBUSY);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        assert_int_equal(picafs_unlink(&r->fs, "/file"), 0);
        assert_int_equal(picafs_unlink(&r->fs, "/file"), -ENOENT);
        assert_int_equal(picafs_unlink(&r->fs, "/dir"), -EISDIR);
        assert_int_equal(picafs_rmdir(&r->fs, "/other"), -ENOTDIR);
        assert_int_equal(picafs_rmdir(&r->fs, "/"), -EBUSY);
        assert_int_equal(picafs_lseek(&r->fs, &f, 0, PICAFS_SEEK_SET), -EBADF);
        assert_int_equal(picafs_fsync(&r->fs, &f), -EBADF);
        finish(r);
    }
}

static void
test_directories(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_dir d;
        struct picafs_dirent e;
        char path[64];
        assert_int_equal(picafs_mkdir(&r->fs, "/a"), 0);
        assert_int_equal(picafs_mkdir(&r->fs, "/a/b"), 0);
        assert_int_equal(picafs_mkdir(&r->fs, "//a//b/c/"), 0);
        assert_int_equal(rig_put(r, "/a/b/c/f", "deep", 4), 0);
        assert_int_equal(rig_get(r, "a/b/c/f", back, 10), 4);
        /* 30 files in one directory: more than one directory block on a sector device */
        for (int i = 0; i < 30; i++) {
            snprintf(path, sizeof(path), "/a/file%02d", i);
            assert_int_equal(rig_put(r, path, path, (uint32_t)strlen(path)), 0);
        }
        unsigned seen = 0, files = 0, dirs = 0;
        assert_int_equal(picafs_opendir(&r->fs, &d, "/a"), 0);
        int got;
        while ((got = picafs_readdir(&r->fs, &d, &e)) == 1) {
            seen++;
            if (e.type == PICAFS_TYPE_DIR) {
                dirs++;
                assert_string_equal(e.name, "b");
            } else {
                files++;
                assert_int_equal(e.size, 9);
                assert_memory_equal(e.name, "file", 4);
            }
        }
        assert_int_equal(got, 0);
        assert_int_equal(picafs_closedir(&r->fs, &d), 0);
        assert_int_equal(seen, 31);
        assert_int_equal(files, 30);
        assert_int_equal(dirs, 1);
        assert_int_equal(picafs_rmdir(&r->fs, "/a"), -ENOTEMPTY);
        assert_int_equal(picafs_opendir(&r->fs, &d, "/a/b/c"), 0);
        assert_int_equal(picafs_unlink(&r->fs, "/a/b/c/f"), 0);
        assert_int_equal(picafs_rmdir(&r->fs, "/a/b/c"), -EBUSY); /* open */
        assert_int_equal(picafs_closedir(&r->fs, &d), 0);
        assert_int_equal(picafs_rmdir(&r->fs, "/a/b/c"), 0);
        assert_int_equal(picafs_rmdir(&r->fs, "/a/b"), 0);
        for (int i = 0; i < 30; i++) {
            snprintf(path, sizeof(path), "/a/file%02d", i);
            assert_int_equal(picafs_unlink(&r->fs, path), 0);
        }
        assert_int_equal(picafs_rmdir(&r->fs, "/a"), 0);
        struct picafs_statvfs vfs;
        assert_int_equal(picafs_statvfs(&r->fs, &vfs), 0);
        assert_int_equal(vfs.blocks_free, kinds[k].nblocks - 4); /* nothing leaked */
        assert_int_equal(vfs.files - vfs.files_free, 1);
        finish(r);
    }
}

static void
test_rename(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_stat st;
        rig_pattern(data, 20000, 3);
        assert_int_equal(rig_put(r, "/x", data, 20000), 0);
        assert_int_equal(rig_put(r, "/y", "old y", 5), 0);
        assert_int_equal(picafs_mkdir(&r->fs, "/d"), 0);
        assert_int_equal(picafs_mkdir(&r->fs, "/d/e"), 0);
        assert_int_equal(picafs_mkdir(&r->fs, "/empty"), 0);
        assert_int_equal(picafs_rename(&r->fs, "/x", "/x"), 0);
        assert_int_equal(picafs_rename(&r->fs, "/nope", "/z"), -ENOENT);
        assert_int_equal(picafs_rename(&r->fs, "/x", "/nodir/z"), -ENOENT);
        assert_int_equal(picafs_rename(&r->fs, "/d", "/d/e/f"), -EINVAL);
        assert_int_equal(picafs_rename(&r->fs, "/d", "/d/f"), -EINVAL);
        assert_int_equal(picafs_rename(&r->fs, "/x", "/d"), -EISDIR);
        assert_int_equal(picafs_rename(&r->fs, "/d", "/y"), -ENOTDIR);
        assert_int_equal(picafs_rename(&r->fs, "/empty", "/d"), -ENOTEMPTY);
        assert_int_equal(picafs_rename(&r->fs, "/", "/q"), -EBUSY);
        /* over an existing file: its blocks are freed */
        assert_int_equal(picafs_rename(&r->fs, "/y", "/x"), 0);
        assert_int_equal(picafs_stat(&r->fs, "/y", &st), -ENOENT);
        assert_int_equal(rig_get(r, "/x", back, sizeof(back)), 5);
        assert_memory_equal(back, "old y", 5);
        /* into another directory, and a directory over an empty one */
        assert_int_equal(picafs_rename(&r->fs, "/x", "/d/e/moved"), 0);
        assert_int_equal(rig_get(r, "/d/e/moved", back, sizeof(back)), 5);
        assert_int_equal(picafs_rename(&r->fs, "/d/e", "/empty"), 0);
        assert_int_equal(rig_get(r, "/empty/moved", back, sizeof(back)), 5);
        assert_int_equal(picafs_rename(&r->fs, "/empty", "/d/again"), 0);
        assert_int_equal(rig_get(r, "/d/again/moved", back, sizeof(back)), 5);
        assert_int_equal(picafs_unmount(&r->fs), 0);
        assert_int_equal(rig_fsck(r), 0);
        assert_int_equal(rig_remount(r), 0);
        assert_int_equal(rig_get(r, "/d/again/moved", back, sizeof(back)), 5);
        struct picafs_statvfs vfs;
        assert_int_equal(picafs_statvfs(&r->fs, &vfs), 0);
        /* one directory block each for /, /d and /d/again; the moved file is inline */
        assert_int_equal(vfs.blocks_free, kinds[k].nblocks - 4 - 3);
        finish(r);
    }
}

static void
test_handles_on_one_file_agree(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_file a, b;
        struct picafs_stat st;
        assert_int_equal(picafs_open(&r->fs, &a, "/f", PICAFS_O_RDWR | PICAFS_O_CREAT), 0);
        assert_int_equal(picafs_open(&r->fs, &b, "/f", PICAFS_O_RDWR), 0);
        rig_pattern(data, 3000, 4);
        assert_int_equal(picafs_write(&r->fs, &a, data, 3000), 3000);
        assert_int_equal(picafs_read(&r->fs, &b, back, 5000), 3000);
        assert_memory_equal(back, data, 3000);
        assert_int_equal(picafs_write(&r->fs, &b, "tail", 4), 4);
        assert_int_equal(picafs_fstat(&r->fs, &a, &st), 0);
        assert_int_equal(st.size, 3004);
        assert_int_equal(picafs_ftruncate(&r->fs, &a, 10), 0);
        assert_int_equal(picafs_lseek(&r->fs, &b, 0, PICAFS_SEEK_SET), 0);
        assert_int_equal(picafs_read(&r->fs, &b, back, 5000), 10);
        assert_int_equal(picafs_fsync(&r->fs, &a), 0);
        assert_int_equal(picafs_close(&r->fs, &a), 0);
        assert_int_equal(picafs_close(&r->fs, &b), 0);
        finish(r);
    }
}

static void
test_full_disk_then_recovers(void **state)
{
    (void)state;
    for (size_t k = 0; k < NKINDS; k++) {
        struct rig *r = start(k);
        struct picafs_file f;
        char path[32];
        int files = 0;
        rig_pattern(data, sizeof(data), 5);
        /* fill with 8-block files until a write comes back short */
        uint32_t chunk = 8 * (kinds[k].geo->erase_size - 16);
        for (;;) {
            snprintf(path, sizeof(path), "/fill%d", files);
            int err = picafs_open(&r->fs, &f, path, PICAFS_O_WRONLY | PICAFS_O_CREAT);
            if (err == -ENOSPC) {
                break;
            }
            assert_int_equal(err, 0);
            files++;
            int32_t w = picafs_write(&r->fs, &f, data, chunk);
            int c = picafs_close(&r->fs, &f);
            assert_int_equal(c, 0);
            if (w != (int32_t)chunk) {
                assert_true(w == -ENOSPC || (w > 0 && w < (int32_t)chunk));
                break;
            }
        }
        assert_true(files >= 2);
        assert_int_equal(picafs_open(&r->fs, &f, "/fill0", PICAFS_O_WRONLY | PICAFS_O_APPEND), 0);
        assert_int_equal(picafs_write(&r->fs, &f, data, chunk), -ENOSPC);
        assert_int_equal(picafs_close(&r->fs, &f), 0);
        assert_int_equal(picafs_unmount(&r->fs), 0);
        assert_int_equal(rig_fsck(r), 0);
        assert_int_equal(rig_remount(r), 0);
        /* deleting and renaming work on a full disk */
        assert_int_equal(picafs_rename(&r->fs, "/fill1", "/fill0"), 0);
        assert_int_equal(picafs_unlink(&r->fs, "/fill0"), 0);
        assert_int_equal(rig_put(r, "/after", data, chunk), 0);
        assert_int_equal(rig_get(r, "/after", back, sizeof(back)), chunk);
        assert_memory_equal(back, data, chunk);
        for (int i = 2; i < files; i++) {
            snprintf(path, sizeof(path), "/fill%d", i);
            assert_int_equal(picafs_unlink(&r->fs, path), 0);
        }
        assert_int_equal(picafs_unlink(&r->fs, "/after"), 0);
        struct picafs_statvfs vfs;
        assert_int_equal(picafs_statvfs(&r->fs, &vfs), 0);
        assert_int_equal(vfs.blocks_free, kinds[k].nblocks - 4);
        finish(r);
    }
}

static void
test_dump_lists_the_structures(void **state)
{
    (void)state;
    struct rig *r = start(0);
    assert_int_equal(picafs_mkdir(&r->fs, "/dir"), 0);
    assert_int_equal(rig_put(r, "/dir/file", data, 5000), 0);
    assert_int_equal(picafs_unmount(&r->fs), 0);
    unsigned lines = 0;
    assert_int_equal(picafs_dump(&r->dev.blk, &r->cfg, print_line, &lines), 0);
    assert_true(lines >= 8);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_format_gives_an_empty_root),
        cmocka_unit_test(test_format_and_mount_refuse_bad_arguments),
        cmocka_unit_test(test_files_write_read_and_survive_remount),
        cmocka_unit_test(test_overwrite_append_seek_and_truncate),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_directories),
        cmocka_unit_test(test_rename),
        cmocka_unit_test(test_handles_on_one_file_agree),
        cmocka_unit_test(test_full_disk_then_recovers),
        cmocka_unit_test(test_dump_lists_the_structures),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
