/* SPDX-License-Identifier: MIT */
/* The file system on the board, through include/pica/fs.h: two RAM disks
 * mounted at / and /tmp; several threads writing their own files while
 * one reads them, then fsck and every byte checked; a power cut after
 * every few programs and erases of a workload, each followed by a mount
 * and fsck of what is left and a check against what was committed; and a
 * crontab file loaded into cron jobs. */
#include <errno.h>
#include <pica/cron.h>
#include <pica/fs.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "ram_blk.h"

#define BS 512u
#define NBLOCKS 48u

static const struct pica_blk_geometry geo = {
    .read_size = 16, .prog_size = 16, .erase_size = BS, .block_count = NBLOCKS,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff,
};
static uint8_t mem_root[BS * NBLOCKS], mem_tmp[BS * NBLOCKS];
static struct ram_blk dev_root, dev_tmp;
static uint8_t cache_root[PICAFS_CACHE_SIZE(BS, 8)], cache_tmp[PICAFS_CACHE_SIZE(BS, 8)];
static uint64_t work[PICA_FS_CHECK_WORK(BS) / 8 + 1];

static unsigned problems;

static void
report(void *arg, const char *what)
{
    (void)arg;
    problems++;
    printf("fs: %s\n", what);
}

static void
format(struct ram_blk *rb, const char *name, uint8_t *mem)
{
    pica_assert_eq(ram_blk_init(rb, name, mem, &geo), 0);
    struct picafs_format_opts o = {.work = work, .work_size = sizeof(work)};
    pica_assert_eq(picafs_format(&rb->blk, &o), 0);
}

/* The byte at @off of writer @w's file: a pattern that shows any byte out
 * of place. */
static uint8_t
pattern(unsigned w, uint32_t off)
{
    return (uint8_t)(off * 7u + w * 31u + (off >> 8));
}

PICA_TEST(two_mounts_hold_their_own_files)
{
    format(&dev_root, "ram0", mem_root);
    format(&dev_tmp, "ram1", mem_tmp);
    pica_assert_eq(pica_fs_mount("/", &dev_root.blk, cache_root, sizeof(cache_root), report, NULL), 0);
    pica_assert_eq(pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), report, NULL),
                   0);
    pica_assert_eq(pica_fs_mkdir("/etc"), 0);
    struct pica_file f;
    pica_assert_eq(pica_fs_open(&f, "/tmp/t", PICA_O_WRONLY | PICA_O_CREAT), 0);
    pica_assert_eq(pica_fs_write(&f, "tmp", 3), 3);
    pica_assert_eq(pica_fs_close(&f), 0);
    struct picafs_stat st;
    pica_assert_eq(pica_fs_stat("/tmp/t", &st), 0);
    pica_assert_eq(st.size, 3);
    pica_assert_eq(pica_fs_stat("/t", &st), -ENOENT);
    pica_assert_eq(pica_fs_rename("/tmp/t", "/t"), -EXDEV);
    pica_assert_eq(pica_fs_rmdir("/tmp"), -EBUSY);
}

/* ---- threads at once ---- */

#define WRITERS 3
#define CHUNK 40u
#define ROUNDS 24u

static struct pica_thread writer_threads[WRITERS], reader_thread;
/* A file system call takes up to about 1.5 KB of stack (docs/fs.md). */
static uint64_t writer_stacks[WRITERS][2048 / 8], reader_stack[2048 / 8];
static volatile int writer_errors[WRITERS], reader_errors, reader_reads;
static volatile bool writers_done;

