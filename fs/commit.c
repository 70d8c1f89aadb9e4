/* SPDX-License-Identifier: MIT */
/* Transactions and the commit log of picafs.
 *
 * The argument for power-loss safety: until a record is complete on disk,
 * the newest valid record names a root whose whole tree is committed, and
 * a transaction writes only blocks that are free in that state (pending
 * blocks, allocated since; fs_priv.h, alloc.c). A commit writes every
 * pending block, syncs, appends one record naming the new root, syncs. A
 * cut before the record completes leaves the old record newest (a torn
 * record fails its CRC); after, the new one. Records never overwrite the
 * newest one: they go after it, or into the other log block once erased.
 *
 * A program or erase that fails moves the block elsewhere (relocate())
 * and records the old one as bad, at most RELOC_BUDGET times per call, so
 * a dead device ends the call quickly with -EIO. */
#include "fs_priv.h"

#define LOG_TRIES 4u

static bool
rec_valid(const uint8_t *r)
{
    return get32(r + REC_MAGIC) == PFS_MAGIC && get32(r + REC_VERSION) == PFS_VERSION &&
           get32(r + REC_CRC) == pica_crc32(0, r, REC_CRC);
}

static uint32_t
slot_size_of(const struct pica_blk_geometry *g)
{
    uint32_t unit = g->prog_size > g->read_size ? g->prog_size : g->read_size;
    return unit >= 32 ? unit : 32;
}

struct best {
    bool found;
    uint32_t blk, slot, seq, root, nblocks, bs;
};

/* Scan the two log blocks as if a block were @k erase blocks; only records
 * of that block size count. @tmp holds one slot. */
static int
scan_with(struct picafs *fs, uint32_t k, uint8_t *tmp, struct best *best)
{
    uint32_t es = pica_blk_geometry(fs->dev)->erase_size;
    fs->dev_per_blk = k;
    fs->bs = k * es;
    fs->nslots = fs->bs / fs->slot_size;
    for (uint32_t b = 0; b < 2; b++) {
        for (uint32_t s = 0; s < fs->nslots; s++) {
            int err = io_read(fs, b, s * fs->slot_size, tmp, fs->slot_size);
            if (err) {
                return err;
            }
            if (!rec_valid(tmp) || get32(tmp + REC_BS) != fs->bs) {
                continue;
            }
            uint32_t seq = get32(tmp + REC_SEQ);
            if (!best->found || (int32_t)(seq - best->seq) > 0) {
                *best = (struct best){true, b, s, seq, get32(tmp + REC_ROOT),
                                      get32(tmp + REC_BLOCKS), fs->bs};
            }
        }
    }
    return 0;
}

/* Find the newest valid record (the block size is learnt from it) and
 * set the geometry, the committed root and the next log slot. Uses the
 * start of the cache as a buffer. Cost: the two log blocks; only when
 * neither holds a record of one-erase-block size are larger sizes tried. */
int
log_scan(struct picafs *fs)
{
    const struct pica_blk_geometry *g = pica_blk_geometry(fs->dev);
    fs->slot_size = slot_size_of(g);
    struct best best = {.found = false};
    for (uint32_t k = 1; k <= MAX_DEV_PER_BLK && 2 * k <= g->block_count && !best.found; k *= 2) {
        if (g->erase_size * k < fs->slot_size) {
            continue;
        }
        int err = scan_with(fs, k, fs->cache, &best);
        if (err) {
            return err;
        }
    }
    if (!best.found) {
        return fs_corrupt(fs, "no valid commit record in blocks 0 and 1", UINT32_MAX,
                          UINT32_MAX);
    }
    fs->dev_per_blk = best.bs / g->erase_size;
    fs->bs = best.bs;
    fs->nslots = fs->bs / fs->slot_size;
    if (best.nblocks < MIN_BLOCKS || best.nblocks > g->block_count / fs->dev_per_blk) {
        return fs_corrupt(fs, "block count out of range in commit record", best.nblocks,
                          UINT32_MAX);
    }
    fs->nblocks = best.nblocks;
    fs->seq = best.seq;
    fs->root = fs->croot = best.root;
    fs->log_blk = best.blk;
    fs->log_slot = best.slot + 1;
    return 0;
}

/* A slot's worth of buffer: a cache slot holding nothing pending. */
static uint8_t *
scratch(struct picafs *fs)
{
    for (uint8_t keep = CENT_DIRTY | CENT_PRIV;; keep = CENT_DIRTY) {
        for (uint32_t i = 0; i < fs->nent; i++) {
            if (!(fs->ent[i].flags & keep)) {
                fs->ent[i].flags = 0;
                return cache_buf(fs, (int)i);
            }
        }
        if (keep == CENT_DIRTY) {
            return NULL;
        }
    }
}

static bool
slot_erased(struct picafs *fs, const uint8_t *p)
{
    int v = pica_blk_geometry(fs->dev)->erased_value;
    for (uint32_t i = 0; i < fs->slot_size; i++) {
        if (p[i] != (uint8_t)v) {
            return false;
        }
    }
    return true;
}

/* Append the record for (@seq, @root) after the newest one. On NOR a slot
 * that is not wholly erased (a torn earlier attempt) is skipped. A program
 * that reports failure is read back: if the record is there, it counts. */
