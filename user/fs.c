/* SPDX-License-Identifier: MIT */
/* POSIX files in a process, over the fs_* system calls, so that picolibc's
 * fopen/fprintf/fgets/fclose work: open, close, read, write, lseek, fsync,
 * ftruncate, fstat, stat, isatty, unlink, mkdir, rmdir, rename. A file
 * descriptor is a capability slot plus 3 (fd = slot + 3): 0-2 stay the
 * console (0 reads nothing; 1 and 2 write through stdio's line, flushed
 * first so the order holds), and an fd is valid only while its slot holds
 * an open file. Errors set errno and return -1. The kernel's flags are not
 * picolibc's: open() maps them. Linked from an archive, so only processes
 * that use files carry it (cmake/pica-user.cmake). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sdk.h"

#define FD_FIRST 3

static int
fail(int err)
{
    errno = -err;
    return -1;
}

static int
ok_or_fail(int r)
{
    return r < 0 ? fail(r) : r;
}

/* The slot of @fd: the kernel checks that it holds an open file (a
 * console fd or a negative one gives a slot out of range: -EBADF). */
static int32_t
fd_slot(int fd)
{
    return fd >= FD_FIRST ? fd - FD_FIRST : INT32_MAX;
}

int
open(const char *path, int flags, ...)
{
    static const struct {
        int posix;
        unsigned pica;
    } map[] = {
        {O_CREAT, PICA_USER_O_CREAT},
        {O_EXCL, PICA_USER_O_EXCL},
        {O_TRUNC, PICA_USER_O_TRUNC},
        {O_APPEND, PICA_USER_O_APPEND},
    };
    unsigned mode = (flags & O_ACCMODE) == O_WRONLY ? PICA_USER_O_WRONLY
                    : (flags & O_ACCMODE) == O_RDWR ? PICA_USER_O_RDWR
                                                    : PICA_USER_O_RDONLY;
    for (unsigned i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
        if (flags & map[i].posix) {
            mode |= map[i].pica;
        }
    }
    int slot = pica_sys_fs_open(path, mode);
    return slot < 0 ? fail(slot) : slot + FD_FIRST;
}

int
close(int fd)
{
    if (fd >= 0 && fd < FD_FIRST) {
        return 0;
    }
    /* Only a file's or directory's slot: never another object's. */
    int32_t slot = fd_slot(fd);
    int info = pica_sys_cap_info((uint32_t)slot);
    unsigned type = info < 0 ? 0u : PICA_USER_CAP_INFO_TYPE(info);
    if (type != PICA_USER_CAP_FILE && type != PICA_USER_CAP_DIR) {
        return fail(-EBADF);
    }
    /* Deleting the slot closes the file, and would lose a write error:
     * committed first, so close() reports it as POSIX's does. */
    int err = 0;
    if (type == PICA_USER_CAP_FILE && (PICA_USER_CAP_INFO_RIGHTS(info) & PICA_USER_RIGHT_WRITE)) {
        err = pica_sys_fs_fsync(slot);
    }
    int del = pica_sys_cap_delete((uint32_t)slot);
    return ok_or_fail(err < 0 ? err : del);
}

ssize_t
read(int fd, void *buf, size_t n)
{
    if (fd == 0) {
        return 0; /* the console gives no input */
    }
    return ok_or_fail(pica_sys_fs_read(fd_slot(fd), buf, n));
}

ssize_t
write(int fd, const void *buf, size_t n)
{
    if (fd == 1 || fd == 2) {
        sys_flush();
        return ok_or_fail(pica_sys_write((uint32_t)fd, buf, n));
    }
    return ok_or_fail(pica_sys_fs_write(fd_slot(fd), buf, n));
}

off_t
lseek(int fd, off_t off, int whence)
{
    unsigned w = whence == SEEK_CUR   ? PICA_USER_SEEK_CUR
                 : whence == SEEK_END ? PICA_USER_SEEK_END
                                      : PICA_USER_SEEK_SET;
    if ((whence != SEEK_SET && whence != SEEK_CUR && whence != SEEK_END) || off > INT32_MAX ||
        off < INT32_MIN) {
        return fail(-EINVAL);
    }
    if (fd >= 0 && fd < FD_FIRST) {
        return fail(-ESPIPE);
    }
    return ok_or_fail(pica_sys_fs_lseek(fd_slot(fd), (uint32_t)off, w));
}

int
fsync(int fd)
{
    return fd >= 0 && fd < FD_FIRST ? 0 : ok_or_fail(pica_sys_fs_fsync(fd_slot(fd)));
}

int
ftruncate(int fd, off_t size)
{
    if (size < 0 || size > INT32_MAX) {
        return fail(-EINVAL);
    }
    return ok_or_fail(pica_sys_fs_ftruncate(fd_slot(fd), (uint32_t)size));
}

static void
stat_fill(struct stat *st, const struct pica_user_fs_stat *ps)
{
    *st = (struct stat){0};
    st->st_mode = ps->type == PICA_USER_FS_TYPE_DIR ? S_IFDIR | 0755 : S_IFREG | 0644;
    st->st_size = ps->size;
    st->st_ino = ps->ino;
    st->st_blocks = ps->blocks;
    st->st_nlink = 1;
}

int
fstat(int fd, struct stat *st)
{
    if (fd >= 0 && fd < FD_FIRST) {
        *st = (struct stat){.st_mode = S_IFCHR | 0600};
        return 0;
    }
    struct pica_user_fs_stat ps;
    int r = pica_sys_fs_fstat(fd_slot(fd), &ps, sizeof(ps));
    if (r < 0) {
        return fail(r);
    }
    stat_fill(st, &ps);
    return 0;
}

int
stat(const char *path, struct stat *st)
{
    struct pica_user_fs_stat ps;
    int r = pica_sys_fs_stat(path, &ps, sizeof(ps));
    if (r < 0) {
        return fail(r);
    }
    stat_fill(st, &ps);
    return 0;
}

int
isatty(int fd)
{
    if (fd >= 0 && fd < FD_FIRST) {
        return 1;
    }
    errno = pica_sys_cap_info((uint32_t)fd_slot(fd)) < 0 ? EBADF : ENOTTY;
    return 0;
}

int
unlink(const char *path)
{
    return ok_or_fail(pica_sys_fs_unlink(path));
}

int
mkdir(const char *path, mode_t mode)
{
    (void)mode; /* no modes: the FS capability decides */
    return ok_or_fail(pica_sys_fs_mkdir(path));
}

int
rmdir(const char *path)
{
    return ok_or_fail(pica_sys_fs_rmdir(path));
}

int
rename(const char *from, const char *to)
{
    return ok_or_fail(pica_sys_fs_rename(from, to));
}
