/* SPDX-License-Identifier: MIT */
/* picafs: a small power-loss-safe file system on a block device
 * (include/pica/blk.h): files, directories, copy-on-write metadata with a
 * two-block commit log, dynamic wear levelling, bad-block relocation, a CRC
 * on every block, and RAM fixed by the caller.
 *
 * Guarantees. A power cut at any program or erase leaves the image
 * mountable in the state of the last commit. Commits happen when a
 * namespace call (create, unlink, mkdir, rmdir, rename, ftruncate) returns,
 * at fsync and close, and inside write() when the cache is full of pending
 * blocks (a long write() may so be persisted in part, as under POSIX).
 * A file whose last fsync/close returned 0 is intact; rename is atomic,
 * also over an existing file.
 *
 * RAM. struct picafs, struct picafs_file and struct picafs_dir are the
 * caller's; the block cache is a caller's buffer of PICAFS_CACHE_SIZE()
 * bytes, at least PICAFS_CACHE_MIN_BLOCKS blocks. Nothing else is used: no
 * malloc, no RAM that grows with the device or the files.
 *
 * Mount cost: reads of the two commit-log blocks, the root block and the
 * first inode-table block, whatever the number of files.
 *
 * Limits: names up to PICAFS_NAME_MAX bytes, paths up to PICAFS_PATH_MAX;
 * up to 11 blocks of entries per directory; a device of up to about
 * block_size * 4 blocks (the free map lives in the root block), so with
 * 512-byte sectors pick a larger block_size at format.
 *
 * Errors: negative errno values (-ENOENT, -EEXIST, -ENOTDIR, -EISDIR,
 * -ENOTEMPTY, -ENAMETOOLONG, -ENOSPC, -EBADF, -EINVAL, -EIO, -EUCLEAN for an
 * image that does not check out, -EBUSY, -EFBIG, -EROFS). After an -EIO
 * the changes since the last commit are dropped (the file system goes back
 * to its last committed state); if even that cannot be known every call
 * gives -EIO until the next mount.
 *
 * Thread safety: none. The VFS above serialises the calls on one mounted
 * file system. Several handles may be open on one file: they stay coherent
 * (all state but the position lives in the inode). unlink, rmdir or rename
 * over a file or directory that is open gives -EBUSY.
 *
 * Implementation, in fs/: mount.c (format, mount), fs/commit.c (commit log), fs/cache.c,
 * fs/alloc.c, fs/inode.c, fs/map.c, fs/dir.c, fs/namei.c, fs/file.c,
 * fs/fsck.c, fs/dump.c; the on-disk format is described in fs/fs_priv.h. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/blk.h>
#include <pica/errno.h> /* EUCLEAN */



#define PICAFS_NAME_MAX 32
#define PICAFS_PATH_MAX 128

/* open() flags. */
#define PICAFS_O_RDONLY 0x0u
#define PICAFS_O_WRONLY 0x1u
#define PICAFS_O_RDWR 0x2u
#define PICAFS_O_ACCMODE 0x3u
#define PICAFS_O_CREAT 0x100u
#define PICAFS_O_EXCL 0x200u
#define PICAFS_O_TRUNC 0x400u
#define PICAFS_O_APPEND 0x800u

#define PICAFS_SEEK_SET 0
#define PICAFS_SEEK_CUR 1
#define PICAFS_SEEK_END 2

#define PICAFS_TYPE_FILE 1u
#define PICAFS_TYPE_DIR 2u

/* Cache: the smallest number of blocks a mount accepts (one namespace
 * call keeps up to 7 blocks pending, plus one to read through), the most
 * it uses, and the bytes for @nblocks blocks of @block_size bytes. */
#define PICAFS_CACHE_MIN_BLOCKS 8u
#define PICAFS_CACHE_MAX_BLOCKS 32u
#define PICAFS_CACHE_SIZE(block_size, nblocks) ((size_t)(block_size) * (size_t)(nblocks))

