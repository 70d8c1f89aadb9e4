/* SPDX-License-Identifier: MIT */
/* The tree of paths over the mounted file systems (include/pica/fs.h): the
 * mount table, paths made plain and split between a mount and the path on
 * it, and each call forwarded to picafs under the one lock (vfs_lock.h).
 * Portable: the host tests run it with a lock of their own. */
#include <pica/fs.h>

#include <errno.h>
#include <pica/tap.h>
#include <stdbool.h>
#include <string.h>

#include "vfs_lock.h"

#define WHERE_MAX 32 /* a mount point's path, with its NUL */

struct pica_fs_mount {
    bool used;
    uint8_t where_len;
    char where[WHERE_MAX];
    struct pica_blk *dev;
    struct picafs fs;
};

static struct pica_fs_mount mounts[PICA_CFG_FS_MOUNTS];

/* ---- paths ---- */

int
pica_fs_normalize(const char *path, char *out, size_t size)
{
    if (path == NULL || out == NULL || size < 2 || path[0] != '/') {
        return -EINVAL;
    }
    size_t len = 0;
    const char *p = path;
    while (*p != '\0') {
        while (*p == '/') {
            p++;
        }
        const char *name = p;
        while (*p != '\0' && *p != '/') {
            p++;
        }
        size_t n = (size_t)(p - name);
        if (n == 0 || (n == 1 && name[0] == '.')) {
            continue;
        }
        if (n == 2 && name[0] == '.' && name[1] == '.') {
            while (len > 0 && out[len - 1] != '/') {
                len--;
            }
            if (len > 0) {
                len--; /* the slash before the name taken off; "/.." is "/" */
            }
            continue;
        }
        if (len + 1 + n + 1 > size) {
            return -ENAMETOOLONG;
        }
        out[len++] = '/';
        memcpy(out + len, name, n);
        len += n;
    }
    if (len == 0) {
        out[len++] = '/';
    }
    out[len] = '\0';
    return (int)len;
}

/* Whether @path (plain) is @where or below it. */
static bool
below(const char *path, const char *where, size_t where_len)
{
    if (where_len == 1) {
        return true; /* "/" holds everything */
    }
    return strncmp(path, where, where_len) == 0 &&
           (path[where_len] == '\0' || path[where_len] == '/');
}

/* The mount holding plain @path, with the path on it in *@rest. */
static struct pica_fs_mount *
mount_of(const char *path, const char **rest)
{
    struct pica_fs_mount *best = NULL;
    for (unsigned i = 0; i < PICA_CFG_FS_MOUNTS; i++) {
        struct pica_fs_mount *m = &mounts[i];
        if (m->used && below(path, m->where, m->where_len) &&
            (best == NULL || m->where_len > best->where_len)) {
            best = m;
        }
    }
    if (best != NULL) {
        const char *r = best->where_len == 1 ? path : path + best->where_len;
        *rest = *r == '\0' ? "/" : r;
    }
    return best;
}

/* A path resolved to its mount, with room for the plain path. */
struct resolved {
    struct pica_fs_mount *m;
    const char *rest;
    char plain[PICA_FS_PATH_MAX + 1];
};

/* The one path being resolved: used under the lock only, so every call
 * shares it instead of putting a path on a small thread stack. */
static struct resolved cur;

/* Resolve @path; called with the lock held. */
static int
resolve_locked(const char *path, struct resolved *out)
{
    int n = pica_fs_normalize(path, out->plain, sizeof(out->plain));
    if (n < 0) {
        return n;
    }
    out->m = mount_of(out->plain, &out->rest);
    return out->m != NULL ? 0 : -ENOENT;
}

/* Whether a mount sits exactly at plain @path (other than "/" itself on
 * the mount that holds it). */
static bool
is_mount_point(const char *plain)
{
    for (unsigned i = 0; i < PICA_CFG_FS_MOUNTS; i++) {
        if (mounts[i].used && strcmp(mounts[i].where, plain) == 0) {
            return true;
        }
    }
    return false;
}

/* ---- mounts ---- */

