/* SPDX-License-Identifier: MIT */
/* Files: one tree of paths over the mounted file systems. Each mount puts
 * a picafs (include/pica/picafs.h) on a block device at a path ("/", "/tmp"); a path
 * belongs to the mount with the longest matching prefix, so "/tmp/a" is
 * "/a" on the file system mounted at "/tmp". Paths are absolute; "." and
 * ".." and repeated slashes are resolved by name (there are no links).
 * Listing a directory shows the mounts directly below it too.
 *
 * Thread safety: every call holds one lock for its whole length, so calls
 * from any threads and processes are serialised (a long write holds up the
 * others; no call waits for anything else while holding it).
 *
 * Errors are negative errno values: those of include/pica/picafs.h, and -EXDEV (a
 * rename across mounts), -ENOENT (no mount holds the path), -EBUSY
 * (unmounting or removing a mount point, a mount with files open),
 * -ENAMETOOLONG (a path longer than PICA_FS_PATH_MAX once resolved).
 * Implementation: fs/vfs.c (portable), locked by fs/vfs_lock.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pica/blk.h>
#include <pica/picafs.h>

#ifndef PICA_CFG_FS_MOUNTS
#define PICA_CFG_FS_MOUNTS 3
#endif

#define PICA_FS_PATH_MAX PICAFS_PATH_MAX
#define PICA_FS_NAME_MAX PICAFS_NAME_MAX

/* Flags of pica_fs_open(): the PICAFS_O_* values. */
#define PICA_O_RDONLY PICAFS_O_RDONLY
#define PICA_O_WRONLY PICAFS_O_WRONLY
#define PICA_O_RDWR PICAFS_O_RDWR
#define PICA_O_CREAT PICAFS_O_CREAT
#define PICA_O_EXCL PICAFS_O_EXCL
#define PICA_O_TRUNC PICAFS_O_TRUNC
#define PICA_O_APPEND PICAFS_O_APPEND

/* User processes reach the tree through system calls (fs/fs_syscalls.c),
 * served one at a time by a thread of this stack size and priority,
 * started on first use. */
#ifndef PICA_CFG_FS_SERVICE_STACK
#define PICA_CFG_FS_SERVICE_STACK 2560
#endif
#ifndef PICA_CFG_FS_SERVICE_PRIO
#define PICA_CFG_FS_SERVICE_PRIO 8
#endif

struct pica_fs_mount;

/* The file tree as a capability: a process may name paths in it only while
 * it holds a PICA_CAP_FS slot for this object, with READ to look up and
 * read, and WRITE too to change the tree or open files for writing:
 *   pica_proc_give(p, PICA_CAP_FS, &pica_fs_tree, PICA_RIGHT_READ | PICA_RIGHT_WRITE)
 * Naming it links the file system calls of processes into the image. */
struct pica_fs_tree {
    uint8_t unused;
};
extern struct pica_fs_tree pica_fs_tree;

/* An open file and an open directory: the caller's storage. */
struct pica_file {
    struct pica_fs_mount *mount; /* NULL: not open */
    struct picafs_file f;
};

struct pica_dir {
    struct pica_fs_mount *mount; /* NULL: not open */
    struct picafs_dir d;
    bool fs_done;       /* the file system's entries are listed */
    uint8_t next_mount; /* then the mounts below it, from this one */
    char path[PICA_FS_PATH_MAX + 1];
};

struct pica_fs_mount_info {
    const char *where;
    const char *device; /* pica_blk_name() */
    struct picafs_statvfs st;
};

/* Mount the picafs on @dev at @where, with @cache of @cache_size bytes as
 * its block cache (PICAFS_CACHE_SIZE(); it stays the mount's until
 * unmounted). A corrupt image is refused with what was found reported
 * through @report (may be NULL). Context: thread.
 * Returns: 0, -EINVAL, -EBUSY (@where is mounted), -ENOSPC (no free mount
 * slot: PICA_CFG_FS_MOUNTS), -EIO, -EUCLEAN. */
int pica_fs_mount(const char *where, struct pica_blk *dev, void *cache, size_t cache_size,
                  void (*report)(void *arg, const char *what), void *report_arg);

/* Commit and detach the mount at @where. Returns: 0, -ENOENT, -EBUSY
 * (files open there, or a mount below it), -EIO. */
int pica_fs_umount(const char *where);

int pica_fs_open(struct pica_file *f, const char *path, unsigned flags);
int pica_fs_close(struct pica_file *f);
int32_t pica_fs_read(struct pica_file *f, void *buf, uint32_t n);
int32_t pica_fs_write(struct pica_file *f, const void *buf, uint32_t n);
int32_t pica_fs_lseek(struct pica_file *f, int32_t off, int whence);
int pica_fs_fsync(struct pica_file *f);
int pica_fs_ftruncate(struct pica_file *f, uint32_t size);
int pica_fs_fstat(struct pica_file *f, struct picafs_stat *st);

int pica_fs_unlink(const char *path);
int pica_fs_mkdir(const char *path);
int pica_fs_rmdir(const char *path);
int pica_fs_rename(const char *oldpath, const char *newpath);
int pica_fs_stat(const char *path, struct picafs_stat *st);

/* readdir: 1 and an entry, 0 at the end, or an error. */
int pica_fs_opendir(struct pica_dir *d, const char *path);
int pica_fs_readdir(struct pica_dir *d, struct picafs_dirent *e);
int pica_fs_closedir(struct pica_dir *d);

/* The file system holding @path. */
int pica_fs_statvfs(const char *path, struct picafs_statvfs *st);

/* The mount in slot order @index, for df. Returns: 0, -ENOENT (past the
 * last), -EINVAL. */
int pica_fs_mount_info_at(unsigned index, struct pica_fs_mount_info *info);

/* The bytes pica_fs_check() needs for a file system of @block_size-byte
 * blocks: the walk's own struct picafs and a cache of the fewest blocks
 * (all of it off the caller's stack). */
#define PICA_FS_CHECK_WORK(block_size)                                                            \
    (((sizeof(struct picafs) + 7u) & ~(size_t)7u) +                                               \
     PICAFS_CACHE_SIZE(block_size, PICAFS_CACHE_MIN_BLOCKS))

/* Check the file system mounted at @where: what is pending is committed,
 * then the image is checked as an unmounted one would be (picafs_fsck()),
 * in @work (pointer-aligned, PICA_FS_CHECK_WORK() bytes), reporting each
 * problem through @report.
 * Returns: 0 (consistent), -EUCLEAN, -EIO, -ENOENT, -EINVAL. */
int pica_fs_check(const char *where, void *work, size_t work_size,
                  void (*report)(void *arg, const char *what), void *arg);

/* @path made absolute and plain in @out (@size bytes): "/a//b/./c/.."
 * gives "/a/b". Returns: its length, -EINVAL (not absolute, NULL),
 * -ENAMETOOLONG. Context: any. */
int pica_fs_normalize(const char *path, char *out, size_t size);
