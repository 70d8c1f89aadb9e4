/* SPDX-License-Identifier: MIT */
/* Namespace calls of picafs: mkdir, unlink, rmdir, rename, stat, directory
 * listing, statvfs, and the list of open files and directories they check.
 * Each change is one transaction: every check comes first, then the
 * changes, then the commit; a failure part way drops them all. */
#include "fs_priv.h"

int
fs_ready(struct picafs *fs)
{
    if (fs == NULL || !fs->mounted) {
        return -EINVAL;
    }
    return fs->broken ? -EIO : 0;
}

bool
fs_is_open(const struct picafs *fs, uint32_t ino)
{
    for (const struct picafs_open *o = fs->open; o != NULL; o = o->next) {
        if (o->ino == ino) {
            return true;
        }
    }
    return false;
}

int
picafs_mkdir(struct picafs *fs, const char *path)
{
    uint32_t dir, ino;
    const char *name;
    size_t len;
    struct dloc d;
    int err = fs_ready(fs);
    if (!err) {
        err = path_parent(fs, path, &dir, &name, &len);
    }
    if (!err) {
        err = len == 0 ? -EEXIST : dir_find(fs, dir, name, len, &d);
        err = err == 0 ? -EEXIST : err == -ENOENT ? 0 : err;
    }
    if (err || (err = txn_begin(fs, false)) != 0) {
        return err;
    }
    err = inode_alloc(fs, PICAFS_TYPE_DIR, dir, &ino);
    if (!err) {
        err = dir_add(fs, dir, name, len, ino, PICAFS_TYPE_DIR);
    }
    return txn_end(fs, err);
}

/* unlink and rmdir: @type is what @path must be. */
static int
remove_name(struct picafs *fs, const char *path, uint8_t type)
{
    struct dloc d;
    struct inode in;
    int err = fs_ready(fs);
    if (!err) {
        err = path_lookup(fs, path, &d);
    }
    if (!err && d.ino == ROOT_INO) {
        err = type == PICAFS_TYPE_DIR ? -EBUSY : -EISDIR;
    }
    if (!err && d.type != type) {
        err = type == PICAFS_TYPE_DIR ? -ENOTDIR : -EISDIR;
    }
    if (!err) {
        err = inode_read(fs, d.ino, &in);
    }
    if (!err && type == PICAFS_TYPE_DIR && in.size != 0) {
        err = -ENOTEMPTY;
    }
    if (!err && fs_is_open(fs, d.ino)) {
        err = -EBUSY;
    }
    if (err || (err = txn_begin(fs, true)) != 0) {
        return err;
    }
    err = dir_remove(fs, &d);
    if (!err) {
        err = inode_free(fs, d.ino);
    }
    return txn_end(fs, err);
}

int
picafs_unlink(struct picafs *fs, const char *path)
{
    return remove_name(fs, path, PICAFS_TYPE_FILE);
}

int
picafs_rmdir(struct picafs *fs, const char *path)
{
    return remove_name(fs, path, PICAFS_TYPE_DIR);
}

/* Would moving directory @moved into directory @into put it inside itself?
 * Climbs the parent links, at most one step per inode. */
static int
moves_into_itself(struct picafs *fs, uint32_t moved, uint32_t into)
{
    uint32_t steps = fs->nleaves * inodes_per_leaf(fs);
    for (uint32_t at = into; steps-- > 0; ) {
        if (at == moved) {
            return -EINVAL;
        }
        if (at == ROOT_INO) {
            return 0;
        }
        struct inode in;
        int err = inode_read(fs, at, &in);
        if (err) {
            return err;
        }
        at = in.parent;
    }
    return fs_corrupt(fs, "directory loop above inode", into, UINT32_MAX);
}

/* The checks of rename: 0 if @od may take the place of @nd (@exists). */
static int
rename_check(struct picafs *fs, const struct dloc *od, const struct dloc *nd, bool exists,
             uint32_t ndir)
{
    if (od->type == PICAFS_TYPE_DIR) {
        int err = moves_into_itself(fs, od->ino, ndir);
        if (err) {
            return err;
        }
    }
    if (!exists) {
        return 0;
    }
    if (od->type == PICAFS_TYPE_DIR && nd->type != PICAFS_TYPE_DIR) {
        return -ENOTDIR;
    }
    if (od->type != PICAFS_TYPE_DIR && nd->type == PICAFS_TYPE_DIR) {
        return -EISDIR;
    }
    if (nd->type == PICAFS_TYPE_DIR) {
        struct inode in;
        int err = inode_read(fs, nd->ino, &in);
        if (err || in.size != 0) {
            return err ? err : -ENOTEMPTY;
        }
    }
    return fs_is_open(fs, nd->ino) ? -EBUSY : 0;
}

/* Rename: the new name is added (or re-pointed, freeing what it named) and
 * the old one removed in one transaction, so a power cut leaves either
 * the old or the new state. */
