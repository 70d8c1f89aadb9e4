/* SPDX-License-Identifier: MIT */
/* The demo's file systems: "/" on the board's disk where it has one that
 * outlives the run (a host file through semihosting on the Arm boards, a
 * virtio disk on virt-rv32: both build/<board>/pica-fs.img under make
 * run), else on a RAM disk; "/tmp" on a RAM disk. A blank disk is
 * formatted; a disk that holds something other than a file system is
 * reported and left alone. Then /etc/crontab, if there is one, becomes
 * cron jobs. */
#include <errno.h>
#include <pica/cron.h>
#include <pica/fs.h>
#include <pica/heap.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"
#include "ram_blk.h"
#if defined(DEMO_DISK_SEMIHOST)
#include "semihost_blk.h"
#elif defined(DEMO_DISK_VIRTIO)
#include "board_virtio.h"
#include "virtio_blk.h"
#endif

/* The disk's file system blocks: 4 KiB over 512-byte sectors keeps the
 * free map of a 4 MiB image in one root block (docs/fs.md, limits). */
#define DISK_FS_BLOCK 4096u
#define RAM_BLOCK 512u
#define RAM_BLOCKS 32u

static const struct pica_blk_geometry ram_geo = {
    .read_size = 16, .prog_size = 16, .erase_size = RAM_BLOCK, .block_count = RAM_BLOCKS,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff,
};
static struct ram_blk ram_root, ram_tmp;
#if defined(DEMO_DISK_SEMIHOST)
static struct semihost_blk disk;
#elif defined(DEMO_DISK_VIRTIO)
static struct virtio_blk disk;
#endif

/* Whether @dev's first block is all one byte: a disk never written. */
static bool
blank(struct pica_blk *dev, uint8_t *buf, size_t size)
{
    if (pica_blk_read(dev, 0, 0, buf, size) != 0) {
        return false;
    }
    for (size_t i = 1; i < size; i++) {
        if (buf[i] != buf[0]) {
            return false;
        }
    }
    return buf[0] == 0x00 || buf[0] == 0xff;
}

static void
say(void *arg, const char *what)
{
    printf("fs %s: %s\n", (const char *)arg, what);
}

/* Mount @dev at @where with a cache of 8 blocks of @fs_block bytes from
 * the heap, formatting it first if it is blank. */
static int
mount_one(const char *where, struct pica_blk *dev, uint32_t fs_block)
{
    size_t cache_size = PICAFS_CACHE_SIZE(fs_block, PICAFS_CACHE_MIN_BLOCKS);
    uint8_t *cache = pica_malloc(cache_size);
    if (cache == NULL) {
        return -ENOMEM;
    }
    int err = 0;
    if (blank(dev, cache, pica_blk_geometry(dev)->erase_size)) {
        const struct picafs_format_opts o = {
            .work = cache, .work_size = cache_size, .block_size = fs_block};
        err = picafs_format(dev, &o);
        if (err == 0) {
            printf("fs: formatted %s for %s\n", pica_blk_name(dev), where);
        }
    }
    if (err == 0) {
        err = pica_fs_mount(where, dev, cache, cache_size, say, (void *)where);
    }
    if (err != 0) {
        pica_free(cache);
    }
    return err;
}

/* The board's lasting disk, or NULL. */
static struct pica_blk *
lasting_disk(void)
{
#if defined(DEMO_DISK_SEMIHOST)
    return semihost_blk_open_default(&disk) == 0 ? &disk.blk : NULL;
#elif defined(DEMO_DISK_VIRTIO)
    static const struct virtio_mmio_slots slots = BOARD_VIRTIO_MMIO_SLOTS;
    return virtio_blk_find(&disk, "vda", &slots, 0) == 0 ? &disk.blk : NULL;
#else
    return NULL;
#endif
}

static struct pica_blk *
ram_disk(struct ram_blk *rb, const char *name)
{
    void *mem = pica_malloc(RAM_BLOCK * RAM_BLOCKS);
    if (mem == NULL || ram_blk_init(rb, name, mem, &ram_geo) != 0) {
        return NULL;
    }
    return &rb->blk;
}

void
demo_disk_start(void)
{
    struct pica_blk *root = lasting_disk();
    uint32_t root_block = DISK_FS_BLOCK;
    int err = -ENODEV;
    if (root != NULL) {
        err = mount_one("/", root, root_block);
        if (err != 0) {
            printf("fs: %s not mounted (%s): / goes on a RAM disk\n", pica_blk_name(root),
                   pica_strerror(err));
        }
    }
    if (err != 0) {
        root = ram_disk(&ram_root, "ram0");
        err = root != NULL ? mount_one("/", root, RAM_BLOCK) : -ENOMEM;
    }
    struct pica_blk *tmp = ram_disk(&ram_tmp, "ram1");
    int err_tmp = tmp != NULL ? mount_one("/tmp", tmp, RAM_BLOCK) : -ENOMEM;
    if (err != 0 || err_tmp != 0) {
        printf("fs: / %s, /tmp %s\n", pica_strerror(err), pica_strerror(err_tmp));
        return;
    }
    printf("fs: / on %s, /tmp on %s (try: ls /, df, write /tmp/x hello)\n", pica_blk_name(root),
           pica_blk_name(tmp));
    int jobs = pica_cron_load("/etc/crontab");
    if (jobs >= 0) {
        printf("cron: %d job%s from /etc/crontab\n", jobs, jobs == 1 ? "" : "s");
    }
}
