/* SPDX-License-Identifier: MIT */
/* The tree of mounts as its callers see it: paths made plain, each path on
 * the mount with the longest prefix, mounts listed in their parent
 * directory, renames refused across mounts, mount points kept from removal
 * and unmounting refused while in use; and the lock taken around every
 * call, never nested. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pica/fs.h>
#include <pica/tap.h>

#include "ram_blk.h"
#include "vfs_lock.h"

/* ---- the lock: counted, and checked never to nest ---- */

static int lock_depth, lock_calls;

void
vfs_lock(void)
{
    assert_int_equal(lock_depth, 0);
    lock_depth++;
    lock_calls++;
}

void
vfs_unlock(void)
{
    assert_int_equal(lock_depth, 1);
    lock_depth--;
}

/* ---- the kernel's taps: only the fs tap is read here ---- */

struct pica_taps pica_taps;
static int tap_calls;
static enum pica_tap_fs_op tap_last_op;

/* Refuses anything under /secret, as an eBPF program on the fs hook may. */
static int
refuse_secret(enum pica_tap_fs_op op, const char *path, uint32_t flags)
{
    (void)flags;
    tap_calls++;
    tap_last_op = op;
    assert_int_equal(lock_depth, 0); /* asked before the lock is taken */
    return strncmp(path, "/secret", 7) == 0 ? -EACCES : 0;
}

/* ---- two RAM devices, formatted ---- */

#define BS 512u
#define NBLOCKS 64u

static const struct pica_blk_geometry geo = {
    .read_size = 16, .prog_size = 16, .erase_size = BS, .block_count = NBLOCKS,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff,
};
static uint8_t mem_root[BS * NBLOCKS], mem_tmp[BS * NBLOCKS];
static struct ram_blk dev_root, dev_tmp;
static uint8_t cache_root[PICAFS_CACHE_SIZE(BS, 8)], cache_tmp[PICAFS_CACHE_SIZE(BS, 8)];
static uint64_t work[PICA_FS_CHECK_WORK(BS) / 8 + 1];

static void
format(struct ram_blk *rb, const char *name, uint8_t *mem)
{
    assert_int_equal(ram_blk_init(rb, name, mem, &geo), 0);
    struct picafs_format_opts o = {.work = work, .work_size = sizeof(work)};
    assert_int_equal(picafs_format(&rb->blk, &o), 0);
}

static int
setup(void **state)
{
    (void)state;
    format(&dev_root, "ram0", mem_root);
    format(&dev_tmp, "ram1", mem_tmp);
    assert_int_equal(pica_fs_mount("/", &dev_root.blk, cache_root, sizeof(cache_root), NULL, NULL), 0);
    assert_int_equal(pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), NULL, NULL), 0);
    return 0;
}

static int
teardown(void **state)
{
    (void)state;
    (void)pica_fs_umount("/tmp");
    (void)pica_fs_umount("/");
    assert_int_equal(lock_depth, 0);
    return 0;
}

static void
put(const char *path, const char *text)
{
    struct pica_file f;
    assert_int_equal(pica_fs_open(&f, path, PICA_O_WRONLY | PICA_O_CREAT | PICA_O_TRUNC), 0);
    assert_int_equal(pica_fs_write(&f, text, (uint32_t)strlen(text)), (int32_t)strlen(text));
    assert_int_equal(pica_fs_close(&f), 0);
}

static void
expect_text(const char *path, const char *text)
{
    struct pica_file f;
    char buf[64] = {0};
    assert_int_equal(pica_fs_open(&f, path, PICA_O_RDONLY), 0);
    assert_int_equal(pica_fs_read(&f, buf, sizeof(buf) - 1), (int32_t)strlen(text));
    assert_int_equal(pica_fs_close(&f), 0);
    assert_string_equal(buf, text);
}

/* ---- tests ---- */

static void
paths_are_made_plain(void **state)
{
    (void)state;
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"/", "/"},           {"//", "/"},          {"/a", "/a"},         {"/a/", "/a"},
        {"/a//b", "/a/b"},    {"/a/./b", "/a/b"},   {"/a/b/..", "/a"},    {"/a/../..", "/"},
        {"/..", "/"},         {"/./.", "/"},        {"/a/.b/..c", "/a/.b/..c"},
        {"/x/y/../../z", "/z"},
    };
    char out[PICA_FS_PATH_MAX + 1];
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int n = pica_fs_normalize(cases[i].in, out, sizeof(out));
        assert_int_equal(n, (int)strlen(cases[i].out));
        assert_string_equal(out, cases[i].out);
    }
    assert_int_equal(pica_fs_normalize("a/b", out, sizeof(out)), -EINVAL);
    assert_int_equal(pica_fs_normalize("", out, sizeof(out)), -EINVAL);
    assert_int_equal(pica_fs_normalize(NULL, out, sizeof(out)), -EINVAL);
    char small[4];
    assert_int_equal(pica_fs_normalize("/abcd", small, sizeof(small)), -ENAMETOOLONG);
    assert_int_equal(pica_fs_normalize("/ab", small, sizeof(small)), 3);
    char longp[300];
    memset(longp, 'x', sizeof(longp));
    longp[0] = '/';
    longp[sizeof(longp) - 1] = '\0';
    struct picafs_stat st;
    assert_int_equal(pica_fs_stat(longp, &st), -ENAMETOOLONG);
}

