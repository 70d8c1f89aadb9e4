/* SPDX-License-Identifier: MIT */
/* File system figures in guest instructions, for tools/pica-bench-fs:
 * picafs (include/pica/picafs.h) called directly on a RAM block device
 * (drivers/blk/ram_blk.c) of 512 KiB, in the cases of cases[]: NOR flash
 * (4 KiB erase, 256-byte program) and a 512-byte sector device, with
 * 4 KiB file system blocks and the smallest cache (8 blocks), then NOR
 * with twice the cache and the sector device with 512-byte blocks.
 * Between picafs and the RAM device sits a counting device (struct
 * count_blk) that adds up the bytes read, programmed and erased, so each
 * workload's write amplification is bytes programmed / bytes written.
 * Each measured stretch runs with interrupts locked, so the counter
 * (counter/<kind>/tm_counter.h: minstret on RISC-V, a CMSDK timer at 40
 * instructions per count on MPS2) sees picafs and the RAM device only.
 * Lines "FS <geometry> <workload> key=value..." carry raw counts; the
 * script divides. */
#include <pica/picafs.h>
#include <pica/pica.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "ram_blk.h"
#include "tm_counter.h"

#define DEV_SIZE (512u * 1024u)    /* bytes of each RAM device */
#define CACHE_MAX (16u * 4096u)    /* the largest cache of cases[] */
#define SEQ_SIZE (64u * 1024u)     /* the sequential file */
#define SEQ_CHUNK 256u             /* bytes per write() and read() */
#define APPENDS 256u               /* appends, each followed by fsync */
#define APPEND_SIZE 4u
#define MOUNT_RUNS 8u              /* mounts averaged per figure */
#define FULL_DIRS 3u
#define FULL_FILES 40u
/* Blocks the fill leaves for its commits, besides one per directory (a
 * second block of entries) and one per inode-table leaf it may add. */
#define FULL_SLACK 6u
#define FS_RESERVE 8u              /* RESERVE_BLOCKS in fs/fs_priv.h */

/* A pica_blk that forwards to another and counts what passes. */
struct count_blk {
    struct pica_blk blk; /* first: a struct pica_blk * is a struct count_blk * */
    struct pica_blk *under;
    uint32_t read_bytes, prog_bytes, erase_bytes;
    uint32_t progs, erases;
};

struct bench_case {
    const char *name;
    struct pica_blk_geometry geo;
    uint32_t block_size;   /* the file system's, at format */
    uint32_t cache_blocks; /* of block_size bytes */
    uint32_t inodes;       /* at format; 0: the default, half the blocks */
};

#define GEO_NOR                                                                           \
    {.read_size = 1, .prog_size = 256, .erase_size = 4096, .block_count = DEV_SIZE / 4096, \
     .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xff}
#define GEO_SECTOR                                                                        \
    {.read_size = 512, .prog_size = 512, .erase_size = 512, .block_count = DEV_SIZE / 512, \
     .flags = 0, .erased_value = -1}

static const struct bench_case cases[] = {
    {"nor", GEO_NOR, 4096, PICAFS_CACHE_MIN_BLOCKS, 0},
    {"sector", GEO_SECTOR, 4096, PICAFS_CACHE_MIN_BLOCKS, 0},
    {"nor-cache16", GEO_NOR, 4096, 16, 0},
    /* With 512-byte blocks the default of 512 inodes would take 73 leaf
     * pointers and leave the root block room to map only 468 blocks;
     * 128 inodes leave room for 991. */
    {"sector-bs512", GEO_SECTOR, 512, PICAFS_CACHE_MIN_BLOCKS, 128},
};

static uint8_t dev_mem[DEV_SIZE];
static uint8_t cache[CACHE_MAX];
static uint8_t src[SEQ_SIZE], dst[SEQ_SIZE];
static struct ram_blk ram;
static struct count_blk cnt;
static struct picafs fs;
static struct picafs_config cfg = {.cache = cache};

static unsigned meter_key;
static uint32_t meter_t0;

static int
count_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    struct count_blk *c = (struct count_blk *)dev;
    c->read_bytes += size;
    return c->under->ops->read(c->under, block, offset, buf, size);
}

static int
count_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf, size_t size)
{
    struct count_blk *c = (struct count_blk *)dev;
    c->prog_bytes += size;
    c->progs++;
    return c->under->ops->prog(c->under, block, offset, buf, size);
}

static int
count_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    struct count_blk *c = (struct count_blk *)dev;
    c->erase_bytes += count * dev->geo.erase_size;
    c->erases++;
    return c->under->ops->erase(c->under, block, count);
}

