/* SPDX-License-Identifier: MIT */
/* Block maps of picafs: which block holds block @idx of a file or
 * directory. Fixed depth: 11 direct pointers in the inode, then one
 * single-indirect block, then one double-indirect block, so every walk is
 * a loop of at most three steps. A pointer of 0 is a hole (reads as
 * zeros). Indirect blocks carry their level and the inode in their header,
 * so a pointer into the wrong structure is caught on the way. */
#include "fs_priv.h"

uint32_t
map_max_blocks(const struct picafs *fs)
{
    uint64_t p = ptrs_per_blk(fs);
    uint64_t n = NDIRECT + p + p * p;
    return n > UINT32_MAX ? UINT32_MAX : (uint32_t)n;
}

static int
load_ind(struct picafs *fs, uint32_t loc, uint32_t ino, unsigned level)
{
    int i = cache_load(fs, loc, KIND_IND, ino);
    if (i >= 0 && cache_buf(fs, i)[H_LEVEL] != level) {
        return fs_corrupt(fs, "indirect block at the wrong level:", loc, UINT32_MAX);
    }
    return i;
}

static uint32_t
entry(struct picafs *fs, int i, uint32_t k)
{
    return get32(cache_buf(fs, i) + HDR_SIZE + 4 * k);
}

/* @loc gets the block holding block @idx of inode @ino (@in), 0 for a hole. */
int
map_lookup(struct picafs *fs, uint32_t ino, const struct inode *in, uint32_t idx,
           uint32_t *loc)
{
    uint32_t p = ptrs_per_blk(fs);
    *loc = 0;
    if (idx < NDIRECT) {
        *loc = in->ptr[idx];
        return 0;
    }
    idx -= NDIRECT;
    uint32_t at = in->ptr[idx < p ? PTR_IND1 : PTR_IND2];
    unsigned level = idx < p ? 1 : 2;
    if (level == 2) {
        idx -= p;
        if (idx / p >= p) {
            return -EFBIG;
        }
    }
    for (; level > 0 && at != 0; level--) {
        int i = load_ind(fs, at, ino, level);
        if (i < 0) {
            return i;
        }
        at = entry(fs, i, level == 2 ? idx / p : idx % p);
    }
    *loc = at;
    return 0;
}

/* Block @idx of inode @ino made pending (allocated if a hole), with the
 * path to it; returns its cache slot. The inode must have IF_BLOCKS. */
int
map_writable(struct picafs *fs, uint32_t ino, unsigned kind, uint32_t idx)
{
    uint32_t p = ptrs_per_blk(fs), ipl = inodes_per_leaf(fs);
    int i = leaf_writable(fs, ino / ipl, false);
    if (i < 0) {
        return i == -ENOENT ? -EIO : i;
    }
    uint32_t poff = HDR_SIZE + (ino % ipl) * INODE_SIZE + I_PTR;
    if (idx < NDIRECT) {
        return blk_writable(fs, i, poff + 4 * idx, kind, 0, ino, true);
    }
    idx -= NDIRECT;
    if (idx < p) {
        i = blk_writable(fs, i, poff + 4 * PTR_IND1, KIND_IND, 1, ino, true);
        return i < 0 ? i : blk_writable(fs, i, HDR_SIZE + 4 * idx, kind, 0, ino, true);
    }
    idx -= p;
    if (idx / p >= p) {
        return -EFBIG;
    }
    i = blk_writable(fs, i, poff + 4 * PTR_IND2, KIND_IND, 2, ino, true);
    if (i >= 0) {
        i = blk_writable(fs, i, HDR_SIZE + 4 * (idx / p), KIND_IND, 1, ino, true);
    }
    return i < 0 ? i : blk_writable(fs, i, HDR_SIZE + 4 * (idx % p), kind, 0, ino, true);
}

/* Free the indirect block @loc of @level and everything under it. Depth
 * at most two. */
static int
free_tree(struct picafs *fs, uint32_t ino, uint32_t loc, unsigned level)
{
    for (uint32_t k = 0; k < ptrs_per_blk(fs); k++) {
        int i = load_ind(fs, loc, ino, level); /* again each time: the walk below evicts */
        if (i < 0) {
            return i;
        }
        uint32_t child = entry(fs, i, k);
        int err = 0;
        if (child != 0) {
            err = level == 2 ? free_tree(fs, ino, child, 1) : blk_free(fs, child);
        }
        if (err) {
            return err;
        }
    }
    return blk_free(fs, loc);
}

/* Free the data blocks from @from on (counted from the start of this
 * subtree) under the indirect block of @level pointed to at @poff in the
 * pending block @parent. */
