/* SPDX-License-Identifier: MIT */
/* Directories of picafs and path lookup. A directory is an inode whose
 * blocks (direct pointers only: at most NDIRECT blocks) hold DENT_SIZE-byte
 * entries; a name length of 0 marks a free slot, the inode's size counts
 * the live entries, and a directory block left empty is freed. Entries
 * never move, so a slot found stays valid while a call runs. */
#include "fs_priv.h"

static uint8_t *
dent(struct picafs *fs, int i, uint32_t k)
{
    return cache_buf(fs, i) + HDR_SIZE + k * DENT_SIZE;
}

static int
dir_inode(struct picafs *fs, uint32_t dir, struct inode *in)
{
    int err = inode_read(fs, dir, in);
    if (err) {
        return err;
    }
    return in->type == PICAFS_TYPE_DIR ? 0 : -ENOTDIR;
}

/* Entry slot @slot of @dir: 1 and the entry, 0 if free, -ENOENT past the
 * last possible slot. */
int
dir_entry(struct picafs *fs, uint32_t dir, uint32_t slot, struct picafs_dirent *e,
          uint32_t *ino)
{
    uint32_t per = dents_per_blk(fs);
    struct inode in;
    if (slot >= NDIRECT * per) {
        return -ENOENT;
    }
    int err = dir_inode(fs, dir, &in);
    if (err) {
        return err;
    }
    if (in.ptr[slot / per] == 0) {
        return 0;
    }
    int i = cache_load(fs, in.ptr[slot / per], KIND_DIR, dir);
    if (i < 0) {
        return i;
    }
    const uint8_t *p = dent(fs, i, slot % per);
    uint32_t len = p[D_NAMELEN];
    if (len == 0) {
        return 0;
    }
    if (len > PICAFS_NAME_MAX || !ino_valid(fs, get32(p + D_INO)) ||
        (p[D_TYPE] != PICAFS_TYPE_FILE && p[D_TYPE] != PICAFS_TYPE_DIR)) {
        return fs_corrupt(fs, "bad directory entry in directory", dir, slot);
    }
    memcpy(e->name, p + D_NAME, len);
    e->name[len] = '\0';
    e->type = p[D_TYPE];
    e->size = 0;
    *ino = get32(p + D_INO);
    return 1;
}

/* Find @name (@len bytes) in directory @dir. Returns: 0, -ENOENT, -ENOTDIR. */
int
dir_find(struct picafs *fs, uint32_t dir, const char *name, size_t len, struct dloc *d)
{
    uint32_t per = dents_per_blk(fs);
    struct inode in;
    int err = dir_inode(fs, dir, &in);
    if (err) {
        return err;
    }
    for (uint32_t b = 0; b < NDIRECT; b++) {
        if (in.ptr[b] == 0) {
            continue;
        }
        int i = cache_load(fs, in.ptr[b], KIND_DIR, dir);
        if (i < 0) {
            return i;
        }
        for (uint32_t k = 0; k < per; k++) {
            const uint8_t *p = dent(fs, i, k);
            if (p[D_NAMELEN] != len || memcmp(p + D_NAME, name, len) != 0) {
                continue;
            }
            struct picafs_dirent e;
            *d = (struct dloc){.dir = dir, .slot = b * per + k};
            err = dir_entry(fs, dir, d->slot, &e, &d->ino);
            d->type = (uint8_t)e.type;
            return err < 0 ? err : 0;
        }
    }
    return -ENOENT;
}

/* Add the entry @name -> @ino in the first free slot. */
int
dir_add(struct picafs *fs, uint32_t dir, const char *name, size_t len, uint32_t ino,
        uint8_t type)
{
    uint32_t per = dents_per_blk(fs), slot = UINT32_MAX, hole = UINT32_MAX;
    struct inode in;
    int err = dir_inode(fs, dir, &in);
    for (uint32_t b = 0; !err && b < NDIRECT && slot == UINT32_MAX; b++) {
        if (in.ptr[b] == 0) {
            hole = hole == UINT32_MAX ? b * per : hole;
            continue;
        }
        int i = cache_load(fs, in.ptr[b], KIND_DIR, dir);
        if (i < 0) {
            return i;
        }
        for (uint32_t k = 0; k < per && slot == UINT32_MAX; k++) {
            if (dent(fs, i, k)[D_NAMELEN] == 0) {
                slot = b * per + k;
            }
        }
    }
    slot = slot == UINT32_MAX ? hole : slot;
    if (err || slot == UINT32_MAX) {
        return err ? err : -ENOSPC;
    }
    int i = map_writable(fs, dir, KIND_DIR, slot / per);
    if (i < 0) {
        return i;
    }
    uint8_t *p = dent(fs, i, slot % per);
    memset(p, 0, DENT_SIZE);
    put32(p + D_INO, ino);
    p[D_TYPE] = type;
    p[D_NAMELEN] = (uint8_t)len;
    memcpy(p + D_NAME, name, len);
    err = inode_read(fs, dir, &in);
    if (!err) {
        in.size++;
        err = inode_write(fs, dir, &in);
    }
    return err;
}