struct picafs_config {
    void *cache;       /* PICAFS_CACHE_SIZE(block size, n) bytes, n >= 8 */
    size_t cache_size; /* bytes at cache */
    /* Called with one line for each problem found (a corrupt block at
     * mount, each inconsistency fsck finds); may be NULL. */
    void (*report)(void *arg, const char *what);
    void *report_arg;
    /* For picafs_fsck() and picafs_dump(), which mount the image to walk
     * it: the struct picafs to mount it into. NULL: one on the stack
     * (sizeof(struct picafs), 808 bytes on Arm). */
    struct picafs *scratch;
};

/* private: one cached block */
struct picafs_cent {
    uint32_t loc;    /* block number it holds (or is to be written to) */
    uint32_t parent; /* block holding the pointer to it, while pending */
    uint32_t poff;   /* byte offset of that pointer in parent */
    uint32_t used;   /* LRU stamp */
    uint8_t flags;   /* CENT_* in fs_priv.h */
    uint8_t rank;    /* write order at commit: children before parents */
};

/* private: an open file or directory, on the file system's list */
struct picafs_open {
    struct picafs_open *next;
    uint32_t ino;
};

/* One mounted file system (caller storage; fields are private). */
struct picafs {
    struct pica_blk *dev;
    uint8_t *cache;
    uint32_t nent;                   /* cache blocks in use */
    struct picafs_cent ent[PICAFS_CACHE_MAX_BLOCKS];
    uint32_t clock;                  /* LRU clock */
    uint32_t bs;                     /* block size in bytes */
    uint32_t dev_per_blk;            /* device erase blocks per block */
    uint32_t nblocks;                /* blocks in the file system */
    uint32_t nleaves, bad_max;       /* root layout, fixed at format */
    uint32_t slot_size, nslots;      /* commit-log record slots per block */
    uint32_t seq;                    /* sequence of the last commit */
    uint32_t croot, root;            /* committed and working root block */
    uint32_t log_blk, log_slot;      /* where the next record goes */
    uint32_t pending_free;           /* blocks freed since the last commit */
    uint32_t budget;                 /* relocations left in this call */
    bool nor, mounted, broken, use_reserve;
    struct picafs_open *open;        /* open files and directories */
    void (*report)(void *arg, const char *what);
    void *report_arg;
    char last_error[80];             /* the last problem reported */
};

/* One open file (caller storage; fields are private). */
struct picafs_file {
    struct picafs_open node;
    uint32_t pos;
    uint32_t flags;
};

/* One open directory (caller storage; fields are private). */
struct picafs_dir {
    struct picafs_open node;
    uint32_t index; /* next entry slot */
};

struct picafs_stat {
    uint32_t type;   /* PICAFS_TYPE_FILE or PICAFS_TYPE_DIR */
    uint32_t size;   /* bytes (a directory: its number of entries) */
    uint32_t ino;
    uint32_t blocks; /* data blocks held */
};

struct picafs_dirent {
    char name[PICAFS_NAME_MAX + 1];
    uint32_t type;
    uint32_t size;
};

struct picafs_statvfs {
    uint32_t block_size, block_count, blocks_free, blocks_bad;
    uint32_t name_max;
    uint32_t files, files_free;
};

struct picafs_format_opts {
    void *work;           /* scratch of at least one block (block_size bytes) */
    size_t work_size;
    uint32_t block_count; /* 0: the whole device (up to the format's limit) */
    uint32_t block_size;  /* 0: the erase size; else a power-of-two multiple of it (at most 64x) */
    uint32_t inodes;      /* 0: half the block count, at least two leaves' worth */
};

/* Write an empty file system on @dev. Not power-safe: a cut leaves no
 * valid file system. Context: thread.
 * Returns: 0, -EINVAL (no scratch, geometry or options out of range),
 * -EIO, -EROFS. */
int picafs_format(struct pica_blk *dev, const struct picafs_format_opts *opts);