static void
each_path_goes_to_the_mount_with_the_longest_prefix(void **state)
{
    (void)state;
    put("/a.txt", "root");
    put("/tmp/b.txt", "tmp");
    put("/tmpfile", "not in tmp"); /* "/tmp" is a prefix, not a parent */
    expect_text("/a.txt", "root");
    expect_text("/tmp/b.txt", "tmp");
    expect_text("/tmp/./../tmpfile", "not in tmp");
    struct picafs_stat st;
    assert_int_equal(pica_fs_stat("/b.txt", &st), -ENOENT);
    assert_int_equal(pica_fs_stat("/tmp/a.txt", &st), -ENOENT);
    assert_int_equal(pica_fs_stat("/tmp", &st), 0);
    assert_int_equal(st.type, PICAFS_TYPE_DIR);
    /* The file went to the second device. */
    struct picafs_statvfs r, t;
    assert_int_equal(pica_fs_statvfs("/", &r), 0);
    assert_int_equal(pica_fs_statvfs("/tmp/x", &t), 0);
    /* In use: the root directory, a.txt, tmpfile; and the other's root, b.txt. */
    assert_int_equal(r.files - r.files_free, 2u + 1u);
    assert_int_equal(t.files - t.files_free, 1u + 1u);
    assert_true(lock_calls > 0);
}

static void
a_directory_lists_the_mounts_below_it(void **state)
{
    (void)state;
    assert_int_equal(pica_fs_mkdir("/etc"), 0);
    put("/f", "x");
    struct pica_dir d;
    struct picafs_dirent e;
    assert_int_equal(pica_fs_opendir(&d, "/"), 0);
    int seen_etc = 0, seen_f = 0, seen_tmp = 0, n = 0, r;
    while ((r = pica_fs_readdir(&d, &e)) == 1) {
        n++;
        seen_etc += strcmp(e.name, "etc") == 0 && e.type == PICAFS_TYPE_DIR;
        seen_f += strcmp(e.name, "f") == 0 && e.type == PICAFS_TYPE_FILE;
        seen_tmp += strcmp(e.name, "tmp") == 0 && e.type == PICAFS_TYPE_DIR;
    }
    assert_int_equal(r, 0);
    assert_int_equal(pica_fs_closedir(&d), 0);
    assert_int_equal(n, 3);
    assert_int_equal(seen_etc + seen_f + seen_tmp, 3);
    assert_int_equal(pica_fs_readdir(&d, &e), -EBADF);
    /* A directory of the root file system under the mount point is not
     * listed twice. */
    assert_int_equal(pica_fs_umount("/tmp"), 0);
    assert_int_equal(pica_fs_mkdir("/tmp"), 0);
    assert_int_equal(pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), NULL, NULL), 0);
    assert_int_equal(pica_fs_opendir(&d, "/"), 0);
    seen_tmp = 0;
    while (pica_fs_readdir(&d, &e) == 1) {
        seen_tmp += strcmp(e.name, "tmp") == 0;
    }
    assert_int_equal(pica_fs_closedir(&d), 0);
    assert_int_equal(seen_tmp, 1);
}

static void
renames_stay_on_one_mount_and_mount_points_stay(void **state)
{
    (void)state;
    put("/a", "1");
    put("/tmp/b", "2");
    assert_int_equal(pica_fs_rename("/a", "/tmp/a"), -EXDEV);
    assert_int_equal(pica_fs_rename("/tmp/b", "/tmp/c"), 0);
    expect_text("/tmp/c", "2");
    assert_int_equal(pica_fs_rename("/tmp", "/tmp2"), -EBUSY);
    assert_int_equal(pica_fs_rename("/a", "/tmp"), -EBUSY);
    assert_int_equal(pica_fs_rmdir("/tmp"), -EBUSY);
    assert_int_equal(pica_fs_unlink("/tmp"), -EISDIR);
    assert_int_equal(pica_fs_mkdir("/tmp"), -EEXIST);
    expect_text("/a", "1");
}