static int
count_sync(struct pica_blk *dev)
{
    struct count_blk *c = (struct count_blk *)dev;
    return c->under->ops->sync(c->under);
}

static const struct pica_blk_ops count_ops = {
    .read = count_read, .prog = count_prog, .erase = count_erase, .sync = count_sync,
};

static void
fail(const char *what, int err)
{
    printf("FS failed: %s (%d)\n", what, err);
    pica_exit(PICA_EXIT_TEST_FAILED);
}

static void
check(const char *what, int err)
{
    if (err < 0) {
        fail(what, err);
    }
}

static void
counts_reset(void)
{
    cnt.read_bytes = cnt.prog_bytes = cnt.erase_bytes = 0;
    cnt.progs = cnt.erases = 0;
}

/* Interrupts stay locked from start to stop: no tick lands in a figure. */
static void
meter_start(void)
{
    meter_key = arch_irq_lock();
    meter_t0 = tm_count();
}

static uint64_t
meter_stop(void)
{
    uint32_t t = tm_count();
    arch_irq_unlock(meter_key);
    return (uint64_t)(t - meter_t0) * TM_COUNT_INSNS;
}

static void
report(const char *geo, const char *what, uint64_t insns, uint32_t ops, uint32_t bytes)
{
    printf("FS %s %s insns=%llu ops=%lu bytes=%lu read=%lu prog=%lu erase=%lu progs=%lu "
           "erases=%lu\n",
           geo, what, (unsigned long long)insns, (unsigned long)ops, (unsigned long)bytes,
           (unsigned long)cnt.read_bytes, (unsigned long)cnt.prog_bytes,
           (unsigned long)cnt.erase_bytes, (unsigned long)cnt.progs, (unsigned long)cnt.erases);
}

/* Mount MOUNT_RUNS times (unmounting in between, unmetered). */
static void
bench_mount(const char *geo, const char *what)
{
    uint64_t insns = 0;
    counts_reset();
    for (unsigned i = 0; i < MOUNT_RUNS; i++) {
        meter_start();
        int err = picafs_mount(&fs, &cnt.blk, &cfg);
        insns += meter_stop();
        check("mount", err);
        if (i + 1 < MOUNT_RUNS) {
            check("unmount", picafs_unmount(&fs));
        }
    }
    report(geo, what, insns, MOUNT_RUNS, 0);
}

/* 64 KiB in 256-byte writes, then close; then, mounted afresh so the cache
 * is cold, read back in 256-byte reads, then close. */
static void
bench_seq(const char *geo)
{
    struct picafs_file f;
    check("open seq", picafs_open(&fs, &f, "/seq", PICAFS_O_WRONLY | PICAFS_O_CREAT));
    counts_reset();
    meter_start();
    int err = 0;
    for (uint32_t off = 0; off < SEQ_SIZE && err >= 0; off += SEQ_CHUNK) {
        err = picafs_write(&fs, &f, &src[off], SEQ_CHUNK);
    }
    int cerr = picafs_close(&fs, &f);
    uint64_t insns = meter_stop();
    check("write seq", err);
    check("close seq", cerr);
    report(geo, "seq_write", insns, SEQ_SIZE / SEQ_CHUNK, SEQ_SIZE);

    check("unmount", picafs_unmount(&fs));
    check("mount", picafs_mount(&fs, &cnt.blk, &cfg));
    check("open seq", picafs_open(&fs, &f, "/seq", PICAFS_O_RDONLY));
    counts_reset();
    meter_start();
    int32_t n = SEQ_CHUNK;
    for (uint32_t off = 0; off < SEQ_SIZE && n == SEQ_CHUNK; off += SEQ_CHUNK) {
        n = picafs_read(&fs, &f, &dst[off], SEQ_CHUNK);
    }
    cerr = picafs_close(&fs, &f);
    insns = meter_stop();
    check("read seq", n);
    check("close seq", cerr);
    if (n != SEQ_CHUNK || memcmp(src, dst, SEQ_SIZE) != 0) {
        fail("seq: read back differs", n);
    }
    report(geo, "seq_read", insns, SEQ_SIZE / SEQ_CHUNK, SEQ_SIZE);
    check("unlink seq", picafs_unlink(&fs, "/seq"));
}

