/* SPDX-License-Identifier: MIT */
/* picafs_fsck: check an unmounted image with the caller's cache only.
 *  1. mount (the log, the root and its tables are checked there);
 *  2. blocks: every block reached from the root (leaves, indirect, data,
 *     directory blocks) is read and checked, and marked in a bitmap held
 *     in one cache block (a device has fewer blocks than a block has
 *     bits, fs_priv.h): reached twice, reached but marked free, or marked
 *     used but not reached (nor bad) are problems;
 *  3. names: each directory entry must name a used inode of its type (a
 *     directory whose parent link points back), counted with two bits per
 *     inode, a cache block's worth of inodes per pass: every inode but the
 *     root is named exactly once, no name twice in a directory;
 *  4. loops: from every directory, the parent links reach the root within
 *     as many steps as there are inodes. */
#include "fs_priv.h"

struct fsck {
    struct picafs *fs; /* the image mounted for the check */
    uint8_t *bits; /* one cache block taken for marks and counts */
    uint32_t problems;
    int hard; /* a device error: -EIO */
};

static void
problem(struct fsck *c, const char *what, uint32_t a, uint32_t b)
{
    fs_report(c->fs, what, a, b);
    c->problems++;
}

/* Note an error from a read: counted, and remembered if the device failed. */
static bool
failed(struct fsck *c, int err)
{
    if (err >= 0) {
        return false;
    }
    if (err == -EIO || err == -ETIMEDOUT || err == -ENODEV) {
        c->hard = -EIO;
    }
    c->problems++;
    return true;
}

static void
mark(struct fsck *c, uint32_t loc)
{
    if (loc >= c->fs->nblocks) {
        problem(c, "pointer out of range:", loc, UINT32_MAX);
    } else if (map_bit(c->bits, loc)) {
        problem(c, "block used twice:", loc, UINT32_MAX);
    } else {
        c->bits[loc / 8] |= (uint8_t)(1u << (loc % 8));
    }
}

/* Mark and check the blocks under indirect block @loc (@level) of @ino;
 * @first is the index of its first data block. */
static void
walk_ind(struct fsck *c, uint32_t ino, const struct inode *in, uint32_t loc, unsigned level,
         uint32_t first);

static void
check_data(struct fsck *c, uint32_t ino, const struct inode *in, uint32_t loc, uint32_t idx)
{
    struct picafs *fs = c->fs;
    mark(c, loc);
    unsigned kind = in->type == PICAFS_TYPE_DIR ? KIND_DIR : KIND_DATA;
    int i = cache_load(fs, loc, kind, ino);
    if (failed(c, i)) {
        return;
    }
    uint64_t start = (uint64_t)idx * data_per_blk(fs);
    if (kind == KIND_DATA && start + get32(cache_buf(fs, i) + H_LEN) > in->size) {
        problem(c, "data past the end of the file in inode", ino, loc);
    }
}

static void
walk_ind(struct fsck *c, uint32_t ino, const struct inode *in, uint32_t loc, unsigned level,
         uint32_t first)
{
    struct picafs *fs = c->fs;
    uint32_t p = ptrs_per_blk(fs), span = level == 2 ? p : 1;
    mark(c, loc);
    for (uint32_t k = 0; k < p; k++) {
        int i = cache_load(fs, loc, KIND_IND, ino); /* again: the walk below evicts */
        if (failed(c, i)) {
            return;
        }
        if (cache_buf(fs, i)[H_LEVEL] != level) {
            problem(c, "indirect block at the wrong level:", loc, UINT32_MAX);
            return;
        }
        uint32_t child = get32(cache_buf(fs, i) + HDR_SIZE + 4 * k);
        if (child != 0 && level == 2) {
            walk_ind(c, ino, in, child, 1, first + k * span);
        } else if (child != 0) {
            check_data(c, ino, in, child, first + k);
        }
    }
}

