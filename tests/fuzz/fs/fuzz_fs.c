/* SPDX-License-Identifier: MIT */
/* libFuzzer target for picafs (fs/): the input picks a device kind, a few
 * byte changes to a small valid image, and a script of calls run on it.
 * Mount, fsck and every call must fail cleanly or work: no crash, no
 * sanitizer report, no hang. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <pica/picafs.h>
#include "ram_blk.h"

#define NOR_BLOCKS 16
#define SECTOR_BLOCKS 64

static uint8_t mem[NOR_BLOCKS * 4096];
static uint8_t cache[10 * 4096];
static uint8_t work[4096];
static uint8_t buf[16384];

static const struct pica_blk_geometry geos[2] = {
    {.read_size = 256, .prog_size = 256, .erase_size = 4096, .block_count = NOR_BLOCKS,
     .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xFF},
    {.read_size = 512, .prog_size = 512, .erase_size = 512, .block_count = SECTOR_BLOCKS,
     .erased_value = -1},
};

static const char *const paths[8] = {"/a", "/b", "/d", "/d/c", "/d/e", "/d/e/f", "/x/y", "/"};

struct input {
    const uint8_t *p;
    size_t n;
};

static uint8_t
next(struct input *in)
{
    if (in->n == 0) {
        return 0;
    }
    in->n--;
    return *in->p++;
}

/* One call chosen by the input, on @fs with the one handle @f. */
static void
call(struct picafs *fs, struct picafs_file *f, bool *open, struct input *in)
{
    uint8_t op = next(in), a = next(in), b = next(in);
    const char *p = paths[a % 8], *q = paths[b % 8];
    struct picafs_stat st;
    switch (op % 12) {
    case 0:
        if (!*open) {
            *open = picafs_open(fs, f, p, (unsigned)(b & 3) | (b & 0x80 ? PICAFS_O_CREAT : 0) |
                                              (b & 0x40 ? PICAFS_O_TRUNC : 0) |
                                              (b & 0x20 ? PICAFS_O_APPEND : 0)) == 0;
        }
        break;
    case 1:
        if (*open) {
            picafs_write(fs, f, buf, (uint32_t)a * 37u);
        }
        break;
    case 2:
        if (*open) {
            picafs_read(fs, f, buf, sizeof(buf));
        }
        break;
    case 3:
        if (*open) {
            picafs_lseek(fs, f, (int32_t)a * 100 - 1000, b % 3);
        }
        break;
    case 4:
        if (*open) {
            picafs_ftruncate(fs, f, (uint32_t)a * 60u);
        }
        break;
    case 5:
        if (*open) {
            picafs_close(fs, f);
            *open = false;
        }
        break;
    case 6:
        picafs_mkdir(fs, p);
        break;
    case 7:
        picafs_unlink(fs, p);
        break;
    case 8:
        picafs_rmdir(fs, p);
        break;
    case 9:
        picafs_rename(fs, p, q);
        break;
    case 10:
        picafs_stat(fs, p, &st);
        break;
    default:
        if (*open) {
            picafs_fsync(fs, f);
        }
        break;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct input in = {data, size};
    const struct pica_blk_geometry *g = &geos[next(&in) & 1];
    struct ram_blk rb;
    struct picafs fs;
    struct picafs_file f;
    struct picafs_config cfg = {.cache = cache, .cache_size = sizeof(cache)};
    struct picafs_format_opts o = {.work = work, .work_size = sizeof(work)};
    bool open = false;
    memset(buf, 0x5A, sizeof(buf));
    if (ram_blk_init(&rb, "fuzz", mem, g) != 0 || picafs_format(&rb.blk, &o) != 0 ||
        picafs_mount(&fs, &rb.blk, &cfg) != 0) {
        return 0;
    }
    /* a first script on the healthy image */
    for (int i = 0; i < 8 && in.n > 0; i++) {
        call(&fs, &f, &open, &in);
    }
    if (open) {
        picafs_close(&fs, &f);
        open = false;
    }
    picafs_unmount(&fs);
    /* damage: up to 8 bytes changed anywhere */
    size_t total = (size_t)g->block_count * g->erase_size;
    for (int n = next(&in) % 9; n > 0; n--) {
        size_t at = ((size_t)next(&in) << 16 | (size_t)next(&in) << 8 | next(&in)) % total;
        mem[at] ^= next(&in);
    }
    picafs_fsck(&rb.blk, &cfg);
    if (picafs_mount(&fs, &rb.blk, &cfg) != 0) {
        return 0;
    }
    while (in.n > 0) {
        call(&fs, &f, &open, &in);
    }
    if (open) {
        picafs_close(&fs, &f);
    }
    picafs_unmount(&fs);
    return 0;
}
