/* SPDX-License-Identifier: MIT */
/* Files of picafs: open, read, write, lseek, ftruncate, fsync, close.
 * A handle holds only its inode number, position and flags; size and
 * blocks live in the inode (through the cache), so several handles on one
 * file always agree. Up to INLINE_MAX bytes live in the inode itself.
 * write() leaves its blocks pending in the cache; fsync, close and every
 * namespace call commit them, and so does write() itself when the cache
 * runs short of clean blocks. */
#include "fs_priv.h"

/* Clean cache blocks one write step may need: root, leaf, two indirect
 * blocks and the data block, plus one to read through. */
#define STEP_ROOM 6u

static uint32_t
max_size(const struct picafs *fs)
{
    uint64_t m = (uint64_t)map_max_blocks(fs) * data_per_blk(fs);
    return m > INT32_MAX ? INT32_MAX : (uint32_t)m;
}

static int
file_ok(struct picafs *fs, struct picafs_file *f)
{
    int err = fs_ready(fs);
    if (err) {
        return err;
    }
    for (const struct picafs_open *o = fs->open; o != NULL; o = o->next) {
        if (o == &f->node) {
            return 0;
        }
    }
    return -EBADF;
}

/* Move an inline file's bytes to a first data block. */
static int
to_blocks(struct picafs *fs, uint32_t ino, struct inode *in)
{
    struct inode old = *in;
    in->flags |= IF_BLOCKS;
    memset(in->ptr, 0, sizeof(in->ptr));
    int err = inode_write(fs, ino, in);
    if (err || old.size == 0) {
        return err;
    }
    int i = map_writable(fs, ino, KIND_DATA, 0);
    if (i < 0) {
        int undo = inode_write(fs, ino, &old); /* the leaf is pending: cannot fail */
        *in = old;
        return undo ? undo : i;
    }
    memcpy(cache_buf(fs, i) + HDR_SIZE, old.inl, old.size);
    put32(cache_buf(fs, i) + H_LEN, old.size);
    return inode_read(fs, ino, in); /* with the new block's pointer */
}

/* Set the size of file @ino to @size. */
static int
file_truncate(struct picafs *fs, uint32_t ino, uint32_t size)
{
    struct inode in;
    int err = inode_read(fs, ino, &in);
    if (err) {
        return err;
    }
    if (!(in.flags & IF_BLOCKS) && size > INLINE_MAX) {
        err = to_blocks(fs, ino, &in);
    }
    if (err || ((in.flags & IF_BLOCKS) && size < in.size)) {
        return err ? err : map_truncate(fs, ino, size);
    }
    if (!(in.flags & IF_BLOCKS) && size < in.size) {
        memset(in.inl + size, 0, in.size - size);
    }
    in.size = size;
    return inode_write(fs, ino, &in);
}

/* Create @name in @dir as an empty file; @ino gets its number. */
static int
file_create(struct picafs *fs, uint32_t dir, const char *name, size_t len, uint32_t *ino)
{
    int err = txn_begin(fs, false);
    if (err) {
        return err;
    }
    err = inode_alloc(fs, PICAFS_TYPE_FILE, dir, ino);
    if (!err) {
        err = dir_add(fs, dir, name, len, *ino, PICAFS_TYPE_FILE);
    }
    return txn_end(fs, err);
}