static void
writer_main(void *arg)
{
    unsigned w = (unsigned)(uintptr_t)arg;
    char path[16];
    snprintf(path, sizeof(path), "/%s/w%u", w == 2 ? "tmp" : "etc", w);
    struct pica_file f;
    if (pica_fs_open(&f, path, PICA_O_WRONLY | PICA_O_CREAT | PICA_O_TRUNC) != 0) {
        writer_errors[w]++;
        return;
    }
    uint8_t buf[CHUNK];
    for (uint32_t r = 0; r < ROUNDS; r++) {
        for (uint32_t i = 0; i < CHUNK; i++) {
            buf[i] = pattern(w, r * CHUNK + i);
        }
        if (pica_fs_write(&f, buf, CHUNK) != (int32_t)CHUNK) {
            writer_errors[w]++;
        }
        if (r % 4u == 3u && pica_fs_fsync(&f) != 0) {
            writer_errors[w]++;
        }
        pica_sleep(PICA_MS(5 + w));
    }
    if (pica_fs_close(&f) != 0) {
        writer_errors[w]++;
    }
}

/* Whatever length a file has when it is read, every byte is the one its
 * writer put there. */
static void
reader_main(void *arg)
{
    (void)arg;
    uint8_t buf[64];
    while (!writers_done) {
        for (unsigned w = 0; w < WRITERS; w++) {
            char path[16];
            snprintf(path, sizeof(path), "/%s/w%u", w == 2 ? "tmp" : "etc", w);
            struct pica_file f;
            int err = pica_fs_open(&f, path, PICA_O_RDONLY);
            if (err == -ENOENT) {
                continue; /* not created yet */
            }
            if (err != 0) {
                printf("fs: reader: open %s: %d\n", path, err);
                reader_errors++;
                continue;
            }
            uint32_t off = 0;
            int32_t n;
            while ((n = pica_fs_read(&f, buf, sizeof(buf))) > 0) {
                for (int32_t i = 0; i < n; i++, off++) {
                    reader_errors += buf[i] != pattern(w, off);
                }
            }
            reader_errors += n < 0;
            (void)pica_fs_close(&f);
            reader_reads++;
        }
        pica_sleep(PICA_MS(3));
    }
}

PICA_TEST(writers_and_a_reader_at_once_leave_every_byte_in_place)
{
    writers_done = false;
    pica_assert_eq(pica_thread_create(&reader_thread, "reader", reader_main, NULL, reader_stack,
                                      sizeof(reader_stack), 9, 0),
                   0);
    for (unsigned w = 0; w < WRITERS; w++) {
        pica_assert_eq(pica_thread_create(&writer_threads[w], "writer", writer_main,
                                          (void *)(uintptr_t)w, writer_stacks[w],
                                          sizeof(writer_stacks[w]), 10 + w, 0),
                       0);
    }
    for (unsigned w = 0; w < WRITERS; w++) {
        pica_assert_eq(pica_thread_join(&writer_threads[w], PICA_MS(20000)), 0);
    }
    writers_done = true;
    pica_assert_eq(pica_thread_join(&reader_thread, PICA_MS(2000)), 0);
    printf("fs: %d reads during the writes\n", reader_reads);
    for (unsigned w = 0; w < WRITERS; w++) {
        pica_assert_eq(writer_errors[w], 0);
    }
    pica_assert_eq(reader_errors, 0);
    pica_assert_gt(reader_reads, 3);
    problems = 0;
    pica_assert_eq(pica_fs_check("/", work, sizeof(work), report, NULL), 0);
    pica_assert_eq(pica_fs_check("/tmp", work, sizeof(work), report, NULL), 0);
    pica_assert_eq(problems, 0);
    /* And after a remount, every file whole. */
    pica_assert_eq(pica_fs_umount("/tmp"), 0);
    pica_assert_eq(pica_fs_mount("/tmp", &dev_tmp.blk, cache_tmp, sizeof(cache_tmp), report, NULL),
                   0);
    for (unsigned w = 0; w < WRITERS; w++) {
        char path[16];
        snprintf(path, sizeof(path), "/%s/w%u", w == 2 ? "tmp" : "etc", w);
        struct picafs_stat st;
        pica_assert_eq(pica_fs_stat(path, &st), 0);
        pica_assert_eq(st.size, CHUNK * ROUNDS);
        struct pica_file f;
        pica_assert_eq(pica_fs_open(&f, path, PICA_O_RDONLY), 0);
        uint8_t b;
        for (uint32_t off = 0; off < CHUNK * ROUNDS; off++) {
            pica_assert_eq(pica_fs_read(&f, &b, 1), 1);
            pica_assert_eq(b, pattern(w, off));
        }
        pica_assert_eq(pica_fs_close(&f), 0);
    }
}