static void
mounting_and_unmounting_are_checked(void **state)
{
    (void)state;
    assert_int_equal(pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), NULL, NULL),
                     -EBUSY);
    assert_int_equal(pica_fs_mount("/other", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), NULL, NULL),
                     -EBUSY); /* the device is mounted already */
    assert_int_equal(pica_fs_mount("rel", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), NULL, NULL),
                     -EINVAL);
    assert_int_equal(pica_fs_mount("/x", NULL, cache_tmp, sizeof(cache_tmp), NULL, NULL), -EINVAL);
    assert_int_equal(pica_fs_umount("/nothing"), -ENOENT);
    assert_int_equal(pica_fs_umount("/"), -EBUSY); /* /tmp is below it */
    struct pica_file f;
    assert_int_equal(pica_fs_open(&f, "/tmp/held", PICA_O_RDWR | PICA_O_CREAT), 0);
    assert_int_equal(pica_fs_umount("/tmp"), -EBUSY);
    assert_int_equal(pica_fs_write(&f, "abc", 3), 3);
    assert_int_equal(pica_fs_close(&f), 0);
    assert_int_equal(pica_fs_close(&f), -EBADF);
    assert_int_equal(pica_fs_read(&f, NULL, 0), -EBADF);
    struct pica_fs_mount_info in;
    assert_int_equal(pica_fs_mount_info_at(0, &in), 0);
    assert_string_equal(in.where, "/");
    assert_string_equal(in.device, "ram0");
    assert_int_equal(pica_fs_mount_info_at(1, &in), 0);
    assert_string_equal(in.where, "/tmp");
    assert_int_equal(in.st.block_size, BS);
    assert_int_equal(pica_fs_mount_info_at(2, &in), -ENOENT);
    assert_int_equal(pica_fs_umount("/tmp/"), 0);
    struct picafs_stat st;
    assert_int_equal(pica_fs_stat("/tmp/held", &st), -ENOENT); /* now the root's */
    /* Mounted again, the data are there. */
    assert_int_equal(pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), NULL, NULL), 0);
    expect_text("/tmp/held", "abc");
}

static unsigned problems;

static void
count_problem(void *arg, const char *what)
{
    (void)arg;
    (void)what;
    problems++;
}

static void
a_mounted_file_system_checks_clean_with_a_file_open(void **state)
{
    (void)state;
    struct pica_file f;
    assert_int_equal(pica_fs_open(&f, "/tmp/open", PICA_O_RDWR | PICA_O_CREAT), 0);
    assert_int_equal(pica_fs_write(&f, "pending", 7), 7);
    problems = 0;
    assert_int_equal(pica_fs_check("/tmp", work, sizeof(work), count_problem, NULL), 0);
    assert_int_equal(problems, 0);
    assert_int_equal(pica_fs_check("/nothing", work, sizeof(work), count_problem, NULL), -ENOENT);
    assert_int_equal(pica_fs_close(&f), 0);
    /* A flipped byte in a committed block is found. */
    assert_int_equal(pica_fs_umount("/tmp"), 0);
    for (uint32_t i = 2 * BS; i < NBLOCKS * BS; i += BS) {
        mem_tmp[i + 3] ^= 0x40;
    }
    int r = pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), count_problem, NULL);
    if (r == 0) {
        r = pica_fs_check("/tmp", work, sizeof(work), count_problem, NULL);
    }
    assert_true(r == -EUCLEAN || r == -EIO);
    assert_true(problems > 0);
}

static void
the_fs_tap_sees_opens_and_unlinks_and_may_refuse_them(void **state)
{
    (void)state;
    put("/secret", "kept");
    put("/open", "free");
    pica_taps.fs = refuse_secret;
    tap_calls = 0;
    struct pica_file f;
    assert_int_equal(pica_fs_open(&f, "/secret", PICA_O_RDONLY), -EACCES);
    assert_int_equal(tap_last_op, PICA_TAP_FS_OPEN);
    assert_int_equal(pica_fs_unlink("/secret"), -EACCES);
    assert_int_equal(tap_last_op, PICA_TAP_FS_UNLINK);
    expect_text("/open", "free");
    assert_int_equal(pica_fs_unlink("/open"), 0);
    assert_int_equal(tap_calls, 4);
    pica_taps.fs = NULL;
    expect_text("/secret", "kept"); /* the refused unlink removed nothing */
    assert_int_equal(tap_calls, 4);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(paths_are_made_plain, setup, teardown),
        cmocka_unit_test_setup_teardown(each_path_goes_to_the_mount_with_the_longest_prefix,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(a_directory_lists_the_mounts_below_it, setup, teardown),
        cmocka_unit_test_setup_teardown(renames_stay_on_one_mount_and_mount_points_stay, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(mounting_and_unmounting_are_checked, setup, teardown),
        cmocka_unit_test_setup_teardown(a_mounted_file_system_checks_clean_with_a_file_open,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(the_fs_tap_sees_opens_and_unlinks_and_may_refuse_them,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
