/* SPDX-License-Identifier: MIT */
/* The inode table of picafs: leaves of INODE_SIZE-byte inodes, listed in
 * the root with the number in use in each. Inode n is slot n % per-leaf
 * of leaf n / per-leaf; inode 0 is the root directory. A leaf is allocated
 * when its first inode is and freed with its last, so an empty table costs
 * one block. Inodes are copied out and back (struct inode), never used in
 * place, so no pointer into the cache outlives a cache call. */
#include "fs_priv.h"

bool
ino_valid(const struct picafs *fs, uint32_t ino)
{
    return ino < fs->nleaves * inodes_per_leaf(fs);
}

void
inode_decode(const uint8_t *p, struct inode *in)
{
    in->type = p[I_TYPE];
    in->flags = p[I_FLAGS];
    in->size = get32(p + I_SIZE);
    in->parent = get32(p + I_PARENT);
    for (uint32_t k = 0; k < NPTR; k++) {
        in->ptr[k] = get32(p + I_PTR + 4 * k);
    }
    memcpy(in->inl, p + I_PTR, INLINE_MAX);
}

static void
inode_encode(uint8_t *p, const struct inode *in)
{
    memset(p, 0, INODE_SIZE);
    p[I_TYPE] = in->type;
    p[I_FLAGS] = in->flags;
    put32(p + I_SIZE, in->size);
    put32(p + I_PARENT, in->parent);
    if (in->flags & IF_BLOCKS) {
        for (uint32_t k = 0; k < NPTR; k++) {
            put32(p + I_PTR + 4 * k, in->ptr[k]);
        }
    } else {
        memcpy(p + I_PTR, in->inl, INLINE_MAX);
    }
}

/* An inode read from disk is checked before its numbers are trusted. */
static int
inode_check(struct picafs *fs, uint32_t ino, const struct inode *in)
{
    uint64_t max = (uint64_t)map_max_blocks(fs) * data_per_blk(fs);
    if (in->type > PICAFS_TYPE_DIR || in->flags > IF_BLOCKS ||
        (in->type == PICAFS_TYPE_DIR && !(in->flags & IF_BLOCKS)) ||
        (!(in->flags & IF_BLOCKS) && in->size > INLINE_MAX) || in->size > max ||
        in->size > INT32_MAX) {
        return fs_corrupt(fs, "bad inode", ino, in->type);
    }
    return 0;
}

static int
leaf_of(struct picafs *fs, uint32_t ino, uint32_t *leaf, uint32_t *off)
{
    if (!ino_valid(fs, ino)) {
        return fs_corrupt(fs, "inode number out of range:", ino, UINT32_MAX);
    }
    *leaf = ino / inodes_per_leaf(fs);
    *off = HDR_SIZE + (ino % inodes_per_leaf(fs)) * INODE_SIZE;
    return 0;
}

/* @in gets inode @ino (type 0 if free). */
int
inode_read(struct picafs *fs, uint32_t ino, struct inode *in)
{
    uint32_t leaf = 0, off = 0; /* set by inode_place(); gcc -O2 cannot see it */
    int err = leaf_of(fs, ino, &leaf, &off);
    if (err) {
        return err;
    }
    int r = root_get(fs);
    if (r < 0) {
        return r;
    }
    uint32_t loc = get32(cache_buf(fs, r) + R_LEAVES + 8 * leaf);
    if (loc == 0) {
        memset(in, 0, sizeof(*in));
        return 0;
    }
    int i = cache_load(fs, loc, KIND_LEAF, leaf);
    if (i < 0) {
        return i;
    }
    inode_decode(cache_buf(fs, i) + off, in);
    return inode_check(fs, ino, in);
}

int
leaf_writable(struct picafs *fs, uint32_t leaf, bool create)
{
    int r = root_writable(fs);
    if (r < 0) {
        return r;
    }
    return blk_writable(fs, r, R_LEAVES + 8 * leaf, KIND_LEAF, 0, leaf, create);
}

int
inode_write(struct picafs *fs, uint32_t ino, const struct inode *in)
{
    uint32_t leaf = 0, off = 0; /* set by inode_place(); gcc -O2 cannot see it */
    int err = leaf_of(fs, ino, &leaf, &off);
    if (err) {
        return err;
    }
    int i = leaf_writable(fs, leaf, false);
    if (i < 0) {
        return i == -ENOENT ? -EIO : i;
    }
    inode_encode(cache_buf(fs, i) + off, in);
    return 0;
}

/* A new empty inode of @type in the first leaf with room. */
int
inode_alloc(struct picafs *fs, uint8_t type, uint32_t parent, uint32_t *ino)
{
    uint32_t ipl = inodes_per_leaf(fs);
    int r = root_writable(fs);
    if (r < 0) {
        return r;
    }
    uint32_t leaf = 0;
    while (leaf < fs->nleaves && get32(cache_buf(fs, r) + R_LEAVES + 8 * leaf + 4) >= ipl) {
        leaf++;
    }
    if (leaf == fs->nleaves) {
        return -ENOSPC;
    }
    int i = leaf_writable(fs, leaf, true);
    if (i < 0) {
        return i;
    }
    uint8_t *b = cache_buf(fs, i);
    uint32_t slot = 0;
    while (slot < ipl && b[HDR_SIZE + slot * INODE_SIZE + I_TYPE] != 0) {
        slot++;
    }
    if (slot == ipl) {
        return fs_corrupt(fs, "inode count wrong for leaf", leaf, UINT32_MAX);
    }
    struct inode in = {.type = type, .parent = parent};
    in.flags = type == PICAFS_TYPE_DIR ? IF_BLOCKS : 0;
    inode_encode(b + HDR_SIZE + slot * INODE_SIZE, &in);
    uint8_t *rb = cache_buf(fs, r);
    put32(rb + R_LEAVES + 8 * leaf + 4, get32(rb + R_LEAVES + 8 * leaf + 4) + 1);
    put32(rb + R_FILES, get32(rb + R_FILES) + 1);
    *ino = leaf * ipl + slot;
    return 0;
}

/* Free inode @ino and all its blocks; a leaf left empty is freed too. */
int
inode_free(struct picafs *fs, uint32_t ino)
{
    struct inode in;
    int err = inode_read(fs, ino, &in);
    if (!err && (in.flags & IF_BLOCKS)) {
        err = map_truncate(fs, ino, 0);
    }
    uint32_t leaf = 0, off = 0; /* set by inode_place(); gcc -O2 cannot see it */
    if (!err) {
        err = leaf_of(fs, ino, &leaf, &off);
    }
    int i = err ? err : leaf_writable(fs, leaf, false);
    if (i < 0) {
        return i;
    }
    memset(cache_buf(fs, i) + off, 0, INODE_SIZE);
    int r = root_writable(fs);
    if (r < 0) {
        return r;
    }
    uint8_t *rb = cache_buf(fs, r);
    uint32_t used = get32(rb + R_LEAVES + 8 * leaf + 4) - 1;
    put32(rb + R_LEAVES + 8 * leaf + 4, used);
    put32(rb + R_FILES, get32(rb + R_FILES) - 1);
    if (used == 0 && leaf != 0) {
        err = blk_free(fs, fs->ent[i].loc);
        put32(cache_buf(fs, r) + R_LEAVES + 8 * leaf, 0);
    }
    return err;
}