/* ---- a crontab file ---- */

PICA_TEST(a_crontab_file_becomes_cron_jobs)
{
    static const char text[] = "# every ten seconds\n"
                               "\"*/10 * * * * *\" echo from crontab\n"
                               "\n"
                               "\"61 * * * * *\" echo never\n"
                               "\"@hourly\" echo hourly";
    struct pica_file f;
    pica_assert_eq(pica_fs_open(&f, "/etc/crontab", PICA_O_WRONLY | PICA_O_CREAT | PICA_O_TRUNC), 0);
    pica_assert_eq(pica_fs_write(&f, text, sizeof(text) - 1u), (int32_t)sizeof(text) - 1);
    pica_assert_eq(pica_fs_close(&f), 0);
    pica_assert_eq(pica_cron_load("/etc/nothing"), -ENOENT);
    int added = pica_cron_load("/etc/crontab");
    pica_assert_eq(added, 2); /* the line with 61 refused, said with its number */
    struct pica_cron_info in;
    unsigned found = 0;
    for (unsigned i = 0; pica_cron_info_at(i, &in) == 0; i++) {
        found += strcmp(in.what, "echo from crontab") == 0 || strcmp(in.what, "echo hourly") == 0;
    }
    pica_assert_eq(found, 2);
    pica_assert_eq(pica_cron_del_owned(0, NULL), 0); /* every unowned job: clean up */
}

/* ---- a power cut after every few programs and erases ---- */

static struct picafs cut_fs;
static struct picafs_file cut_file;

/* The workload: create a, write 700 bytes and close; rename it over b
 * (created before); append 300 to it; unlink c. Returns how many steps
 * completed (each a commit), or stops at the first error. */
static unsigned
cut_workload(void)
{
    static uint8_t buf[700];
    for (uint32_t i = 0; i < sizeof(buf); i++) {
        buf[i] = pattern(7, i);
    }
    unsigned done = 0;
    if (picafs_open(&cut_fs, &cut_file, "/a", PICAFS_O_WRONLY | PICAFS_O_CREAT) != 0) {
        return done;
    }
    int32_t n = picafs_write(&cut_fs, &cut_file, buf, sizeof(buf));
    if (picafs_close(&cut_fs, &cut_file) != 0 || n != (int32_t)sizeof(buf)) {
        return done;
    }
    done++; /* 1: a holds 700 */
    if (picafs_rename(&cut_fs, "/a", "/b") != 0) {
        return done;
    }
    done++; /* 2: b holds 700, no a */
    if (picafs_open(&cut_fs, &cut_file, "/b", PICAFS_O_WRONLY | PICAFS_O_APPEND) != 0) {
        return done;
    }
    n = picafs_write(&cut_fs, &cut_file, buf, 300);
    if (picafs_close(&cut_fs, &cut_file) != 0 || n != 300) {
        return done;
    }
    done++; /* 3: b holds 1000 */
    if (picafs_unlink(&cut_fs, "/c") != 0) {
        return done;
    }
    return done + 1; /* 4: no c */
}

/* The size of @path, -1 if it is absent, or -2 if a byte is not the one
 * the workload wrote there (700 bytes of pattern 7, then its first 300
 * again). */
static int32_t
size_of(const char *path)
{
    struct picafs_stat st;
    if (picafs_stat(&cut_fs, path, &st) != 0) {
        return -1;
    }
    if (picafs_open(&cut_fs, &cut_file, path, PICAFS_O_RDONLY) != 0) {
        return -2;
    }
    uint8_t b;
    int32_t size = (int32_t)st.size;
    for (uint32_t i = 0; i < st.size && size >= 0; i++) {
        if (picafs_read(&cut_fs, &cut_file, &b, 1) != 1 || b != pattern(7, i < 700 ? i : i - 700)) {
            size = -2;
        }
    }
    (void)picafs_close(&cut_fs, &cut_file);
    return size;
}

