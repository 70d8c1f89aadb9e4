/* SPDX-License-Identifier: MIT */
/* The block cache of picafs: the caller's buffer cut into blocks, least
 * recently used first out. Only clean blocks are evicted: a pending block
 * (allocated since the last commit) stays until the commit writes it, so
 * nothing the committed state does not reach is ever on disk half-done,
 * and a pending block's parent can always be found to relocate it.
 * blk_writable() is the copy-on-write step every change goes through. */
#include "fs_priv.h"

int
cache_find(struct picafs *fs, uint32_t loc)
{
    for (uint32_t i = 0; i < fs->nent; i++) {
        if ((fs->ent[i].flags & CENT_VALID) && fs->ent[i].loc == loc) {
            return (int)i;
        }
    }
    return -1;
}

/* A slot to reuse: an empty one, else the least recently used clean one. */
static int
victim(struct picafs *fs)
{
    int best = -1;
    for (uint32_t i = 0; i < fs->nent; i++) {
        const struct picafs_cent *e = &fs->ent[i];
        if (!(e->flags & CENT_VALID)) {
            return (int)i;
        }
        if (!(e->flags & (CENT_DIRTY | CENT_PRIV)) &&
            (best < 0 || (int32_t)(e->used - fs->ent[best].used) < 0)) {
            best = (int)i;
        }
    }
    return best;
}

static void
touch(struct picafs *fs, int i)
{
    fs->ent[i].used = ++fs->clock;
}

static uint8_t
rank_of(unsigned kind, unsigned level)
{
    switch (kind) {
    case KIND_IND:
        return (uint8_t)level; /* 1 or 2: above data, below the leaf */
    case KIND_LEAF:
        return 3;
    case KIND_ROOT:
        return 4;
    default:
        return 0;
    }
}

/* The block at @loc, read and checked if not cached. The pointer that led
 * here came from disk, so it is range-checked before use. */
int
cache_load(struct picafs *fs, uint32_t loc, unsigned kind, uint32_t owner)
{
    if (loc < 2 || loc >= fs->nblocks) {
        return fs_corrupt(fs, "block pointer out of range:", loc, UINT32_MAX);
    }
    int i = cache_find(fs, loc);
    if (i >= 0) {
        const uint8_t *b = cache_buf(fs, i);
        if (b[H_KIND] != kind || (owner != OWNER_ANY && get32(b + H_OWNER) != owner)) {
            return fs_corrupt(fs, "block reached from two places:", loc, UINT32_MAX);
        }
        touch(fs, i);
        return i;
    }
    i = victim(fs);
    if (i < 0) {
        return -ENOMEM; /* the callers keep enough clean slots: a bug */
    }
    fs->ent[i].flags = 0;
    uint8_t *b = cache_buf(fs, i);
    int err = io_read(fs, loc, 0, b, fs->bs);
    if (!err) {
        err = blk_check(fs, loc, b, kind, owner);
    }
    if (err) {
        return err;
    }
    fs->ent[i] = (struct picafs_cent){.loc = loc, .parent = NO_PARENT, .flags = CENT_VALID,
                                      .rank = rank_of(kind, b[H_LEVEL])};
    touch(fs, i);
    return i;
}

/* An empty pending block for a newly allocated @loc. */
int
cache_new(struct picafs *fs, uint32_t loc, unsigned kind, unsigned level, uint32_t owner)
{
    cache_drop(fs, loc);
    int i = victim(fs);
    if (i < 0) {
        return -ENOMEM;
    }
    uint8_t *b = cache_buf(fs, i);
    memset(b, 0, fs->bs);
    b[H_KIND] = (uint8_t)kind;
    b[H_LEVEL] = (uint8_t)level;
    put32(b + H_OWNER, owner);
    fs->ent[i] = (struct picafs_cent){.loc = loc, .parent = NO_PARENT,
                                      .flags = CENT_VALID | CENT_DIRTY | CENT_PRIV,
                                      .rank = rank_of(kind, level)};
    touch(fs, i);
    return i;
}

void
cache_drop(struct picafs *fs, uint32_t loc)
{
    int i = cache_find(fs, loc);
    if (i >= 0) {
        fs->ent[i].flags = 0;
    }
}

/* Forget every pending block (a transaction given up). */
void
cache_drop_pending(struct picafs *fs)
{
    for (uint32_t i = 0; i < fs->nent; i++) {
        if (fs->ent[i].flags & (CENT_DIRTY | CENT_PRIV)) {
            fs->ent[i].flags = 0;
        }
    }
}

uint32_t
cache_pending(const struct picafs *fs)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < fs->nent; i++) {
        n += (fs->ent[i].flags & (CENT_DIRTY | CENT_PRIV)) != 0;
    }
    return n;
}

/* Make the block that the pointer at @poff in cached block @parent (itself
 * pending) designates pending, and return its cache slot. A committed
 * block is copied to a newly allocated one and the pointer changed, the
 * old block freed (reusable after the commit); a pointer of 0 gets a new
 * empty block if @create, else -ENOENT. Fails with nothing changed. */
int
blk_writable(struct picafs *fs, int parent, uint32_t poff, unsigned kind, unsigned level,
             uint32_t owner, bool create)
{
    if (!(fs->ent[parent].flags & CENT_PRIV)) {
        return -EIO; /* copy-on-write runs from the root down: a bug */
    }
    uint32_t loc = get32(cache_buf(fs, parent) + poff);
    uint32_t fresh;
    int i;
    if (loc == 0) {
        if (!create) {
            return -ENOENT;
        }
        int err = blk_alloc(fs, &fresh);
        if (err) {
            return err;
        }
        i = cache_new(fs, fresh, kind, level, owner);
        if (i < 0) {
            blk_unalloc(fs, fresh);
            return i;
        }
    } else {
        i = cache_find(fs, loc);
        if (i < 0 || !(fs->ent[i].flags & CENT_PRIV)) {
            int err = blk_alloc(fs, &fresh);
            if (err) {
                return err;
            }
            i = cache_load(fs, loc, kind, owner);
            if (i < 0) {
                blk_unalloc(fs, fresh);
                return i;
            }
            if (kind == KIND_IND && cache_buf(fs, i)[H_LEVEL] != level) {
                blk_unalloc(fs, fresh);
                return fs_corrupt(fs, "indirect block at the wrong level:", loc, UINT32_MAX);
            }
            fs->ent[i].loc = fresh;
            fs->ent[i].flags |= CENT_DIRTY | CENT_PRIV;
            int err2 = blk_free(fs, loc);
            if (err2) {
                return err2;
            }
        } else if (cache_buf(fs, i)[H_KIND] != kind) {
            return fs_corrupt(fs, "block reached from two places:", loc, UINT32_MAX);
        }
    }
    fs->ent[i].parent = fs->ent[parent].loc;
    fs->ent[i].poff = poff;
    put32(cache_buf(fs, parent) + poff, fs->ent[i].loc);
    return i;
}
