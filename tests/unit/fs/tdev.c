/* SPDX-License-Identifier: MIT */
/* The picafs test device (tdev.h). */
#include "tdev.h"

#include <errno.h>
#include <string.h>

const struct pica_blk_geometry tdev_nor = {
    .read_size = 256, .prog_size = 256, .erase_size = 4096, .block_count = 0,
    .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xFF,
};

const struct pica_blk_geometry tdev_sector = {
    .read_size = 512, .prog_size = 512, .erase_size = 512, .block_count = 0,
    .erased_value = -1,
};

static struct tdev *
to_tdev(struct pica_blk *dev)
{
    return (struct tdev *)dev;
}

static uint32_t
rnd(struct tdev *d)
{
    d->rng = d->rng * 1103515245u + 12345u;
    return d->rng >> 8;
}

static int
t_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    return pica_blk_read(&to_tdev(dev)->ram.blk, block, offset, buf, size);
}

/* The torn program: a prefix of the data lands; the rest stays as it was
 * (NOR: erased) or becomes garbage (a sector device). */
static void
tear(struct tdev *d, uint32_t block, uint32_t offset, const uint8_t *buf, size_t size)
{
    uint8_t *dst = d->ram.mem + (size_t)block * d->blk.geo.erase_size + offset;
    size_t keep = rnd(d) % (size + 1);
    memcpy(dst, buf, keep);
    if (!(d->blk.geo.flags & PICA_BLK_ERASE_BEFORE_PROG)) {
        for (size_t i = keep; i < size; i++) {
            dst[i] = (uint8_t)rnd(d);
        }
    }
}

/* One more program or erase on @block: false if it must fail. */
static bool
may_write(struct tdev *d, uint32_t block, uint32_t count, bool *torn_now)
{
    *torn_now = false;
    if (d->dead) {
        return false;
    }
    for (uint32_t b = block; b < block + count; b++) {
        if (d->bad[b]) {
            return false;
        }
    }
    if (d->torn_after != UINT32_MAX) {
        if (d->torn_after == 0) {
            d->dead = true;
            *torn_now = true;
            return false;
        }
        d->torn_after--;
    }
    return true;
}

static int
t_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf, size_t size)
{
    struct tdev *d = to_tdev(dev);
    bool torn;
    if (!may_write(d, block, 1, &torn)) {
        if (torn) {
            tear(d, block, offset, buf, size);
        }
        return -EIO;
    }
    int err = pica_blk_prog(&d->ram.blk, block, offset, buf, size);
    if (!err) {
        d->ops++;
        d->prog_bytes += size;
    }
    return err;
}

static int
t_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    struct tdev *d = to_tdev(dev);
    bool torn;
    if (!may_write(d, block, count, &torn)) {
        if (torn && (dev->geo.flags & PICA_BLK_ERASE_BEFORE_PROG)) {
            /* an erase cut part way: some of the block erased */
            memset(d->ram.mem + (size_t)block * dev->geo.erase_size, 0xFF,
                   rnd(d) % dev->geo.erase_size);
        }
        return -EIO;
    }
    int err = pica_blk_erase(&d->ram.blk, block, count);
    if (!err) {
        d->ops++;
        for (uint32_t b = block; b < block + count; b++) {
            d->erases[b]++;
        }
    }
    return err;
}

static int
t_sync(struct pica_blk *dev)
{
    return pica_blk_sync(&to_tdev(dev)->ram.blk);
}

static const struct pica_blk_ops tdev_ops = {
    .read = t_read, .prog = t_prog, .erase = t_erase, .sync = t_sync,
};

void
tdev_init(struct tdev *d, void *mem, const struct pica_blk_geometry *geo, uint32_t nblocks)
{
    struct pica_blk_geometry g = *geo;
    g.block_count = nblocks;
    memset(d, 0, sizeof(*d));
    ram_blk_init(&d->ram, "ram", mem, &g);
    d->blk = (struct pica_blk){.name = "tdev", .ops = &tdev_ops, .geo = g};
    pica_blk_init(&d->blk);
    d->torn_after = UINT32_MAX;
}

void
tdev_reset_counts(struct tdev *d)
{
    d->ops = 0;
    d->prog_bytes = 0;
    memset(d->erases, 0, sizeof(d->erases));
}

void
tdev_cut(struct tdev *d, uint32_t n, bool torn, uint32_t seed)
{
    d->dead = false;
    d->rng = seed;
    if (torn) {
        d->torn_after = n;
        ram_blk_cut_after(&d->ram, RAM_BLK_NO_CUT);
    } else {
        d->torn_after = UINT32_MAX;
        ram_blk_cut_after(&d->ram, n);
    }
}