/* Remove the entry at @d; free its block if it was the last there. */
int
dir_remove(struct picafs *fs, const struct dloc *d)
{
    uint32_t per = dents_per_blk(fs), b = d->slot / per;
    int i = map_writable(fs, d->dir, KIND_DIR, b);
    if (i < 0) {
        return i;
    }
    memset(dent(fs, i, d->slot % per), 0, DENT_SIZE);
    bool empty = true;
    for (uint32_t k = 0; k < per && empty; k++) {
        empty = dent(fs, i, k)[D_NAMELEN] == 0;
    }
    uint32_t loc = fs->ent[i].loc;
    struct inode in;
    int err = inode_read(fs, d->dir, &in);
    if (err) {
        return err;
    }
    in.size--;
    if (empty) {
        in.ptr[b] = 0;
        err = blk_free(fs, loc);
    }
    return err ? err : inode_write(fs, d->dir, &in);
}

/* Point the entry at @d to @ino (rename over an existing name). */
int
dir_retarget(struct picafs *fs, const struct dloc *d, uint32_t ino)
{
    uint32_t per = dents_per_blk(fs);
    int i = map_writable(fs, d->dir, KIND_DIR, d->slot / per);
    if (i < 0) {
        return i;
    }
    put32(dent(fs, i, d->slot % per) + D_INO, ino);
    return 0;
}

/* Walk @path to the directory that holds its last name. @name, @namelen
 * get that name (length 0 for the root itself). Names "." and ".." are
 * refused. */
int
path_parent(struct picafs *fs, const char *path, uint32_t *dir, const char **name,
            size_t *namelen)
{
    if (path == NULL) {
        return -EINVAL;
    }
    size_t total = 0;
    while (total <= PICAFS_PATH_MAX && path[total] != '\0') {
        total++;
    }
    if (total > PICAFS_PATH_MAX) {
        return -ENAMETOOLONG;
    }
    uint32_t at = ROOT_INO;
    const char *p = path;
    for (;;) {
        while (*p == '/') {
            p++;
        }
        if (*p == '\0') {
            *dir = at;
            *name = p;
            *namelen = 0;
            return 0;
        }
        const char *q = p;
        while (*q != '\0' && *q != '/') {
            q++;
        }
        size_t len = (size_t)(q - p);
        if (len > PICAFS_NAME_MAX) {
            return -ENAMETOOLONG;
        }
        if ((len == 1 && p[0] == '.') || (len == 2 && p[0] == '.' && p[1] == '.')) {
            return -EINVAL;
        }
        const char *r = q;
        while (*r == '/') {
            r++;
        }
        if (*r == '\0') {
            *dir = at;
            *name = p;
            *namelen = len;
            return 0;
        }
        struct dloc d;
        int err = dir_find(fs, at, p, len, &d);
        if (err) {
            return err;
        }
        if (d.type != PICAFS_TYPE_DIR) {
            return -ENOTDIR;
        }
        at = d.ino;
        p = r;
    }
}

/* Look up @path; the root gives ino ROOT_INO and dir NO_PARENT. */
int
path_lookup(struct picafs *fs, const char *path, struct dloc *d)
{
    uint32_t dir;
    const char *name;
    size_t len;
    int err = path_parent(fs, path, &dir, &name, &len);
    if (err) {
        return err;
    }
    if (len == 0) {
        *d = (struct dloc){.dir = NO_PARENT, .slot = 0, .ino = ROOT_INO,
                           .type = PICAFS_TYPE_DIR};
        return 0;
    }
    return dir_find(fs, dir, name, len, d);
}
