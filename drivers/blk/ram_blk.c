/* SPDX-License-Identifier: MIT */
/* A block device in RAM: NOR-like or sector-like as its geometry says, with
 * a power cut for power-loss tests (ram_blk.h). Portable C, host-tested in
 * tests/unit/sd_spi/. */
#include "ram_blk.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

static struct ram_blk *
to_ram(struct pica_blk *dev)
{
    return (struct ram_blk *)dev;
}

static uint8_t *
at(struct ram_blk *rb, uint32_t block, uint32_t offset)
{
    return rb->mem + (size_t)block * rb->blk.geo.erase_size + offset;
}

/* One more program or erase, unless the power has been cut. */
static bool
power_on(struct ram_blk *rb)
{
    if (rb->cut_after == RAM_BLK_NO_CUT) {
        return true;
    }
    if (rb->cut_after == 0) {
        return false;
    }
    rb->cut_after--;
    return true;
}

static int
ram_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    struct ram_blk *rb = to_ram(dev);
    memcpy(buf, at(rb, block, offset), size);
    rb->reads++;
    return 0;
}

static int
ram_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf, size_t size)
{
    struct ram_blk *rb = to_ram(dev);
    uint8_t *dst = at(rb, block, offset);
    if (dev->geo.flags & PICA_BLK_ERASE_BEFORE_PROG) {
        /* NOR flash can only clear bits: a unit programmed twice without an
         * erase in between is a bug of the caller, reported, not merged. */
        for (size_t i = 0; i < size; i++) {
            if (dst[i] != (uint8_t)dev->geo.erased_value) {
                return -EIO;
            }
        }
    }
    if (!power_on(rb)) {
        return -EIO;
    }
    memcpy(dst, buf, size);
    rb->progs++;
    return 0;
}

static int
ram_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    struct ram_blk *rb = to_ram(dev);
    if (!power_on(rb)) {
        return -EIO;
    }
    if (dev->geo.flags & PICA_BLK_ERASE_BEFORE_PROG) {
        memset(at(rb, block, 0), dev->geo.erased_value, (size_t)count * dev->geo.erase_size);
    }
    rb->erases++;
    return 0;
}

static int
ram_sync(struct pica_blk *dev)
{
    to_ram(dev)->syncs++;
    return 0;
}

static const struct pica_blk_ops ram_ops = {
    .read = ram_read,
    .prog = ram_prog,
    .erase = ram_erase,
    .sync = ram_sync,
};

int
ram_blk_init(struct ram_blk *rb, const char *name, void *mem,
             const struct pica_blk_geometry *geometry)
{
    if (rb == NULL || mem == NULL || geometry == NULL) {
        return -EINVAL;
    }
    struct ram_blk tmp = {
        .blk = {.name = name, .ops = &ram_ops, .geo = *geometry},
        .mem = mem,
        .cut_after = RAM_BLK_NO_CUT,
    };
    int err = pica_blk_init(&tmp.blk);
    if (err) {
        return err;
    }
    bool nor = (geometry->flags & PICA_BLK_ERASE_BEFORE_PROG) != 0;
    uint64_t bytes = (uint64_t)geometry->block_count * geometry->erase_size;
    if (bytes != (size_t)bytes || (nor && geometry->erased_value < 0)) {
        return -EINVAL;
    }
    *rb = tmp;
    if (nor) {
        memset(mem, geometry->erased_value, (size_t)bytes);
    }
    return 0;
}

void
ram_blk_cut_after(struct ram_blk *rb, uint32_t n)
{
    rb->cut_after = n;
}
