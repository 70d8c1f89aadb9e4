/* SPDX-License-Identifier: MIT */
/* picafs_dump: the on-disk structures of an unmounted image as text, one
 * line per call of print(): the valid commit records, the root (counters,
 * inode-table leaves, bad blocks, free map), then every inode with its
 * block pointers, and every directory's entries. */
#include "fs_priv.h"

struct out {
    void (*print)(void *arg, const char *line);
    void *arg;
};

static void
emit(struct out *o, struct line *l)
{
    o->print(o->arg, l->s);
    l->n = 0;
    l->s[0] = '\0';
}

static void
kv(struct line *l, const char *key, uint32_t v)
{
    line_str(l, key);
    line_u32(l, v);
}

/* Both log blocks, every slot that holds a valid record. */
static void
dump_log(struct picafs *fs, struct out *o)
{
    uint8_t *tmp = cache_buf(fs, 0);
    fs->ent[0].flags = 0;
    for (uint32_t b = 0; b < 2; b++) {
        for (uint32_t s = 0; s < fs->nslots; s++) {
            if (io_read(fs, b, s * fs->slot_size, tmp, fs->slot_size) != 0 ||
                get32(tmp + REC_MAGIC) != PFS_MAGIC ||
                get32(tmp + REC_CRC) != pica_crc32(0, tmp, REC_CRC)) {
                continue;
            }
            struct line l = {.n = 0};
            kv(&l, "record: log block ", b);
            kv(&l, " slot ", s);
            kv(&l, " seq ", get32(tmp + REC_SEQ));
            kv(&l, " root ", get32(tmp + REC_ROOT));
            emit(o, &l);
        }
    }
}

static int
dump_root(struct picafs *fs, struct out *o)
{
    int r = root_get(fs);
    if (r < 0) {
        return r;
    }
    const uint8_t *rb = cache_buf(fs, r);
    struct line l = {.n = 0};
    kv(&l, "root block ", fs->root);
    kv(&l, ": blocks ", fs->nblocks);
    kv(&l, " of ", fs->bs);
    kv(&l, " bytes, free ", get32(rb + R_FREE));
    kv(&l, ", inodes used ", get32(rb + R_FILES));
    kv(&l, ", cursor ", get32(rb + R_CURSOR));
    kv(&l, ", bad ", get32(rb + R_NBAD));
    emit(o, &l);
    for (uint32_t k = 0; k < fs->nleaves; k++) {
        if (get32(rb + R_LEAVES + 8 * k) != 0) {
            kv(&l, "  leaf ", k);
            kv(&l, ": block ", get32(rb + R_LEAVES + 8 * k));
            kv(&l, ", inodes used ", get32(rb + R_LEAVES + 8 * k + 4));
            emit(o, &l);
        }
    }
    for (uint32_t k = 0; k < get32(rb + R_NBAD); k++) {
        kv(&l, "  bad block ", get32(rb + root_bad_off(fs) + 4 * k));
        emit(o, &l);
    }
    for (uint32_t b = 0; b < fs->nblocks; b += 64) {
        kv(&l, "  map ", b);
        line_str(&l, ": ");
        for (uint32_t k = b; k < fs->nblocks && k < b + 64; k++) {
            line_str(&l, map_bit(rb + root_map_off(fs), k) ? "#" : ".");
        }
        emit(o, &l);
    }
    return 0;
}

static int
dump_inode(struct picafs *fs, struct out *o, uint32_t ino, const struct inode *in)
{
    struct line l = {.n = 0};
    kv(&l, "inode ", ino);
    line_str(&l, in->type == PICAFS_TYPE_DIR ? " dir" : " file");
    kv(&l, " size ", in->size);
    kv(&l, " parent ", in->parent);
    line_str(&l, (in->flags & IF_BLOCKS) ? " blocks" : " inline");
    for (uint32_t k = 0; (in->flags & IF_BLOCKS) && k < NPTR; k++) {
        if (in->ptr[k] != 0) {
            line_str(&l, k == PTR_IND1 ? " ind1:" : k == PTR_IND2 ? " ind2:" : " ");
            line_u32(&l, in->ptr[k]);
        }
    }
    emit(o, &l);
    for (uint32_t slot = 0; in->type == PICAFS_TYPE_DIR && slot < NDIRECT * dents_per_blk(fs);
         slot++) {
        struct picafs_dirent e;
        uint32_t target;
        int r = dir_entry(fs, ino, slot, &e, &target);
        if (r < 0) {
            return r;
        }
        if (r == 1) {
            line_str(&l, "  ");
            line_str(&l, e.name);
            kv(&l, " -> ", target);
            emit(o, &l);
        }
    }
    return 0;
}

/* The listing itself, of the image mounted in @fs. */
static int
dump_run(struct picafs *fs, struct pica_blk *dev, const struct picafs_config *cfg, struct out *o)
{
    int err = picafs_mount(fs, dev, cfg);
    if (err) {
        return err;
    }
    dump_log(fs, o);
    err = dump_root(fs, o);
    for (uint32_t ino = 0; !err && ino < fs->nleaves * inodes_per_leaf(fs); ino++) {
        struct inode in;
        err = inode_read(fs, ino, &in);
        if (!err && in.type != 0) {
            err = dump_inode(fs, o, ino, &in);
        }
    }
    return err;
}

/* Apart, as fsck_on_stack() in fsck.c. */
static __attribute__((noinline)) int
dump_on_stack(struct pica_blk *dev, const struct picafs_config *cfg, struct out *o)
{
    struct picafs own;
    return dump_run(&own, dev, cfg, o);
}

int
picafs_dump(struct pica_blk *dev, const struct picafs_config *cfg,
            void (*print)(void *arg, const char *line), void *arg)
{
    struct out o = {print, arg};
    if (print == NULL) {
        return -EINVAL;
    }
    if (cfg != NULL && cfg->scratch != NULL) {
        return dump_run(cfg->scratch, dev, cfg, &o);
    }
    return dump_on_stack(dev, cfg, &o);
}
