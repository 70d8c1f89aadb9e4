/* SPDX-License-Identifier: MIT */
/* Format, mount and unmount of picafs. Mount reads the two log blocks
 * (commit.c), the root block and the first inode-table leaf, and checks
 * every number of the root before it is used, whatever the number of
 * files; nothing else is read until a call needs it. */
#include "fs_priv.h"

static bool
is_pow2(uint32_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

/* Does the root block of @fs (nblocks, nleaves, bad_max) fit in a block,
 * freed bits included? */
static bool
root_fits(const struct picafs *fs)
{
    if (fs->nleaves == 0 || fs->nleaves > fs->bs / 8 || fs->bad_max > fs->bs / 4) {
        return false;
    }
    return (uint64_t)root_freed_off(fs) + (fs->nblocks + 7) / 8 <= fs->bs;
}

/* Block size, block count and inode-table size for a new file system. */
static int
format_geometry(struct picafs *fs, const struct picafs_format_opts *o)
{
    const struct pica_blk_geometry *g = pica_blk_geometry(fs->dev);
    fs->bs = o->block_size != 0 ? o->block_size : g->erase_size;
    fs->dev_per_blk = fs->bs / g->erase_size;
    if (fs->bs % g->erase_size != 0 || !is_pow2(fs->dev_per_blk) ||
        fs->dev_per_blk > MAX_DEV_PER_BLK || fs->bs < 256 || o->work == NULL ||
        o->work_size < fs->bs) {
        return -EINVAL;
    }
    uint32_t avail = g->block_count / fs->dev_per_blk, ipl = inodes_per_leaf(fs);
    fs->nblocks = o->block_count != 0 ? o->block_count : avail;
    fs->bad_max = BAD_MAX;
    while (fs->nblocks >= MIN_BLOCKS && fs->nblocks <= avail) {
        uint32_t inodes = o->inodes != 0 ? o->inodes : fs->nblocks / 2;
        inodes = inodes > 2 * ipl || o->inodes != 0 ? inodes : 2 * ipl;
        fs->nleaves = inodes / ipl + (inodes % ipl != 0);
        if (root_fits(fs)) {
            return 0;
        }
        if (o->block_count != 0) {
            break;
        }
        fs->nblocks -= fs->nblocks / 32 + 1;
    }
    return -EINVAL;
}

/* The first root: the root directory (inode 0) in leaf block 2, the root
 * in block 3, blocks 0-3 used. */
static int
format_tree(struct picafs *fs, uint8_t *b)
{
    memset(b, 0, fs->bs);
    b[H_KIND] = KIND_LEAF;
    b[HDR_SIZE + I_TYPE] = PICAFS_TYPE_DIR;
    b[HDR_SIZE + I_FLAGS] = IF_BLOCKS;
    int err = blk_write(fs, 2, b);
    if (err) {
        return err;
    }
    memset(b, 0, fs->bs);
    b[H_KIND] = KIND_ROOT;
    put32(b + R_BLOCKS, fs->nblocks);
    put32(b + R_NLEAVES, fs->nleaves);
    put32(b + R_BADMAX, fs->bad_max);
    put32(b + R_CURSOR, 4);
    put32(b + R_FREE, fs->nblocks - 4);
    put32(b + R_FILES, 1);
    put32(b + R_LEAVES, 2);
    put32(b + R_LEAVES + 4, 1);
    b[root_map_off(fs)] = 0x0F;
    return blk_write(fs, 3, b);
}

int
picafs_format(struct pica_blk *dev, const struct picafs_format_opts *opts)
{
    if (dev == NULL || opts == NULL) {
        return -EINVAL;
    }
    const struct pica_blk_geometry *g = pica_blk_geometry(dev);
    if (g->flags & PICA_BLK_READ_ONLY) {
        return -EROFS;
    }
    struct picafs fs = {.dev = dev, .nor = (g->flags & PICA_BLK_ERASE_BEFORE_PROG) != 0};
    int err = format_geometry(&fs, opts);
    if (err) {
        return err;
    }
    uint8_t *b = opts->work;
    fs.cache = b;
    fs.nent = 1;
    uint32_t unit = g->prog_size > g->read_size ? g->prog_size : g->read_size;
    fs.slot_size = unit >= 32 ? unit : 32;
    fs.nslots = fs.bs / fs.slot_size;
    /* Old records must not outlive the format: erase (NOR) or zero both
     * log blocks before anything else is written. */
    memset(b, 0, fs.bs);
    for (uint32_t blk = 0; blk < 2 && !err; blk++) {
        err = fs.nor ? io_erase(&fs, blk) : io_prog(&fs, blk, 0, b, fs.bs);
    }
    if (!err) {
        err = format_tree(&fs, b);
    }
    if (!err) {
        err = io_sync(&fs);
    }
    if (!err) {
        fs.log_blk = 0;
        fs.log_slot = 0;
        err = log_append(&fs, 1, 3);
    }
    return err ? err : io_sync(&fs);
}

/* Check the root's leaf table, bad list and free map. */
static int
root_check_tables(struct picafs *fs, const uint8_t *r)
{
    const uint8_t *map = r + root_map_off(fs);
    uint32_t ipl = inodes_per_leaf(fs), files = 0, nfree = 0;
    for (uint32_t l = 0; l < fs->nleaves; l++) {
        uint32_t loc = get32(r + R_LEAVES + 8 * l), used = get32(r + R_LEAVES + 8 * l + 4);
        bool ok = loc == 0 ? used == 0 && l != 0
                           : loc >= 2 && loc < fs->nblocks && map_bit(map, loc) && used >= 1 &&
                                 used <= ipl;
        if (!ok) {
            return fs_corrupt(fs, "bad inode-table entry in root, leaf", l, loc);
        }
        files += used;
    }
    for (uint32_t k = 0; k < get32(r + R_NBAD); k++) {
        uint32_t loc = get32(r + root_bad_off(fs) + 4 * k);
        if (loc < 2 || loc >= fs->nblocks || !map_bit(map, loc)) {
            return fs_corrupt(fs, "bad entry in bad-block list:", loc, UINT32_MAX);
        }
    }
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        nfree += !map_bit(map, b);
    }
    if (files != get32(r + R_FILES) || nfree != get32(r + R_FREE) || !map_bit(map, 0) ||
        !map_bit(map, 1) || !map_bit(map, fs->root)) {
        return fs_corrupt(fs, "root counters disagree with its tables; root", fs->root,
                          UINT32_MAX);
    }
    return 0;
}