static void
walk_inode(struct fsck *c, uint32_t ino, const struct inode *in)
{
    uint32_t p = ptrs_per_blk(c->fs);
    if (!(in->flags & IF_BLOCKS)) {
        return;
    }
    for (uint32_t k = 0; k < NDIRECT; k++) {
        if (in->ptr[k] != 0) {
            check_data(c, ino, in, in->ptr[k], k);
        }
    }
    if (in->type == PICAFS_TYPE_DIR && (in->ptr[PTR_IND1] | in->ptr[PTR_IND2]) != 0) {
        problem(c, "directory with indirect blocks:", ino, UINT32_MAX);
        return;
    }
    if (in->ptr[PTR_IND1] != 0) {
        walk_ind(c, ino, in, in->ptr[PTR_IND1], 1, NDIRECT);
    }
    if (in->ptr[PTR_IND2] != 0) {
        walk_ind(c, ino, in, in->ptr[PTR_IND2], 2, NDIRECT + p);
    }
}

/* Pass 2: mark everything reachable, then compare with the free map. */
static void
check_blocks(struct fsck *c)
{
    struct picafs *fs = c->fs;
    uint32_t total = fs->nleaves * inodes_per_leaf(fs);
    memset(c->bits, 0, fs->bs);
    mark(c, 0);
    mark(c, 1);
    mark(c, fs->root);
    for (uint32_t ino = 0; ino < total; ino++) {
        int r = root_get(fs);
        if (failed(c, r)) {
            return;
        }
        uint32_t leaf = ino / inodes_per_leaf(fs);
        uint32_t loc = get32(cache_buf(fs, r) + R_LEAVES + 8 * leaf);
        if (ino % inodes_per_leaf(fs) == 0 && loc != 0) {
            mark(c, loc);
        }
        struct inode in;
        if (loc != 0 && !failed(c, inode_read(fs, ino, &in)) && in.type != 0) {
            walk_inode(c, ino, &in);
        }
    }
    int r = root_get(fs);
    if (failed(c, r)) {
        return;
    }
    const uint8_t *rb = cache_buf(fs, r);
    for (uint32_t k = 0; k < get32(rb + R_NBAD); k++) {
        mark(c, get32(rb + root_bad_off(fs) + 4 * k));
    }
    for (uint32_t b = 0; b < fs->nblocks; b++) {
        bool used = map_bit(rb + root_map_off(fs), b), seen = map_bit(c->bits, b);
        if (used != seen) {
            problem(c, used ? "block marked used but unreachable:" : "reachable block marked free:",
                    b, UINT32_MAX);
        }
    }
}

/* Each leaf holds as many used inodes as the root says. */
static void
check_leaves(struct fsck *c)
{
    struct picafs *fs = c->fs;
    uint32_t ipl = inodes_per_leaf(fs);
    for (uint32_t l = 0; l < fs->nleaves; l++) {
        int r = root_get(fs);
        if (failed(c, r)) {
            return;
        }
        uint32_t loc = get32(cache_buf(fs, r) + R_LEAVES + 8 * l);
        uint32_t want = get32(cache_buf(fs, r) + R_LEAVES + 8 * l + 4), used = 0;
        int i = loc != 0 ? cache_load(fs, loc, KIND_LEAF, l) : 0;
        if (loc == 0 || failed(c, i)) {
            continue;
        }
        for (uint32_t k = 0; k < ipl; k++) {
            used += cache_buf(fs, i)[HDR_SIZE + k * INODE_SIZE + I_TYPE] != 0;
        }
        if (used != want) {
            problem(c, "inode count wrong in leaf", l, used);
        }
    }
}

/* The checks of one entry @e (@slot of @dir, naming @ino) made once. */
static void
check_entry(struct fsck *c, uint32_t dir, uint32_t slot, const struct picafs_dirent *e,
            uint32_t ino)
{
    struct picafs *fs = c->fs;
    struct inode t;
    struct dloc d;
    size_t len = strlen(e->name);
    if (len == 0 || memchr(e->name, '/', len) != NULL) {
        problem(c, "bad name in directory", dir, slot);
    } else if (failed(c, dir_find(fs, dir, e->name, len, &d)) || d.slot != slot) {
        problem(c, "name twice in directory", dir, slot);
    }
    if (failed(c, inode_read(fs, ino, &t))) {
        return;
    }
    if (t.type == 0) {
        problem(c, "entry names a free inode:", ino, dir);
    } else if (t.type != e->type) {
        problem(c, "entry type differs from inode", ino, dir);
    } else if (t.type == PICAFS_TYPE_DIR && t.parent != dir) {
        problem(c, "directory's parent link wrong:", ino, t.parent);
    }
}

/* Count the names of the inodes in [@base, @base + @width), two bits each;
 * check the entries themselves on the first pass. */
