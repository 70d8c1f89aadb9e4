/* SPDX-License-Identifier: MIT */
/* Files for user processes, private to fs/: the request a system call
 * hands to the file system's service thread, and the two halves that meet
 * in it. The system-call handlers (fs/fs_syscalls.c) run on the caller's
 * small privileged stack and only fill a request; the service thread
 * (fs/fs_service.c) runs it on a stack big enough for the file system. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/fs.h>

#include "syscall.h"

struct pica_proc;

enum fs_op {
    FS_OP_NONE,      /* nothing: the requests before it are done */
    FS_OP_OPEN,      /* path, a = flags, b = the new slot's rights: the slot */
    FS_OP_OPENDIR,   /* path: the slot */
    FS_OP_CLOSE,     /* obj, a = PICA_CAP_FILE or PICA_CAP_DIR */
    FS_OP_READ,      /* obj, buf, len */
    FS_OP_WRITE,     /* obj, buf (or small), len */
    FS_OP_LSEEK,     /* obj, a = offset, b = whence */
    FS_OP_FSYNC,     /* obj */
    FS_OP_FTRUNCATE, /* obj, a = size */
    FS_OP_FSTAT,     /* obj, buf */
    FS_OP_READDIR,   /* obj, buf */
    FS_OP_UNLINK,    /* path */
    FS_OP_MKDIR,     /* path */
    FS_OP_RMDIR,     /* path */
    FS_OP_RENAME,    /* path, path2 */
    FS_OP_STAT,      /* path, buf */
    FS_OP_STATVFS,   /* path, buf */
};

/* One request. Everything it names outlives the caller's stack: paths and
 * short writes are copied in (paths from the process, by the handler), buffers are the process's own memory
 * (range-checked by the dispatch), objects are held by the call or are
 * closed only through the service itself. */
struct fs_req {
    uint8_t op;           /* enum fs_op */
    struct pica_proc *p;  /* the caller's process */
    void *obj;            /* struct pica_file or struct pica_dir */
    void *buf;            /* user memory */
    uint32_t len;
    uint32_t a, b;
    uint8_t small[PICA_SYSCALL_COPY_MAX] __attribute__((aligned(8)));
    char path[PICA_SYSCALL_PATH_MAX];
    char path2[PICA_SYSCALL_PATH_MAX];
};

/* Start a request: the service is started if need be, the caller becomes
 * the only one filling the request, which is returned cleared (op NONE).
 * Context: thread. Returns: the request, or NULL with *@err set. */
struct fs_req *fs_service_begin(int *err);

/* Hand the request filled since fs_service_begin() to the service thread
 * and wait for its result. Context: thread, after fs_service_begin(). */
int fs_service_end(void);

/* Give up the request begun by fs_service_begin(): nothing is run. */
void fs_service_abort(void);

/* Whether the service thread has ever been started (no file or directory
 * of a process exists before). */
bool fs_service_started(void);

/* Run @r: in the service thread, one request at a time (fs_syscalls.c). */
int fs_req_run(const struct fs_req *r);