static int
trunc_ind(struct picafs *fs, uint32_t ino, int parent, uint32_t poff, unsigned level,
          uint32_t from)
{
    uint32_t loc = get32(cache_buf(fs, parent) + poff);
    if (loc == 0) {
        return 0;
    }
    if (from == 0) {
        int err = free_tree(fs, ino, loc, level);
        if (!err) {
            put32(cache_buf(fs, parent) + poff, 0);
        }
        return err;
    }
    uint32_t p = ptrs_per_blk(fs), span = level == 2 ? p : 1;
    int i = blk_writable(fs, parent, poff, KIND_IND, level, ino, false);
    for (uint32_t k = from / span; i >= 0 && k < p; k++) {
        uint32_t off = HDR_SIZE + 4 * k;
        uint32_t child = get32(cache_buf(fs, i) + off);
        int err = 0;
        if (level == 2) {
            err = trunc_ind(fs, ino, i, off, 1, k == from / span ? from % span : 0);
        } else if (child != 0) {
            err = blk_free(fs, child);
            put32(cache_buf(fs, i) + off, 0);
        }
        if (err) {
            return err;
        }
    }
    return i < 0 ? i : 0;
}

/* Cut the block holding the new end so that what lies after it reads as
 * zeros if the file grows again. */
static int
trim_tail(struct picafs *fs, uint32_t ino, unsigned kind, uint32_t size)
{
    uint32_t dpb = data_per_blk(fs), cut = size % dpb;
    struct inode in;
    uint32_t loc = 0;
    if (cut == 0) {
        return 0;
    }
    int err = inode_read(fs, ino, &in);
    if (!err && (in.flags & IF_BLOCKS)) {
        err = map_lookup(fs, ino, &in, size / dpb, &loc);
    }
    if (err || loc == 0) {
        return err;
    }
    int i = map_writable(fs, ino, kind, size / dpb);
    if (i < 0) {
        return i;
    }
    uint8_t *b = cache_buf(fs, i);
    if (get32(b + H_LEN) > cut) {
        memset(b + HDR_SIZE + cut, 0, get32(b + H_LEN) - cut);
        put32(b + H_LEN, cut);
    }
    return 0;
}

/* Shrink inode @ino (with IF_BLOCKS) to @size bytes, freeing the blocks
 * past it. A size of 0 makes the file inline again. */
int
map_truncate(struct picafs *fs, uint32_t ino, uint32_t size)
{
    uint32_t p = ptrs_per_blk(fs), ipl = inodes_per_leaf(fs), dpb = data_per_blk(fs);
    uint32_t keep = size / dpb + (size % dpb != 0);
    int li = leaf_writable(fs, ino / ipl, false);
    if (li < 0) {
        return li == -ENOENT ? -EIO : li;
    }
    uint32_t base = HDR_SIZE + (ino % ipl) * INODE_SIZE;
    int err = 0;
    for (uint32_t k = keep; k < NDIRECT && !err; k++) {
        uint32_t child = get32(cache_buf(fs, li) + base + I_PTR + 4 * k);
        if (child != 0) {
            err = blk_free(fs, child);
            put32(cache_buf(fs, li) + base + I_PTR + 4 * k, 0);
        }
    }
    uint32_t from1 = keep > NDIRECT ? keep - NDIRECT : 0;
    if (!err && from1 < p) {
        err = trunc_ind(fs, ino, li, base + I_PTR + 4 * PTR_IND1, 1, from1);
    }
    uint32_t from2 = keep > NDIRECT + p ? keep - NDIRECT - p : 0;
    if (!err) {
        err = trunc_ind(fs, ino, li, base + I_PTR + 4 * PTR_IND2, 2, from2);
    }
    struct inode in;
    if (!err) {
        err = inode_read(fs, ino, &in);
    }
    if (err) {
        return err;
    }
    unsigned kind = in.type == PICAFS_TYPE_DIR ? KIND_DIR : KIND_DATA;
    if (in.size > size) {
        in.size = size;
    }
    if (size == 0 && in.type == PICAFS_TYPE_FILE) {
        in.flags = 0; /* back to inline, empty */
        memset(in.inl, 0, sizeof(in.inl));
    }
    err = inode_write(fs, ino, &in);
    return err ? err : trim_tail(fs, ino, kind, size);
}

/* @count gets the number of data blocks inode @ino holds. */
int
map_count(struct picafs *fs, uint32_t ino, const struct inode *in, uint32_t *count)
{
    *count = 0;
    if (!(in->flags & IF_BLOCKS)) {
        return 0;
    }
    uint32_t nblk = in->size / data_per_blk(fs) + 1;
    if (in->type == PICAFS_TYPE_DIR) {
        nblk = NDIRECT;
    }
    for (uint32_t idx = 0; idx < nblk && idx < map_max_blocks(fs); idx++) {
        uint32_t loc;
        int err = map_lookup(fs, ino, in, idx, &loc);
        if (err) {
            return err;
        }
        *count += loc != 0;
    }
    return 0;
}
