/* SPDX-License-Identifier: MIT */
/* Block devices: the checks in front of every driver (include/pica/blk.h).
 * Drivers get only in-range, aligned, non-empty requests; the drivers
 * themselves are in drivers/blk/. No kernel dependency: host-testable. */
#include <pica/blk.h>

#include <errno.h>
#include <stdbool.h>

static bool
is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

int
pica_blk_init(struct pica_blk *dev)
{
    if (dev == NULL || dev->name == NULL || dev->ops == NULL || dev->ops->read == NULL ||
        dev->ops->prog == NULL || dev->ops->erase == NULL) {
        return -EINVAL;
    }
    const struct pica_blk_geometry *g = &dev->geo;
    if (!is_pow2(g->read_size) || !is_pow2(g->prog_size) || !is_pow2(g->erase_size) ||
        g->erase_size < g->read_size || g->erase_size < g->prog_size || g->erased_value < -1 || g->erased_value > 0xFF) {
        return -EINVAL;
    }
    return 0;
}

const struct pica_blk_geometry *
pica_blk_geometry(const struct pica_blk *dev)
{
    return dev != NULL ? &dev->geo : NULL;
}

const char *
pica_blk_name(const struct pica_blk *dev)
{
    return dev != NULL ? dev->name : NULL;
}

uint64_t
pica_blk_size(const struct pica_blk *dev)
{
    return dev != NULL ? (uint64_t)dev->geo.block_count * dev->geo.erase_size : 0;
}

/* @size bytes from @offset in @block, in units of @unit, inside the device.
 * Sizes are powers of two, so alignment is a mask; the end is computed in
 * 64 bits, so no request wraps around. */
static bool
range_ok(const struct pica_blk *dev, uint32_t block, uint32_t offset, uint64_t size,
         uint32_t unit)
{
    const struct pica_blk_geometry *g = &dev->geo;
    if (size == 0 || ((offset | size) & (unit - 1)) != 0 || offset >= g->erase_size ||
        block >= g->block_count) {
        return false;
    }
    uint64_t start = (uint64_t)block * g->erase_size + offset;
    return size <= (uint64_t)g->block_count * g->erase_size - start;
}

/* The checks every request starts with: a device, and a medium in it. */
static int
medium_error(const struct pica_blk *dev)
{
    if (dev == NULL) {
        return -EINVAL;
    }
    return dev->geo.block_count == 0 ? -ENODEV : 0;
}

int
pica_blk_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    int err = medium_error(dev);
    if (err) {
        return err;
    }
    if (buf == NULL || !range_ok(dev, block, offset, size, dev->geo.read_size)) {
        return -EINVAL;
    }
    return dev->ops->read(dev, block, offset, buf, size);
}

int
pica_blk_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf,
              size_t size)
{
    int err = medium_error(dev);
    if (err) {
        return err;
    }
    if (buf == NULL || !range_ok(dev, block, offset, size, dev->geo.prog_size)) {
        return -EINVAL;
    }
    if (dev->geo.flags & PICA_BLK_READ_ONLY) {
        return -EROFS;
    }
    return dev->ops->prog(dev, block, offset, buf, size);
}

int
pica_blk_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    int err = medium_error(dev);
    if (err) {
        return err;
    }
    if (count == 0 || block >= dev->geo.block_count || count > dev->geo.block_count - block) {
        return -EINVAL;
    }
    if (dev->geo.flags & PICA_BLK_READ_ONLY) {
        return -EROFS;
    }
    return dev->ops->erase(dev, block, count);
}

int
pica_blk_sync(struct pica_blk *dev)
{
    int err = medium_error(dev);
    if (err) {
        return err;
    }
    return dev->ops->sync != NULL ? dev->ops->sync(dev) : 0;
}
