/* SPDX-License-Identifier: MIT */
/* The picafs test rig (rig.h). */
#include "rig.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

uint8_t rig_mem[RIG_MEM];
uint8_t rig_cache[RIG_CACHE];
uint8_t rig_work[4096];

static void
on_report(void *arg, const char *what)
{
    struct rig *r = arg;
    r->reports++;
    snprintf(r->last, sizeof(r->last), "%s", what);
    if (getenv("PICAFS_VERBOSE") != NULL) {
        printf("  report: %s\n", what);
    }
}

int
rig_start(struct rig *r, const struct pica_blk_geometry *geo, uint32_t nblocks,
          uint32_t cache_blocks, bool format)
{
    memset(r, 0, sizeof(*r));
    r->geo = geo;
    r->nblocks = nblocks;
    tdev_init(&r->dev, rig_mem, geo, nblocks);
    r->cfg = (struct picafs_config){
        .cache = rig_cache,
        .cache_size = PICAFS_CACHE_SIZE(geo->erase_size, cache_blocks),
        .report = on_report,
        .report_arg = r,
    };
    if (format) {
        struct picafs_format_opts o = {.work = rig_work, .work_size = sizeof(rig_work)};
        int err = picafs_format(&r->dev.blk, &o);
        if (err) {
            return err;
        }
    }
    return picafs_mount(&r->fs, &r->dev.blk, &r->cfg);
}

int
rig_remount(struct rig *r)
{
    memset(&r->fs, 0xA5, sizeof(r->fs));
    return picafs_mount(&r->fs, &r->dev.blk, &r->cfg);
}

int
rig_fsck(struct rig *r)
{
    return picafs_fsck(&r->dev.blk, &r->cfg);
}

int
rig_put(struct rig *r, const char *path, const void *data, uint32_t n)
{
    struct picafs_file f;
    int err = picafs_open(&r->fs, &f, path,
                          PICAFS_O_WRONLY | PICAFS_O_CREAT | PICAFS_O_TRUNC);
    if (err) {
        return err;
    }
    int32_t w = picafs_write(&r->fs, &f, data, n);
    int c = picafs_close(&r->fs, &f);
    if (w < 0) {
        return w;
    }
    if ((uint32_t)w != n) {
        return -ENOSPC;
    }
    return c;
}

int32_t
rig_get(struct rig *r, const char *path, void *buf, uint32_t max)
{
    struct picafs_file f;
    int err = picafs_open(&r->fs, &f, path, PICAFS_O_RDONLY);
    if (err) {
        return err;
    }
    int32_t n = picafs_read(&r->fs, &f, buf, max);
    picafs_close(&r->fs, &f);
    return n;
}

void
rig_pattern(void *buf, uint32_t n, uint32_t seed)
{
    uint8_t *p = buf;
    uint32_t x = seed * 2654435761u + 1;
    for (uint32_t i = 0; i < n; i++) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        p[i] = (uint8_t)(x >> 3);
    }
}