static void
count_names(struct fsck *c, uint32_t base, uint32_t width)
{
    struct picafs *fs = c->fs;
    uint32_t total = fs->nleaves * inodes_per_leaf(fs);
    for (uint32_t dir = 0; dir < total; dir++) {
        struct inode in;
        if (failed(c, inode_read(fs, dir, &in)) || in.type != PICAFS_TYPE_DIR) {
            continue;
        }
        uint32_t live = 0;
        for (uint32_t slot = 0; slot < NDIRECT * dents_per_blk(fs); slot++) {
            struct picafs_dirent e;
            uint32_t ino;
            int r = dir_entry(fs, dir, slot, &e, &ino);
            if (failed(c, r)) {
                /* The block is bad: said once, not once per slot in it. */
                slot = (slot / dents_per_blk(fs) + 1u) * dents_per_blk(fs) - 1u;
                continue;
            }
            if (r == 0) {
                continue;
            }
            live++;
            if (base == 0) {
                check_entry(c, dir, slot, &e, ino);
            }
            if (ino >= base && ino - base < width) {
                uint32_t k = ino - base, n = (c->bits[k / 4] >> (2 * (k % 4))) & 3u;
                if (n < 3) {
                    c->bits[k / 4] += (uint8_t)(1u << (2 * (k % 4)));
                }
            }
        }
        if (base == 0 && live != in.size) {
            problem(c, "entry count wrong in directory", dir, live);
        }
    }
}

static void
check_names(struct fsck *c)
{
    struct picafs *fs = c->fs;
    uint32_t total = fs->nleaves * inodes_per_leaf(fs), width = fs->bs * 4;
    for (uint32_t base = 0; base < total; base += width) {
        memset(c->bits, 0, fs->bs);
        count_names(c, base, width);
        for (uint32_t ino = base; ino < total && ino - base < width; ino++) {
            struct inode in;
            uint32_t k = ino - base, n = (c->bits[k / 4] >> (2 * (k % 4))) & 3u;
            if (!failed(c, inode_read(fs, ino, &in)) && in.type != 0 &&
                n != (ino == ROOT_INO ? 0u : 1u)) {
                problem(c, "inode named a wrong number of times:", ino, n);
            }
        }
    }
}

/* Every directory's parent links reach the root. */
static void
check_loops(struct fsck *c)
{
    struct picafs *fs = c->fs;
    uint32_t total = fs->nleaves * inodes_per_leaf(fs);
    for (uint32_t dir = 1; dir < total; dir++) {
        struct inode in;
        if (failed(c, inode_read(fs, dir, &in)) || in.type != PICAFS_TYPE_DIR) {
            continue;
        }
        uint32_t at = dir, steps = 0;
        while (at != ROOT_INO && steps++ < total && in.type == PICAFS_TYPE_DIR) {
            at = in.parent;
            if (failed(c, inode_read(fs, at, &in))) {
                break;
            }
        }
        if (at != ROOT_INO) {
            problem(c, "directory not reachable from the root:", dir, UINT32_MAX);
        }
    }
}

/* The walk itself, in the struct picafs @fs. */
static int
fsck_run(struct picafs *fs, struct pica_blk *dev, const struct picafs_config *cfg)
{
    struct fsck c = {.fs = fs};
    int err = picafs_mount(c.fs, dev, cfg);
    if (err) {
        return err;
    }
    c.fs->nent--;
    c.fs->ent[c.fs->nent].flags = 0;
    c.bits = cache_buf(c.fs, (int)c.fs->nent);
    check_leaves(&c);
    check_blocks(&c);
    check_names(&c);
    check_loops(&c);
    return c.hard ? c.hard : c.problems ? -EUCLEAN : 0;
}

/* Apart, so that a caller giving a scratch struct does not carry this
 * frame's 808 bytes. */
static __attribute__((noinline)) int
fsck_on_stack(struct pica_blk *dev, const struct picafs_config *cfg)
{
    struct picafs own;
    return fsck_run(&own, dev, cfg);
}

int
picafs_fsck(struct pica_blk *dev, const struct picafs_config *cfg)
{
    if (cfg != NULL && cfg->scratch != NULL) {
        return fsck_run(cfg->scratch, dev, cfg);
    }
    return fsck_on_stack(dev, cfg);
}