/* Whether what survived a cut that came after @done steps is a state the
 * workload committed: the last step's, or one on the way through the
 * next. A long write may commit part of itself (include/pica/picafs.h),
 * so a file being written may hold any prefix of what was written. */
static bool
committed_state(unsigned done, int32_t a, int32_t b, int32_t c)
{
    switch (done) {
    case 0: /* a not there, or created with a prefix of its 700 bytes */
        return a >= -1 && a <= 700 && b == 0 && c == 0;
    case 1: /* a whole, or renamed over b */
        return ((a == 700 && b == 0) || (a == -1 && b == 700)) && c == 0;
    case 2: /* b with a prefix of the 300 appended */
        return a == -1 && b >= 700 && b <= 1000 && c == 0;
    case 3: /* c unlinked or not */
        return a == -1 && b == 1000 && c <= 0;
    default:
        return a == -1 && b == 1000 && c == -1;
    }
}

PICA_TEST(a_power_cut_at_every_few_writes_leaves_a_committed_state)
{
    /* Quiet while the device dies (every block it fails is reported);
     * loud for the checks after. */
    const struct picafs_config quiet = {.cache = cache_tmp, .cache_size = sizeof(cache_tmp)};
    const struct picafs_config cfg = {.cache = cache_tmp, .cache_size = sizeof(cache_tmp),
                                      .report = report};
    pica_assert_eq(pica_fs_umount("/tmp"), 0);
    unsigned stride = 3, cuts = 0;
    for (uint32_t cut = 1;; cut += stride) {
        format(&dev_tmp, "ram1", mem_tmp);
        pica_assert_eq(picafs_mount(&cut_fs, &dev_tmp.blk, &quiet), 0);
        pica_assert_eq(picafs_open(&cut_fs, &cut_file, "/b", PICAFS_O_WRONLY | PICAFS_O_CREAT), 0);
        pica_assert_eq(picafs_close(&cut_fs, &cut_file), 0);
        pica_assert_eq(picafs_open(&cut_fs, &cut_file, "/c", PICAFS_O_WRONLY | PICAFS_O_CREAT), 0);
        pica_assert_eq(picafs_close(&cut_fs, &cut_file), 0);
        ram_blk_cut_after(&dev_tmp, cut);
        unsigned done = cut_workload();
        ram_blk_cut_after(&dev_tmp, RAM_BLK_NO_CUT);
        /* A fresh mount of what the device holds. */
        problems = 0;
        memset(&cut_fs, 0, sizeof(cut_fs));
        pica_assert_eq(picafs_fsck(&dev_tmp.blk, &cfg), 0);
        pica_assert_eq(problems, 0);
        pica_assert_eq(picafs_mount(&cut_fs, &dev_tmp.blk, &cfg), 0);
        /* The state of the last step completed, or of the one after it
         * (its commit landed but the call saw the cut afterwards). */
        int32_t a = size_of("/a"), b = size_of("/b"), c = size_of("/c");
        bool ok = committed_state(done, a, b, c);
        if (!ok) {
            printf("fs: cut %lu after step %u: a %ld b %ld c %ld\n", (unsigned long)cut, done,
                   (long)a, (long)b, (long)c);
        }
        pica_assert(ok);
        pica_assert_eq(picafs_unmount(&cut_fs), 0);
        cuts++;
        if (done == 4) {
            break; /* the whole workload ran before the cut */
        }
    }
    printf("fs: %u power cuts, every %u programs and erases, all mounted clean\n", cuts, stride);
    pica_assert_gt(cuts, 5);
}

int
main(void)
{
    pica_test_run();
}