int
pica_fs_mount(const char *where, struct pica_blk *dev, void *cache, size_t cache_size,
              void (*report)(void *arg, const char *what), void *report_arg)
{
    char plain[WHERE_MAX];
    int n = where != NULL ? pica_fs_normalize(where, plain, sizeof(plain)) : -EINVAL;
    if (n < 0) {
        return n == -ENAMETOOLONG ? -EINVAL : n;
    }
    if (dev == NULL || cache == NULL) {
        return -EINVAL;
    }
    vfs_lock();
    struct pica_fs_mount *free_slot = NULL;
    int err = 0;
    for (unsigned i = 0; i < PICA_CFG_FS_MOUNTS && err == 0; i++) {
        struct pica_fs_mount *m = &mounts[i];
        if (m->used && (strcmp(m->where, plain) == 0 || m->dev == dev)) {
            err = -EBUSY; /* the place, or the device, is taken */
        } else if (!m->used && free_slot == NULL) {
            free_slot = m;
        }
    }
    if (err == 0 && free_slot == NULL) {
        err = -ENOSPC;
    }
    if (err == 0) {
        const struct picafs_config cfg = {
            .cache = cache,
            .cache_size = cache_size,
            .report = report,
            .report_arg = report_arg,
        };
        err = picafs_mount(&free_slot->fs, dev, &cfg);
    }
    if (err == 0) {
        memcpy(free_slot->where, plain, (size_t)n + 1u);
        free_slot->where_len = (uint8_t)n;
        free_slot->dev = dev;
        free_slot->used = true;
    }
    vfs_unlock();
    return err;
}

int
pica_fs_umount(const char *where)
{
    char plain[WHERE_MAX];
    int n = where != NULL ? pica_fs_normalize(where, plain, sizeof(plain)) : -EINVAL;
    if (n < 0) {
        return n == -ENAMETOOLONG ? -ENOENT : n;
    }
    vfs_lock();
    struct pica_fs_mount *found = NULL;
    int err = 0;
    for (unsigned i = 0; i < PICA_CFG_FS_MOUNTS; i++) {
        struct pica_fs_mount *m = &mounts[i];
        if (!m->used) {
            continue;
        }
        if (strcmp(m->where, plain) == 0) {
            found = m;
        } else if (below(m->where, plain, (size_t)n)) {
            err = -EBUSY; /* a mount below this one would be left hanging */
        }
    }
    if (found == NULL) {
        err = -ENOENT;
    }
    if (err == 0) {
        err = picafs_unmount(&found->fs);
    }
    if (err == 0) {
        found->used = false;
    }
    vfs_unlock();
    return err;
}

int
pica_fs_mount_info_at(unsigned index, struct pica_fs_mount_info *info)
{
    if (info == NULL) {
        return -EINVAL;
    }
    vfs_lock();
    int err = -ENOENT;
    unsigned seen = 0;
    for (unsigned i = 0; i < PICA_CFG_FS_MOUNTS && err == -ENOENT; i++) {
        struct pica_fs_mount *m = &mounts[i];
        if (m->used && seen++ == index) {
            info->where = m->where;
            info->device = pica_blk_name(m->dev);
            err = picafs_statvfs(&m->fs, &info->st);
        }
    }
    vfs_unlock();
    return err;
}

int
pica_fs_check(const char *where, void *work, size_t work_size,
              void (*report)(void *arg, const char *what), void *arg)
{
    char plain[WHERE_MAX];
    int n = where != NULL ? pica_fs_normalize(where, plain, sizeof(plain)) : -EINVAL;
    if (n < 0 || work == NULL) {
        return n < 0 && n != -ENAMETOOLONG ? n : (n < 0 ? -ENOENT : -EINVAL);
    }
    /* The walk's own mount at the start of @work, its cache after it. */
    size_t head = PICA_FS_CHECK_WORK(0);
    if (work_size < head || ((uintptr_t)work & (sizeof(void *) - 1u)) != 0) {
        return -EINVAL;
    }
    vfs_lock();
    int err = -ENOENT;
    for (unsigned i = 0; i < PICA_CFG_FS_MOUNTS; i++) {
        struct pica_fs_mount *m = &mounts[i];
        if (m->used && strcmp(m->where, plain) == 0) {
            /* The image checks as committed: nothing may be pending. */
            err = picafs_sync(&m->fs);
            if (err == 0) {
                const struct picafs_config cfg = {
                    .cache = (uint8_t *)work + head,
                    .cache_size = work_size - head,
                    .report = report,
                    .report_arg = arg,
                    .scratch = work,
                };
                err = picafs_fsck(m->dev, &cfg);
            }
            break;
        }
    }
    vfs_unlock();
    return err;
}