int
picafs_open(struct picafs *fs, struct picafs_file *f, const char *path, unsigned flags)
{
    uint32_t dir, ino = 0;
    const char *name;
    size_t len;
    struct dloc d;
    int err = fs_ready(fs);
    if (!err && (f == NULL || (flags & PICAFS_O_ACCMODE) == PICAFS_O_ACCMODE)) {
        err = -EINVAL;
    }
    if (!err) {
        err = path_parent(fs, path, &dir, &name, &len);
    }
    if (err) {
        return err;
    }
    err = len == 0 ? -EISDIR : dir_find(fs, dir, name, len, &d);
    if (err == -ENOENT && (flags & PICAFS_O_CREAT)) {
        err = file_create(fs, dir, name, len, &ino);
    } else if (!err) {
        ino = d.ino;
        if ((flags & PICAFS_O_CREAT) && (flags & PICAFS_O_EXCL)) {
            err = -EEXIST;
        } else if (d.type == PICAFS_TYPE_DIR) {
            err = -EISDIR;
        } else if ((flags & PICAFS_O_TRUNC) && (flags & PICAFS_O_ACCMODE) != PICAFS_O_RDONLY) {
            struct inode in;
            err = inode_read(fs, ino, &in);
            if (!err && in.size > 0 && (err = txn_begin(fs, true)) == 0) {
                err = txn_end(fs, file_truncate(fs, ino, 0));
            }
        }
    }
    if (err) {
        return err;
    }
    *f = (struct picafs_file){.node = {.next = fs->open, .ino = ino}, .pos = 0, .flags = flags};
    fs->open = &f->node;
    return 0;
}

int
picafs_close(struct picafs *fs, struct picafs_file *f)
{
    int err = file_ok(fs, f);
    if (err == -EBADF || err == -EINVAL) {
        return err;
    }
    if (!err) {
        fs->budget = RELOC_BUDGET;
        err = txn_commit(fs);
    }
    fs_close_node(fs, &f->node);
    return err;
}

int
picafs_fsync(struct picafs *fs, struct picafs_file *f)
{
    int err = file_ok(fs, f);
    if (!err) {
        fs->budget = RELOC_BUDGET;
        err = txn_commit(fs);
    }
    return err;
}

int32_t
picafs_read(struct picafs *fs, struct picafs_file *f, void *buf, uint32_t n)
{
    struct inode in;
    int err = file_ok(fs, f);
    if (!err && (f->flags & PICAFS_O_ACCMODE) == PICAFS_O_WRONLY) {
        err = -EBADF;
    }
    if (!err) {
        err = inode_read(fs, f->node.ino, &in);
    }
    if (err) {
        return err;
    }
    uint32_t dpb = data_per_blk(fs), done = 0;
    n = f->pos >= in.size ? 0 : min32(n, in.size - f->pos);
    if (!(in.flags & IF_BLOCKS) && n > 0) {
        memcpy(buf, in.inl + f->pos, n);
        done = n;
    }
    while (done < n) {
        uint32_t pos = f->pos + done, off = pos % dpb, chunk = min32(n - done, dpb - off), loc;
        err = map_lookup(fs, f->node.ino, &in, pos / dpb, &loc);
        int i = err ? err : loc == 0 ? 0 : cache_load(fs, loc, KIND_DATA, f->node.ino);
        if (i < 0) {
            return i;
        }
        if (loc == 0) {
            memset((uint8_t *)buf + done, 0, chunk);
        } else {
            memcpy((uint8_t *)buf + done, cache_buf(fs, i) + HDR_SIZE + off, chunk);
        }
        done += chunk;
    }
    f->pos += done;
    return (int32_t)done;
}

/* Write up to @n bytes of @src at @pos of file @ino: at most one block's
 * worth. Returns the bytes written or an error (nothing written). */
