/* SPDX-License-Identifier: MIT */
/* picafs on a disk that outlives the run (qemu.fs_disk): a host file
 * through semihosting on the Arm boards, a virtio disk on virt-rv32. Run 1
 * (FSD_PHASE 1) formats the blank disk and writes files; run 2, in a new
 * QEMU, finds them and changes them; check_fs_disk.py then reads the image
 * on the host with tools/pica-fs. */
#include <errno.h>
#include <pica/fs.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#if defined(FSD_SEMIHOST)
#include "semihost_blk.h"
static struct semihost_blk disk;
#else
#include "board_virtio.h"
#include "virtio_blk.h"
static struct virtio_blk disk;
#endif

#define FS_BLOCK 2048u /* four sectors: the free map of 1 MiB fits the root */
#define RUN1_SIZE 3000u

static uint8_t cache[PICAFS_CACHE_SIZE(FS_BLOCK, 8)];

static struct pica_blk *
disk_open(void)
{
#if defined(FSD_SEMIHOST)
    pica_assert_eq(semihost_blk_open(&disk, "host0", FSD_IMAGE, 512, 2048), 0);
#else
    static const struct virtio_mmio_slots slots = BOARD_VIRTIO_MMIO_SLOTS;
    pica_assert_eq(virtio_blk_find(&disk, "vda", &slots, 0), 0);
#endif
    return &disk.blk;
}

/* The byte check_fs_disk.py expects at @i of /run1.txt. */
static uint8_t
run1_byte(uint32_t i)
{
    return (uint8_t)(i * 13u + 7u + (i >> 9));
}

static void
say(void *arg, const char *what)
{
    (void)arg;
    printf("fs: %s\n", what);
}

static void
put(const char *path, const void *data, uint32_t n)
{
    struct pica_file f;
    pica_assert_eq(pica_fs_open(&f, path, PICA_O_WRONLY | PICA_O_CREAT | PICA_O_TRUNC), 0);
    pica_assert_eq(pica_fs_write(&f, data, n), (int32_t)n);
    pica_assert_eq(pica_fs_close(&f), 0);
}

#if FSD_PHASE == 1
PICA_TEST(run_1_formats_the_blank_disk_and_writes_files)
{
    struct pica_blk *dev = disk_open();
    /* A fresh disk is no file system: refused, not trusted. */
    pica_assert_eq(pica_fs_mount("/", dev, cache, sizeof(cache), NULL, NULL), -EUCLEAN);
    const struct picafs_format_opts o = {.work = cache, .work_size = sizeof(cache),
                                         .block_size = FS_BLOCK};
    pica_assert_eq(picafs_format(dev, &o), 0);
    pica_assert_eq(pica_fs_mount("/", dev, cache, sizeof(cache), say, NULL), 0);
    static uint8_t data[RUN1_SIZE];
    for (uint32_t i = 0; i < RUN1_SIZE; i++) {
        data[i] = run1_byte(i);
    }
    put("/run1.txt", data, RUN1_SIZE);
    pica_assert_eq(pica_fs_mkdir("/d"), 0);
    put("/d/f", "written by run 1\n", 17);
    pica_assert_eq(pica_fs_umount("/"), 0);
    printf("fs disk: run 1 wrote its files\n");
}
#else
PICA_TEST(run_2_finds_the_files_of_run_1)
{
    struct pica_blk *dev = disk_open();
    pica_assert_eq(pica_fs_mount("/", dev, cache, sizeof(cache), say, NULL), 0);
    struct pica_file f;
    pica_assert_eq(pica_fs_open(&f, "/run1.txt", PICA_O_RDONLY), 0);
    uint8_t b[100];
    uint32_t at = 0;
    int32_t n;
    while ((n = pica_fs_read(&f, b, sizeof(b))) > 0) {
        for (int32_t i = 0; i < n; i++, at++) {
            pica_assert_eq(b[i], run1_byte(at));
        }
    }
    pica_assert_eq(n, 0);
    pica_assert_eq(at, RUN1_SIZE);
    pica_assert_eq(pica_fs_close(&f), 0);
    char text[32] = {0};
    pica_assert_eq(pica_fs_open(&f, "/d/f", PICA_O_RDONLY), 0);
    pica_assert_eq(pica_fs_read(&f, text, sizeof(text) - 1), 17);
    pica_assert_eq(pica_fs_close(&f), 0);
    pica_assert_eq(strcmp(text, "written by run 1\n"), 0);
    put("/run2.txt", "run 2 saw run 1\n", 16);
    pica_assert_eq(pica_fs_rename("/d/f", "/d/g"), 0);
    pica_assert_eq(pica_fs_umount("/"), 0);
    printf("fs disk: run 2 found them\n");
}
#endif

int
main(void)
{
    pica_test_run();
}