/* 4-byte appends, each made durable by fsync. */
static void
bench_append(const char *geo)
{
    struct picafs_file f;
    check("open log",
          picafs_open(&fs, &f, "/log", PICAFS_O_WRONLY | PICAFS_O_CREAT | PICAFS_O_APPEND));
    counts_reset();
    meter_start();
    int err = 0;
    for (uint32_t i = 0; i < APPENDS && err >= 0; i++) {
        err = picafs_write(&fs, &f, &src[i * APPEND_SIZE], APPEND_SIZE);
        if (err >= 0) {
            err = picafs_fsync(&fs, &f);
        }
    }
    uint64_t insns = meter_stop();
    check("append", err);
    report(geo, "append_fsync", insns, APPENDS, APPENDS * APPEND_SIZE);
    check("close log", picafs_close(&fs, &f));
    check("unlink log", picafs_unlink(&fs, "/log"));
}

/* FULL_FILES files over FULL_DIRS directories, sized so that together
 * they take the blocks left but the reserve and a few for the commits. */
static void
fill(const char *geo)
{
    char path[32];
    for (unsigned d = 0; d < FULL_DIRS; d++) {
        snprintf(path, sizeof(path), "/dir%u", d);
        check("mkdir", picafs_mkdir(&fs, path));
    }
    struct picafs_statvfs st;
    check("statvfs", picafs_statvfs(&fs, &st));
    uint32_t per_blk = st.block_size - 16u; /* HDR_SIZE in fs/fs_priv.h */
    uint32_t leaves = (FULL_FILES + FULL_DIRS) / (per_blk / 64u) + 1u; /* 64-byte inodes */
    uint32_t left = st.blocks_free - FS_RESERVE - FULL_SLACK - FULL_DIRS - leaves;
    uint32_t bytes = 0;
    for (unsigned i = 0; i < FULL_FILES; i++) {
        /* Past the 11 direct pointers a file needs an indirect block. */
        uint32_t blocks = left / FULL_FILES + (i < left % FULL_FILES ? 1u : 0u);
        blocks -= blocks > 11u ? 1u : 0u;
        uint32_t size = blocks * per_blk - 100u; /* the last block not quite full */
        struct picafs_file f;
        snprintf(path, sizeof(path), "/dir%u/file%02u", i % FULL_DIRS, i);
        check("open fill", picafs_open(&fs, &f, path, PICAFS_O_WRONLY | PICAFS_O_CREAT));
        for (uint32_t off = 0; off < size;) {
            uint32_t n = size - off < SEQ_SIZE ? size - off : SEQ_SIZE;
            int32_t w = picafs_write(&fs, &f, src, n);
            if (w != (int32_t)n) {
                fail("fill write", w);
            }
            off += n;
        }
        check("close fill", picafs_close(&fs, &f));
        bytes += size;
    }
    check("statvfs", picafs_statvfs(&fs, &st));
    printf("FS %s full files=%u bytes=%lu blocks=%lu free=%lu\n", geo, FULL_FILES,
           (unsigned long)bytes, (unsigned long)st.block_count, (unsigned long)st.blocks_free);
}

static void
bench_case(const struct bench_case *c)
{
    check("ram_blk", ram_blk_init(&ram, c->name, dev_mem, &c->geo));
    memset(&cnt, 0, sizeof(cnt));
    cnt.blk = (struct pica_blk){.name = c->name, .ops = &count_ops, .geo = c->geo};
    cnt.under = &ram.blk;
    check("count_blk", pica_blk_init(&cnt.blk));
    cfg.cache_size = PICAFS_CACHE_SIZE(c->block_size, c->cache_blocks);
    struct picafs_format_opts o = {.work = cache, .work_size = sizeof(cache),
                                   .block_size = c->block_size, .inodes = c->inodes};
    check("format", picafs_format(&cnt.blk, &o));

    bench_mount(c->name, "mount_empty");
    bench_seq(c->name);
    bench_append(c->name);
    fill(c->name);
    check("unmount", picafs_unmount(&fs));
    bench_mount(c->name, "mount_full");
    check("unmount", picafs_unmount(&fs));
    printf("FS %s ram fs=%u file=%u cache=%u bs=%u\n", c->name, (unsigned)sizeof(struct picafs),
           (unsigned)sizeof(struct picafs_file), (unsigned)cfg.cache_size,
           (unsigned)c->block_size);
}

int
main(void)
{
    tm_counter_init();
    printf("FS counter %s, %u instructions per count\n", TM_COUNTER_NAME, TM_COUNT_INSNS);
    for (uint32_t i = 0; i < SEQ_SIZE; i++) {
        src[i] = (uint8_t)(i * 7u + (i >> 8));
    }
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        bench_case(&cases[i]);
    }
    printf("FS done\n");
    pica_exit(PICA_EXIT_OK);
}