int
picafs_rename(struct picafs *fs, const char *oldpath, const char *newpath)
{
    struct dloc od, nd;
    uint32_t ndir;
    const char *name;
    size_t len;
    int err = fs_ready(fs);
    if (!err) {
        err = path_lookup(fs, oldpath, &od);
    }
    if (!err && od.ino == ROOT_INO) {
        err = -EBUSY;
    }
    if (!err) {
        err = path_parent(fs, newpath, &ndir, &name, &len);
    }
    if (!err && len == 0) {
        err = -EBUSY;
    }
    if (err) {
        return err;
    }
    int found = dir_find(fs, ndir, name, len, &nd);
    if (found != 0 && found != -ENOENT) {
        return found;
    }
    if (found == 0 && nd.ino == od.ino) {
        return 0;
    }
    err = rename_check(fs, &od, &nd, found == 0, ndir);
    if (err || (err = txn_begin(fs, true)) != 0) {
        return err;
    }
    if (found == 0) {
        err = dir_retarget(fs, &nd, od.ino);
        if (!err) {
            err = inode_free(fs, nd.ino);
        }
    } else {
        err = dir_add(fs, ndir, name, len, od.ino, od.type);
    }
    if (!err) {
        err = dir_remove(fs, &od);
    }
    if (!err && od.type == PICAFS_TYPE_DIR && od.dir != ndir) {
        struct inode in;
        err = inode_read(fs, od.ino, &in);
        in.parent = ndir;
        err = err ? err : inode_write(fs, od.ino, &in);
    }
    return txn_end(fs, err);
}

static int
fill_stat(struct picafs *fs, uint32_t ino, struct picafs_stat *st)
{
    struct inode in;
    int err = inode_read(fs, ino, &in);
    if (!err && in.type == 0) {
        err = -ENOENT;
    }
    if (!err) {
        *st = (struct picafs_stat){.type = in.type, .size = in.size, .ino = ino};
        err = map_count(fs, ino, &in, &st->blocks);
    }
    return err;
}

int
picafs_stat(struct picafs *fs, const char *path, struct picafs_stat *st)
{
    struct dloc d;
    int err = fs_ready(fs);
    if (!err && st == NULL) {
        err = -EINVAL;
    }
    if (!err) {
        err = path_lookup(fs, path, &d);
    }
    return err ? err : fill_stat(fs, d.ino, st);
}

int
picafs_fstat(struct picafs *fs, struct picafs_file *f, struct picafs_stat *st)
{
    int err = fs_ready(fs);
    if (!err && (f == NULL || st == NULL)) {
        err = -EINVAL;
    }
    return err ? err : fill_stat(fs, f->node.ino, st);
}

int
picafs_opendir(struct picafs *fs, struct picafs_dir *d, const char *path)
{
    struct dloc at;
    int err = fs_ready(fs);
    if (!err && d == NULL) {
        err = -EINVAL;
    }
    if (!err) {
        err = path_lookup(fs, path, &at);
    }
    if (!err && at.type != PICAFS_TYPE_DIR) {
        err = -ENOTDIR;
    }
    if (err) {
        return err;
    }
    d->node.ino = at.ino;
    d->index = 0;
    d->node.next = fs->open;
    fs->open = &d->node;
    return 0;
}

static bool
on_list(const struct picafs *fs, const struct picafs_open *node)
{
    for (const struct picafs_open *o = fs->open; o != NULL; o = o->next) {
        if (o == node) {
            return true;
        }
    }
    return false;
}

int
picafs_readdir(struct picafs *fs, struct picafs_dir *d, struct picafs_dirent *e)
{
    int err = fs_ready(fs);
    if (!err && (d == NULL || e == NULL || !on_list(fs, &d->node))) {
        err = -EBADF;
    }
    while (!err) {
        uint32_t ino;
        err = dir_entry(fs, d->node.ino, d->index, e, &ino);
        if (err == -ENOENT) {
            return 0;
        }
        d->index++;
        if (err == 1) {
            struct inode in;
            err = inode_read(fs, ino, &in);
            e->size = in.size;
            return err ? err : 1;
        }
    }
    return err;
}

/* Take @node off the open list. Returns: 0, -EBADF (not on it). */
int
fs_close_node(struct picafs *fs, struct picafs_open *node)
{
    for (struct picafs_open **o = &fs->open; *o != NULL; o = &(*o)->next) {
        if (*o == node) {
            *o = node->next;
            return 0;
        }
    }
    return -EBADF;
}

int
picafs_closedir(struct picafs *fs, struct picafs_dir *d)
{
    if (fs == NULL || d == NULL) {
        return -EINVAL;
    }
    return fs_close_node(fs, &d->node);
}

int
picafs_statvfs(struct picafs *fs, struct picafs_statvfs *st)
{
    int err = fs_ready(fs);
    int r = err ? err : root_get(fs);
    if (st == NULL) {
        return -EINVAL;
    }
    if (r < 0) {
        return r;
    }
    const uint8_t *b = cache_buf(fs, r);
    uint32_t files = fs->nleaves * inodes_per_leaf(fs);
    *st = (struct picafs_statvfs){
        .block_size = fs->bs,
        .block_count = fs->nblocks,
        .blocks_free = get32(b + R_FREE),
        .blocks_bad = get32(b + R_NBAD),
        .name_max = PICAFS_NAME_MAX,
        .files = files,
        .files_free = files - get32(b + R_FILES),
    };
    return 0;
}