/* Mount the file system on @dev into @fs. A corrupt image is refused with
 * -EUCLEAN (or -EIO for a device error) after reporting what was found.
 * Context: thread. Returns: 0, -EINVAL, -EIO, -EUCLEAN. */
int picafs_mount(struct picafs *fs, struct pica_blk *dev, const struct picafs_config *cfg);

/* Commit what is pending and detach. Returns: 0, -EBUSY (files open), -EIO. */
int picafs_unmount(struct picafs *fs);

/* Open @path with PICAFS_O_* @flags into @f. Returns: 0, -ENOENT, -EEXIST,
 * -EISDIR, -ENOTDIR, -ENAMETOOLONG, -ENOSPC, -EINVAL, -EIO, -EUCLEAN. */
int picafs_open(struct picafs *fs, struct picafs_file *f, const char *path, unsigned flags);

/* Commit the file's pending data and forget @f (also on error). */
int picafs_close(struct picafs *fs, struct picafs_file *f);

/* Read up to @n bytes at the position. Returns: bytes read (0 at the end),
 * -EBADF (not open for reading), -EIO, -EUCLEAN. */
int32_t picafs_read(struct picafs *fs, struct picafs_file *f, void *buf, uint32_t n);

/* Write @n bytes at the position (the end with O_APPEND); a gap reads as
 * zeros. Returns: bytes written (fewer if the device filled up), -ENOSPC
 * (none), -EFBIG, -EBADF, -EIO. */
int32_t picafs_write(struct picafs *fs, struct picafs_file *f, const void *buf, uint32_t n);

/* Returns: the new position, -EINVAL (negative or bad @whence), -EFBIG. */
int32_t picafs_lseek(struct picafs *fs, struct picafs_file *f, int32_t off, int whence);

/* Commit everything pending on @fs, whichever file it belongs to: what
 * fsync does without naming a file. Returns: 0, -EINVAL (not mounted),
 * -EIO. */
int picafs_sync(struct picafs *fs);

/* Commit everything pending (of every file). Returns: 0, -EBADF, -EIO. */
int picafs_fsync(struct picafs *fs, struct picafs_file *f);

/* Set the file's size (a larger size reads as zeros); commits.
 * Returns: 0, -EBADF, -EFBIG, -ENOSPC, -EIO. */
int picafs_ftruncate(struct picafs *fs, struct picafs_file *f, uint32_t size);

/* Namespace calls; each commits before it returns 0. */
int picafs_unlink(struct picafs *fs, const char *path);
int picafs_mkdir(struct picafs *fs, const char *path);
int picafs_rmdir(struct picafs *fs, const char *path);
int picafs_rename(struct picafs *fs, const char *oldpath, const char *newpath);

int picafs_stat(struct picafs *fs, const char *path, struct picafs_stat *st);
int picafs_fstat(struct picafs *fs, struct picafs_file *f, struct picafs_stat *st);

/* Directory listing: readdir gives 1 and an entry, 0 at the end, or <0. */
int picafs_opendir(struct picafs *fs, struct picafs_dir *d, const char *path);
int picafs_readdir(struct picafs *fs, struct picafs_dir *d, struct picafs_dirent *e);
int picafs_closedir(struct picafs *fs, struct picafs_dir *d);

int picafs_statvfs(struct picafs *fs, struct picafs_statvfs *st);

/* Check an unmounted image: every structure is read and cross-checked
 * (CRCs, numbers in range, each used block reached exactly once and marked
 * used, every inode named once, no directory loops, counts). Calls report()
 * for each problem. RAM: the cache given. Returns: 0 (consistent),
 * -EUCLEAN, -EIO, -EINVAL. */
int picafs_fsck(struct pica_blk *dev, const struct picafs_config *cfg);

/* Print the on-disk structures line by line through @print.
 * Returns: 0, -EINVAL, -EIO, -EUCLEAN (the part before the damage was printed). */
int picafs_dump(struct pica_blk *dev, const struct picafs_config *cfg,
                void (*print)(void *arg, const char *line), void *arg);