static int32_t
write_step(struct picafs *fs, uint32_t ino, uint32_t pos, const uint8_t *src, uint32_t n)
{
    struct inode in;
    int err = 0;
    /* A root already copied in this transaction is pending and costs the
     * step nothing more: without counting it, the fewest cache blocks
     * (8: root, leaf and data pending leave 5) would commit every write. */
    uint32_t room = STEP_ROOM - (fs->root != fs->croot ? 1u : 0u);
    if (fs->nent - cache_pending(fs) < room) {
        err = txn_commit(fs);
    }
    if (!err) {
        err = inode_read(fs, ino, &in);
    }
    if (!err && !(in.flags & IF_BLOCKS) && pos + n <= INLINE_MAX) {
        memcpy(in.inl + pos, src, n);
        in.size = pos + n > in.size ? pos + n : in.size;
        err = inode_write(fs, ino, &in);
        return err ? err : (int32_t)n;
    }
    if (!err && !(in.flags & IF_BLOCKS)) {
        err = to_blocks(fs, ino, &in);
    }
    uint32_t dpb = data_per_blk(fs), off = pos % dpb, chunk = min32(n, dpb - off);
    int i = err ? err : map_writable(fs, ino, KIND_DATA, pos / dpb);
    if (i < 0) {
        return i;
    }
    uint8_t *b = cache_buf(fs, i);
    memcpy(b + HDR_SIZE + off, src, chunk);
    if (off + chunk > get32(b + H_LEN)) {
        put32(b + H_LEN, off + chunk);
    }
    err = inode_read(fs, ino, &in);
    if (!err && pos + chunk > in.size) {
        in.size = pos + chunk;
        err = inode_write(fs, ino, &in);
    }
    return err ? err : (int32_t)chunk;
}

int32_t
picafs_write(struct picafs *fs, struct picafs_file *f, const void *buf, uint32_t n)
{
    struct inode in;
    int err = file_ok(fs, f);
    if (!err && (f->flags & PICAFS_O_ACCMODE) == PICAFS_O_RDONLY) {
        err = -EBADF;
    }
    if (!err && (f->flags & PICAFS_O_APPEND)) {
        err = inode_read(fs, f->node.ino, &in);
        f->pos = err ? f->pos : in.size;
    }
    if (!err && n > 0 && f->pos >= max_size(fs)) {
        err = -EFBIG;
    }
    if (err) {
        return err;
    }
    fs->budget = RELOC_BUDGET;
    fs->use_reserve = false;
    n = min32(n, max_size(fs) - f->pos);
    uint32_t done = 0;
    bool retried = false;
    while (done < n) {
        int32_t w = write_step(fs, f->node.ino, f->pos, (const uint8_t *)buf + done, n - done);
        if (w == -ENOSPC && fs->pending_free > 0 && !retried) {
            retried = true; /* blocks freed since the commit become usable after it */
            w = txn_commit(fs);
            if (w == 0) {
                continue;
            }
        }
        if (w < 0) {
            err = w;
            break;
        }
        retried = false;
        done += (uint32_t)w;
        f->pos += (uint32_t)w;
    }
    if (err && err != -ENOSPC && !fs->broken) {
        txn_abort(fs); /* an I/O error or a corrupt block: back to the last commit */
    }
    return done > 0 && err == -ENOSPC ? (int32_t)done : err ? err : (int32_t)done;
}

int32_t
picafs_lseek(struct picafs *fs, struct picafs_file *f, int32_t off, int whence)
{
    struct inode in;
    int err = file_ok(fs, f);
    if (!err && whence == PICAFS_SEEK_END) {
        err = inode_read(fs, f->node.ino, &in);
    }
    if (err) {
        return err;
    }
    int64_t base;
    switch (whence) {
    case PICAFS_SEEK_SET:
        base = 0;
        break;
    case PICAFS_SEEK_CUR:
        base = f->pos;
        break;
    case PICAFS_SEEK_END:
        base = in.size;
        break;
    default:
        return -EINVAL;
    }
    int64_t pos = base + off;
    if (pos < 0) {
        return -EINVAL;
    }
    if (pos > (int64_t)max_size(fs)) {
        return -EFBIG;
    }
    f->pos = (uint32_t)pos;
    return (int32_t)pos;
}

int
picafs_ftruncate(struct picafs *fs, struct picafs_file *f, uint32_t size)
{
    int err = file_ok(fs, f);
    if (!err && (f->flags & PICAFS_O_ACCMODE) == PICAFS_O_RDONLY) {
        err = -EBADF;
    }
    if (!err && size > max_size(fs)) {
        err = -EFBIG;
    }
    if (err || (err = txn_begin(fs, true)) != 0) {
        return err;
    }
    return txn_end(fs, file_truncate(fs, f->node.ino, size));
}