/* ---- files ---- */

/* What the fs tap (include/pica/tap.h) says of @op on @path: 0 or a
 * negative errno. Asked before the lock: a tap may log, and logging may
 * reach the file system. */
static int
fs_tap(enum pica_tap_fs_op op, const char *path, uint32_t flags)
{
    if (__builtin_expect(pica_taps.fs == NULL, 1) || path == NULL) {
        return 0;
    }
    int verdict = pica_taps.fs(op, path, flags);
    return verdict < 0 ? verdict : 0;
}

int
pica_fs_open(struct pica_file *f, const char *path, unsigned flags)
{
    if (f == NULL) {
        return -EINVAL;
    }
    f->mount = NULL;
    int refused = fs_tap(PICA_TAP_FS_OPEN, path, flags);
    if (refused != 0) {
        return refused;
    }
    vfs_lock();
    int err = resolve_locked(path, &cur);
    if (err == 0) {
        err = picafs_open(&cur.m->fs, &f->f, cur.rest, flags);
    }
    if (err == 0) {
        f->mount = cur.m;
    }
    vfs_unlock();
    return err;
}

int
pica_fs_close(struct pica_file *f)
{
    if (f == NULL || f->mount == NULL) {
        return -EBADF;
    }
    vfs_lock();
    int err = picafs_close(&f->mount->fs, &f->f);
    f->mount = NULL; /* forgotten also on error */
    vfs_unlock();
    return err;
}

/* The file calls: each forwards @call on @f's file system, or -EBADF. */
#define FILE_CALL(f, call)                                                                        \
    do {                                                                                          \
        if ((f) == NULL || (f)->mount == NULL) {                                                  \
            return -EBADF;                                                                        \
        }                                                                                         \
        vfs_lock();                                                                               \
        __typeof__(call) ret_ = (call);                                                           \
        vfs_unlock();                                                                             \
        return ret_;                                                                              \
    } while (0)

int32_t
pica_fs_read(struct pica_file *f, void *buf, uint32_t n)
{
    FILE_CALL(f, picafs_read(&f->mount->fs, &f->f, buf, n));
}

int32_t
pica_fs_write(struct pica_file *f, const void *buf, uint32_t n)
{
    FILE_CALL(f, picafs_write(&f->mount->fs, &f->f, buf, n));
}

int32_t
pica_fs_lseek(struct pica_file *f, int32_t off, int whence)
{
    FILE_CALL(f, picafs_lseek(&f->mount->fs, &f->f, off, whence));
}

int
pica_fs_fsync(struct pica_file *f)
{
    FILE_CALL(f, picafs_fsync(&f->mount->fs, &f->f));
}

int
pica_fs_ftruncate(struct pica_file *f, uint32_t size)
{
    FILE_CALL(f, picafs_ftruncate(&f->mount->fs, &f->f, size));
}

int
pica_fs_fstat(struct pica_file *f, struct picafs_stat *st)
{
    FILE_CALL(f, picafs_fstat(&f->mount->fs, &f->f, st));
}

/* ---- names ---- */

/* Forward a call on one path, refusing it on a mount point (@on_mount:
 * what to return there, 0 to let it through). */
static int
path_call(const char *path, int on_mount, int (*call)(struct picafs *, const char *))
{
    vfs_lock();
    int err = resolve_locked(path, &cur);
    if (err == 0 && on_mount != 0 && is_mount_point(cur.plain)) {
        err = on_mount;
    }
    if (err == 0) {
        err = call(&cur.m->fs, cur.rest);
    }
    vfs_unlock();
    return err;
}

int
pica_fs_unlink(const char *path)
{
    int refused = fs_tap(PICA_TAP_FS_UNLINK, path, 0);
    return refused != 0 ? refused : path_call(path, -EISDIR, picafs_unlink);
}