/* Load the committed root and check every number in it. */
static int
root_check(struct picafs *fs)
{
    int i = root_get(fs);
    if (i < 0) {
        return i;
    }
    const uint8_t *r = cache_buf(fs, i);
    fs->nleaves = get32(r + R_NLEAVES);
    fs->bad_max = get32(r + R_BADMAX);
    if (get32(r + R_BLOCKS) != fs->nblocks || !root_fits(fs) ||
        get32(r + H_LEN) != root_len(fs) || get32(r + R_NBAD) > fs->bad_max ||
        get32(r + R_CURSOR) < 2 || get32(r + R_CURSOR) >= fs->nblocks ||
        get32(r + R_FILES) > fs->nleaves * inodes_per_leaf(fs)) {
        return fs_corrupt(fs, "bad root block", fs->root, UINT32_MAX);
    }
    return root_check_tables(fs, r);
}

int
picafs_mount(struct picafs *fs, struct pica_blk *dev, const struct picafs_config *cfg)
{
    if (fs == NULL || dev == NULL || cfg == NULL || cfg->cache == NULL) {
        return -EINVAL;
    }
    const struct pica_blk_geometry *g = pica_blk_geometry(dev);
    *fs = (struct picafs){.dev = dev, .cache = cfg->cache, .report = cfg->report,
                          .report_arg = cfg->report_arg,
                          .nor = (g->flags & PICA_BLK_ERASE_BEFORE_PROG) != 0};
    if (cfg->cache_size < g->erase_size || g->block_count < 2) {
        return -EINVAL;
    }
    int err = log_scan(fs);
    if (err) {
        return err;
    }
    size_t n = cfg->cache_size / fs->bs;
    fs->nent = n > PICAFS_CACHE_MAX_BLOCKS ? PICAFS_CACHE_MAX_BLOCKS : (uint32_t)n;
    if (fs->nent < PICAFS_CACHE_MIN_BLOCKS) {
        fs_report(fs, "cache too small; blocks needed:", PICAFS_CACHE_MIN_BLOCKS, UINT32_MAX);
        return -EINVAL;
    }
    err = root_check(fs);
    struct inode in;
    if (!err) {
        err = inode_read(fs, ROOT_INO, &in);
    }
    if (!err && in.type != PICAFS_TYPE_DIR) {
        err = fs_corrupt(fs, "inode 0 is not a directory", UINT32_MAX, UINT32_MAX);
    }
    fs->mounted = err == 0;
    return err;
}

int
picafs_unmount(struct picafs *fs)
{
    int err = fs == NULL || !fs->mounted ? -EINVAL : 0;
    if (!err && fs->open != NULL) {
        err = -EBUSY;
    }
    if (!err) {
        fs->budget = RELOC_BUDGET;
        err = txn_commit(fs);
        fs->mounted = false;
    }
    return err;
}

int
picafs_sync(struct picafs *fs)
{
    if (fs == NULL || !fs->mounted) {
        return -EINVAL;
    }
    if (fs->broken) {
        return -EIO;
    }
    fs->budget = RELOC_BUDGET;
    return txn_commit(fs);
}
