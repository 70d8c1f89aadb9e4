/* SPDX-License-Identifier: MIT */
/* Block allocation for picafs: the free map, the bad-block list and the
 * counters, all in the root block. The root is copied at the first change
 * of each transaction, like every other block.
 *
 * A block is allocatable only if it is free in the working map and was
 * not freed in this transaction (the "freed" bits after the map, in the
 * cache only): the committed state may still reach it. Allocation walks on
 * from a cursor kept in the root, so the erases go round all free blocks
 * (dynamic wear levelling). RESERVE_BLOCKS are kept for calls that free
 * space, so a full disk can still be cleaned up. */
#include "fs_priv.h"

bool
map_bit(const uint8_t *map, uint32_t b)
{
    return (map[b / 8] >> (b % 8)) & 1u;
}

static void
map_set(uint8_t *map, uint32_t b, bool on)
{
    if (on) {
        map[b / 8] |= (uint8_t)(1u << (b % 8));
    } else {
        map[b / 8] &= (uint8_t)~(1u << (b % 8));
    }
}

int
root_get(struct picafs *fs)
{
    return cache_load(fs, fs->root, KIND_ROOT, 0);
}

/* The first block from the cursor on that is neither used nor freed in
 * this transaction, or 0 if none. */
static uint32_t
find_free(struct picafs *fs, const uint8_t *r)
{
    const uint8_t *used = r + root_map_off(fs);
    const uint8_t *freed = r + root_freed_off(fs);
    uint32_t b = get32(r + R_CURSOR);
    for (uint32_t n = 0; n < fs->nblocks; n++, b++) {
        if (b >= fs->nblocks) {
            b = 2;
        }
        if (b >= 2 && !map_bit(used, b) && !map_bit(freed, b)) {
            return b;
        }
    }
    return 0;
}

static void
take(struct picafs *fs, uint8_t *r, uint32_t b)
{
    map_set(r + root_map_off(fs), b, true);
    put32(r + R_CURSOR, b + 1 < fs->nblocks ? b + 1 : 2);
}

/* The working root, pending and dirty: copied to a new block at the first
 * change since the last commit. The copy costs no space: the old root is
 * freed (reusable after the commit). */
int
root_writable(struct picafs *fs)
{
    int i = root_get(fs);
    if (i < 0) {
        return i;
    }
    uint8_t *r = cache_buf(fs, i);
    if (!(fs->ent[i].flags & CENT_PRIV)) {
        memset(r + root_freed_off(fs), 0, (fs->nblocks + 7) / 8);
        uint32_t b = find_free(fs, r);
        if (b == 0) {
            return -ENOSPC;
        }
        take(fs, r, b);
        map_set(r + root_map_off(fs), fs->root, false);
        map_set(r + root_freed_off(fs), fs->root, true);
        fs->pending_free++;
        fs->root = b;
        fs->ent[i].loc = b;
        fs->ent[i].parent = NO_PARENT;
        fs->ent[i].flags |= CENT_PRIV;
    }
    fs->ent[i].flags |= CENT_DIRTY;
    return i;
}

int
blk_alloc(struct picafs *fs, uint32_t *loc)
{
    int i = root_writable(fs);
    if (i < 0) {
        return i;
    }
    uint8_t *r = cache_buf(fs, i);
    uint32_t nfree = get32(r + R_FREE);
    uint32_t avail = nfree > fs->pending_free ? nfree - fs->pending_free : 0;
    if (avail == 0 || (!fs->use_reserve && avail <= RESERVE_BLOCKS)) {
        return -ENOSPC;
    }
    uint32_t b = find_free(fs, r);
    if (b == 0) {
        return fs_corrupt(fs, "free count wrong in root block", fs->root, nfree);
    }
    take(fs, r, b);
    put32(r + R_FREE, nfree - 1);
    *loc = b;
    return 0;
}

/* Give back a block allocated in this transaction and never linked. */
void
blk_unalloc(struct picafs *fs, uint32_t loc)
{
    int i = cache_find(fs, fs->root);
    uint8_t *r = cache_buf(fs, i);
    map_set(r + root_map_off(fs), loc, false);
    put32(r + R_FREE, get32(r + R_FREE) + 1);
}

/* Free @loc. A block allocated in this transaction is reusable at once;
 * one the committed state holds only after the commit. */
int
blk_free(struct picafs *fs, uint32_t loc)
{
    int i = root_writable(fs);
    if (i < 0) {
        return i;
    }
    uint8_t *r = cache_buf(fs, i);
    if (loc < 2 || loc >= fs->nblocks || !map_bit(r + root_map_off(fs), loc)) {
        return fs_corrupt(fs, "freeing a block not in use:", loc, UINT32_MAX);
    }
    int c = cache_find(fs, loc);
    bool pending = c >= 0 && (fs->ent[c].flags & CENT_PRIV);
    if (c >= 0) {
        fs->ent[c].flags = 0;
    }
    map_set(r + root_map_off(fs), loc, false);
    if (!pending) {
        map_set(r + root_freed_off(fs), loc, true);
        fs->pending_free++;
    }
    put32(r + R_FREE, get32(r + R_FREE) + 1);
    return 0;
}

/* Record @loc as bad: it stays marked used for ever. */
int
blk_mark_bad(struct picafs *fs, uint32_t loc)
{
    int i = root_writable(fs);
    if (i < 0) {
        return i;
    }
    uint8_t *r = cache_buf(fs, i);
    uint32_t nbad = get32(r + R_NBAD);
    if (nbad >= fs->bad_max) {
        fs_report(fs, "bad-block list full; failing block", loc, UINT32_MAX);
        return -EIO;
    }
    put32(r + root_bad_off(fs) + 4 * nbad, loc);
    put32(r + R_NBAD, nbad + 1);
    fs_report(fs, "block failed, marked bad:", loc, UINT32_MAX);
    return 0;
}
