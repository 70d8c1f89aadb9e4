/* SPDX-License-Identifier: MIT */
/* pica_strerror(): names for the error codes Pica returns. The C libraries
 * disagree on the numbers (picolibc vs glibc), so this maps by symbol. */
#include <pica/errno.h>

const char *
pica_strerror(int err)
{
    switch (err < 0 ? -err : err) {
    case 0: return "success";
    case EINVAL: return "invalid argument";
    case ETIMEDOUT: return "timed out";
    case EAGAIN: return "resource temporarily unavailable";
    case ENOMEM: return "out of memory";
    case EPERM: return "operation not permitted";
    case EFAULT: return "bad address";
    case EBUSY: return "busy";
    case EDEADLK: return "deadlock avoided";
    case ENOSYS: return "not implemented";
    case ENOENT: return "no such entry";
    case EEXIST: return "already exists";
    case ENOSPC: return "no space left";
    case E2BIG: return "too big";
    case ERANGE: return "out of range";
    case ENOEXEC: return "bad executable format";
    case ENODEV: return "no such device";
    case ENOTSUP: return "not supported";
    case EIO: return "input/output error";
    case EROFS: return "read-only";
    case EOWNERDEAD: return "owner died";
    case EBADF: return "bad file or handle";
    case EISDIR: return "is a directory";
    case ENOTDIR: return "not a directory";
    case ENOTEMPTY: return "directory not empty";
    case ENAMETOOLONG: return "name too long";
    case EFBIG: return "file too large";
    case EXDEV: return "not on the same file system";
    case EUCLEAN: return "file system image is corrupt";
    default: return "unknown error";
    }
}