int
pica_fs_mkdir(const char *path)
{
    return path_call(path, -EEXIST, picafs_mkdir);
}

int
pica_fs_rmdir(const char *path)
{
    return path_call(path, -EBUSY, picafs_rmdir);
}

int
pica_fs_rename(const char *oldpath, const char *newpath)
{
    static struct resolved to; /* under the lock; kept off small stacks */
    struct resolved *from = &cur;
    vfs_lock();
    int err = resolve_locked(oldpath, from);
    if (err == 0) {
        err = resolve_locked(newpath, &to);
    }
    if (err == 0 && (is_mount_point(from->plain) || is_mount_point(to.plain))) {
        err = -EBUSY;
    } else if (err == 0 && from->m != to.m) {
        err = -EXDEV;
    }
    if (err == 0) {
        err = picafs_rename(&from->m->fs, from->rest, to.rest);
    }
    vfs_unlock();
    return err;
}

int
pica_fs_stat(const char *path, struct picafs_stat *st)
{
    if (st == NULL) {
        return -EINVAL;
    }
    vfs_lock();
    int err = resolve_locked(path, &cur);
    if (err == 0) {
        err = picafs_stat(&cur.m->fs, cur.rest, st);
    }
    vfs_unlock();
    return err;
}

int
pica_fs_statvfs(const char *path, struct picafs_statvfs *st)
{
    if (st == NULL) {
        return -EINVAL;
    }
    vfs_lock();
    int err = resolve_locked(path, &cur);
    if (err == 0) {
        err = picafs_statvfs(&cur.m->fs, st);
    }
    vfs_unlock();
    return err;
}

/* ---- directories ---- */

int
pica_fs_opendir(struct pica_dir *d, const char *path)
{
    if (d == NULL) {
        return -EINVAL;
    }
    d->mount = NULL;
    vfs_lock();
    int err = resolve_locked(path, &cur);
    if (err == 0) {
        err = picafs_opendir(&cur.m->fs, &d->d, cur.rest);
    }
    if (err == 0) {
        d->mount = cur.m;
        d->fs_done = false;
        d->next_mount = 0;
        memcpy(d->path, cur.plain, sizeof(d->path));
    }
    vfs_unlock();
    return err;
}

/* The next mount directly below @d's directory as an entry, if any. */
static int
next_mount_entry(struct pica_dir *d, struct picafs_dirent *e)
{
    size_t dlen = strlen(d->path);
    while (d->next_mount < PICA_CFG_FS_MOUNTS) {
        const struct pica_fs_mount *m = &mounts[d->next_mount++];
        if (!m->used || m->where_len <= 1 || !below(m->where, d->path, dlen)) {
            continue;
        }
        const char *name = m->where + (dlen == 1 ? 1 : dlen + 1);
        if (strchr(name, '/') != NULL) {
            continue; /* deeper down */
        }
        /* The directory it covers, if there is one, was listed already. */
        const struct pica_fs_mount *dm = d->mount;
        struct picafs_stat st;
        if (picafs_stat(&d->mount->fs, m->where + (dm->where_len == 1 ? 0 : dm->where_len), &st) ==
            0) {
            continue;
        }
        memset(e, 0, sizeof(*e));
        strncpy(e->name, name, PICA_FS_NAME_MAX);
        e->type = PICAFS_TYPE_DIR;
        return 1;
    }
    return 0;
}

int
pica_fs_readdir(struct pica_dir *d, struct picafs_dirent *e)
{
    if (d == NULL || d->mount == NULL) {
        return -EBADF;
    }
    if (e == NULL) {
        return -EINVAL;
    }
    vfs_lock();
    int r = 0;
    if (!d->fs_done) {
        r = picafs_readdir(&d->mount->fs, &d->d, e);
        d->fs_done = r == 0;
    }
    if (d->fs_done) {
        r = next_mount_entry(d, e);
    }
    vfs_unlock();
    return r;
}

int
pica_fs_closedir(struct pica_dir *d)
{
    if (d == NULL || d->mount == NULL) {
        return -EBADF;
    }
    vfs_lock();
    int err = picafs_closedir(&d->mount->fs, &d->d);
    d->mount = NULL;
    vfs_unlock();
    return err;
}