int
log_append(struct picafs *fs, uint32_t seq, uint32_t root)
{
    uint8_t *buf = scratch(fs);
    if (buf == NULL) {
        return -EIO;
    }
    uint8_t rec[REC_SIZE];
    put32(rec + REC_MAGIC, PFS_MAGIC);
    put32(rec + REC_VERSION, PFS_VERSION);
    put32(rec + REC_SEQ, seq);
    put32(rec + REC_ROOT, root);
    put32(rec + REC_BS, fs->bs);
    put32(rec + REC_BLOCKS, fs->nblocks);
    put32(rec + REC_CRC, pica_crc32(0, rec, REC_CRC));
    uint32_t fails = 0;
    for (uint32_t step = 0; step < 2 * fs->nslots + 2 * LOG_TRIES && fails < LOG_TRIES; step++) {
        if (fs->log_slot >= fs->nslots) {
            if (io_erase(fs, fs->log_blk ^ 1u)) {
                fails++;
                continue;
            }
            fs->log_blk ^= 1u;
            fs->log_slot = 0;
        }
        uint32_t off = fs->log_slot * fs->slot_size;
        if (fs->nor) {
            if (io_read(fs, fs->log_blk, off, buf, fs->slot_size)) {
                fs->broken = true;
                return -EIO;
            }
            if (!slot_erased(fs, buf)) {
                fs->log_slot++;
                continue;
            }
        }
        memset(buf, 0, fs->slot_size);
        memcpy(buf, rec, REC_SIZE);
        int err = io_prog(fs, fs->log_blk, off, buf, fs->slot_size);
        fs->log_slot++;
        if (!err) {
            return 0;
        }
        if (io_read(fs, fs->log_blk, off, buf, fs->slot_size)) {
            fs->broken = true; /* whether the record landed is unknown */
            return -EIO;
        }
        if (memcmp(buf, rec, REC_SIZE) == 0) {
            return 0;
        }
        fails++;
    }
    return -EIO;
}

/* Move pending block @i, whose write failed, to another block; its parent
 * (pending, not yet written: parents are written after children) gets the
 * new pointer. */
static int
relocate(struct picafs *fs, int i)
{
    if (fs->budget == 0) {
        fs_report(fs, "too many failing blocks; giving up at block", fs->ent[i].loc,
                  UINT32_MAX);
        return -EIO;
    }
    fs->budget--;
    uint32_t old = fs->ent[i].loc, fresh;
    bool reserve = fs->use_reserve;
    fs->use_reserve = true;
    int err = blk_mark_bad(fs, old);
    if (!err) {
        err = blk_alloc(fs, &fresh);
    }
    fs->use_reserve = reserve;
    if (err) {
        return err == -ENOSPC ? -EIO : err;
    }
    fs->ent[i].loc = fresh;
    if (old == fs->root) {
        fs->root = fresh;
    } else {
        int p = cache_find(fs, fs->ent[i].parent);
        if (p < 0 || !(fs->ent[p].flags & CENT_PRIV)) {
            return -EIO;
        }
        put32(cache_buf(fs, p) + fs->ent[i].poff, fresh);
        fs->ent[p].flags |= CENT_DIRTY;
    }
    for (uint32_t j = 0; j < fs->nent; j++) {
        if ((fs->ent[j].flags & CENT_PRIV) && fs->ent[j].parent == old) {
            fs->ent[j].parent = fresh;
        }
    }
    return 0;
}

/* Write every dirty block, children before parents, so a relocation only
 * ever changes a block not yet written. */
static int
flush(struct picafs *fs)
{
    for (uint32_t step = 0; step < 4 * fs->nent + 4 * RELOC_BUDGET; step++) {
        int pick = -1;
        for (uint32_t i = 0; i < fs->nent; i++) {
            if ((fs->ent[i].flags & CENT_DIRTY) &&
                (pick < 0 || fs->ent[i].rank < fs->ent[pick].rank)) {
                pick = (int)i;
            }
        }
        if (pick < 0) {
            return 0;
        }
        int err = blk_write(fs, fs->ent[pick].loc, cache_buf(fs, pick));
        if (!err) {
            fs->ent[pick].flags &= (uint8_t)~CENT_DIRTY;
        } else if (err != -EIO || (err = relocate(fs, pick)) != 0) {
            return err;
        }
    }
    return -EIO;
}

/* Make everything pending the committed state. On failure the pending
 * changes are dropped (txn_abort) and the error returned. */
int
txn_commit(struct picafs *fs)
{
    if (fs->broken) {
        return -EIO;
    }
    if (cache_pending(fs) == 0) {
        return 0;
    }
    int err = flush(fs);
    if (!err) {
        err = io_sync(fs);
    }
    if (!err) {
        err = log_append(fs, fs->seq + 1, fs->root);
        if (!err && io_sync(fs)) {
            fs->broken = true; /* the record may or may not be on disk */
            err = -EIO;
        }
    }
    fs->seq++; /* also after a failure: a half-written record's number is not reused */
    if (err) {
        txn_abort(fs);
        return err;
    }
    fs->croot = fs->root;
    fs->pending_free = 0;
    for (uint32_t i = 0; i < fs->nent; i++) {
        fs->ent[i].flags &= (uint8_t)~CENT_PRIV;
    }
    return 0;
}

/* Back to the committed state. */
void
txn_abort(struct picafs *fs)
{
    cache_drop_pending(fs);
    fs->root = fs->croot;
    fs->pending_free = 0;
}

/* Start a call that changes the tree: it must find the cache free of
 * pending blocks (so that giving up drops only its own changes, and its
 * at most 7 pending blocks fit). */
int
txn_begin(struct picafs *fs, bool use_reserve)
{
    if (fs->broken) {
        return -EIO;
    }
    fs->budget = RELOC_BUDGET;
    fs->use_reserve = use_reserve;
    return txn_commit(fs);
}

/* End such a call: commit, or drop its changes if it failed. */
int
txn_end(struct picafs *fs, int err)
{
    if (err) {
        txn_abort(fs);
    } else {
        err = txn_commit(fs);
    }
    fs->use_reserve = false;
    return err;
}
