/* SPDX-License-Identifier: MIT */
/* The fs_* system calls of user processes (kernel/proc/syscalls.def): the
 * handlers check the caller's FS capability (pica_fs_tree) and fill a
 * request, paths copied straight from the process into it (a path does
 * not fit on the caller's small privileged stack); fs_req_run() does the
 * work in the service thread (fs/fs_service.c). An open file or directory
 * is a struct pica_file / struct pica_dir the process owns in a FILE / DIR
 * slot, charged to its quota; deleting the slot (cap_delete, the end of
 * the process) closes it through fs_cap_close(). The dispatch refers to
 * these handlers weakly: an image without the file system answers -ENOSYS.
 * docs/user-space.md, "Files", has the rules. */
#include "fs_user.h"

#include <errno.h>
#include <stddef.h>
#include <string.h>

#include <pica/irq.h>
#include <pica/proc.h>
#include <pica/user/abi.h>

#include "cap.h"
#include "syscall_handlers.h"
#include "uaccess.h"

struct pica_fs_tree pica_fs_tree;

/* The user ABI's structs are the file system's, byte for byte. */
_Static_assert(sizeof(struct pica_user_fs_stat) == sizeof(struct picafs_stat), "stat");
_Static_assert(offsetof(struct pica_user_fs_stat, blocks) == offsetof(struct picafs_stat, blocks),
               "stat");
_Static_assert(sizeof(struct pica_user_fs_dirent) == sizeof(struct picafs_dirent), "dirent");
_Static_assert(offsetof(struct pica_user_fs_dirent, type) == offsetof(struct picafs_dirent, type),
               "dirent");
_Static_assert(sizeof(struct pica_user_fs_statvfs) == sizeof(struct picafs_statvfs), "statvfs");
_Static_assert(PICA_SYSCALL_PATH_MAX == PICA_FS_PATH_MAX + 1, "a path and its NUL");

#define FS_O_KNOWN                                                                                \
    (PICA_O_WRONLY | PICA_O_RDWR | PICA_O_CREAT | PICA_O_EXCL | PICA_O_TRUNC | PICA_O_APPEND)

/* The rights of @p's FS capabilities, joined. */
static unsigned
tree_rights(const struct pica_proc *p)
{
    unsigned rights = 0;
    unsigned key = pica_irq_lock();
    for (unsigned i = 0; i < PICA_CFG_CAP_SLOTS; i++) {
        if (p->caps[i].obj == &pica_fs_tree && p->caps[i].type == PICA_CAP_FS) {
            rights |= p->caps[i].rights;
        }
    }
    pica_irq_unlock(key);
    return rights;
}

/* A request for the calling process on the tree, if its FS capability has
 * every right in @need (READ always), with the path at user address @path
 * copied in: the request, else NULL and *@err (-EPERM, -EFAULT,
 * -ENAMETOOLONG). */
static struct fs_req *
tree_req(enum fs_op op, unsigned need, uint32_t path, int *err)
{
    struct pica_proc *p = syscall_proc();
    need |= PICA_RIGHT_READ;
    if ((tree_rights(p) & need) != need) {
        *err = -EPERM;
        return NULL;
    }
    struct fs_req *r = fs_service_begin(err);
    if (r == NULL) {
        return NULL;
    }
    int n = uaccess_copy_str(p, r->path, path, sizeof(r->path));
    if (n < 0) {
        fs_service_abort();
        *err = n;
        return NULL;
    }
    r->op = (uint8_t)op;
    r->p = p;
    return r;
}

static int32_t
tree_call(enum fs_op op, unsigned need, uint32_t path, void *buf)
{
    int err;
    struct fs_req *r = tree_req(op, need, path, &err);
    if (r == NULL) {
        return err;
    }
    r->buf = buf;
    return fs_service_end();
}

/* A request on an open file or directory, which the slot's hold keeps. */
static int32_t
obj_call(enum fs_op op, void *obj, void *buf, uint32_t len, uint32_t a, uint32_t b)
{
    int err;
    struct fs_req *r = fs_service_begin(&err);
    if (r == NULL) {
        return err;
    }
    r->op = (uint8_t)op;
    r->p = syscall_proc();
    r->obj = obj;
    r->buf = buf;
    r->len = len;
    r->a = a;
    r->b = b;
    return fs_service_end();
}

int32_t
sys_fs_open(uint32_t path, uint32_t flags)
{
    unsigned mode = flags & PICAFS_O_ACCMODE;
    if ((flags & ~FS_O_KNOWN) != 0 || mode == PICAFS_O_ACCMODE) {
        return -EINVAL;
    }
    unsigned rights = mode == PICA_O_RDONLY  ? PICA_RIGHT_READ
                      : mode == PICA_O_WRONLY ? PICA_RIGHT_WRITE
                                              : PICA_RIGHT_READ | PICA_RIGHT_WRITE;
    bool changes = (rights & PICA_RIGHT_WRITE) || (flags & (PICA_O_CREAT | PICA_O_TRUNC));
    int err;
    struct fs_req *r = tree_req(FS_OP_OPEN, changes ? PICA_RIGHT_WRITE : 0, path, &err);
    if (r == NULL) {
        return err;
    }
    r->a = flags;
    r->b = rights;
    return fs_service_end();
}

int32_t
sys_fs_read(struct pica_file *file, void *buf, uint32_t len)
{
    if (len > INT32_MAX) {
        return -EINVAL;
    }
    return obj_call(FS_OP_READ, file, buf, len, 0, 0);
}

int32_t
sys_fs_write(struct pica_file *file, const void *buf, uint32_t len)
{
    if (len > INT32_MAX) {
        return -EINVAL;
    }
    int err;
    struct fs_req *r = fs_service_begin(&err);
    if (r == NULL) {
        return err;
    }
    r->op = FS_OP_WRITE;
    r->p = syscall_proc();
    r->obj = file;
    r->len = len;
    if (len <= sizeof(r->small)) {
        memcpy(r->small, buf, len); /* @buf may be on this stack */
    } else {
        r->buf = (void *)(uintptr_t)buf; /* the process's memory */
    }
    return fs_service_end();
}

int32_t
sys_fs_lseek(struct pica_file *file, uint32_t off, uint32_t whence)
{
    return obj_call(FS_OP_LSEEK, file, NULL, 0, off, whence);
}

int32_t
sys_fs_fsync(struct pica_file *file)
{
    return obj_call(FS_OP_FSYNC, file, NULL, 0, 0, 0);
}

int32_t
sys_fs_ftruncate(struct pica_file *file, uint32_t size)
{
    return obj_call(FS_OP_FTRUNCATE, file, NULL, 0, size, 0);
}

int32_t
sys_fs_fstat(struct pica_file *file, void *st, uint32_t len)
{
    if (len != sizeof(struct pica_user_fs_stat)) {
        return -EINVAL;
    }
    return obj_call(FS_OP_FSTAT, file, st, len, 0, 0);
}

int32_t
sys_fs_unlink(uint32_t path)
{
    return tree_call(FS_OP_UNLINK, PICA_RIGHT_WRITE, path, NULL);
}

int32_t
sys_fs_mkdir(uint32_t path)
{
    return tree_call(FS_OP_MKDIR, PICA_RIGHT_WRITE, path, NULL);
}

int32_t
sys_fs_rmdir(uint32_t path)
{
    return tree_call(FS_OP_RMDIR, PICA_RIGHT_WRITE, path, NULL);
}

int32_t
sys_fs_rename(uint32_t from, uint32_t to)
{
    int err;
    struct fs_req *r = tree_req(FS_OP_RENAME, PICA_RIGHT_WRITE, from, &err);
    if (r == NULL) {
        return err;
    }
    err = uaccess_copy_str(r->p, r->path2, to, sizeof(r->path2));
    if (err < 0) {
        fs_service_abort();
        return err;
    }
    return fs_service_end();
}

int32_t
sys_fs_stat(uint32_t path, void *st, uint32_t len)
{
    if (len != sizeof(struct pica_user_fs_stat)) {
        return -EINVAL;
    }
    return tree_call(FS_OP_STAT, 0, path, st);
}

int32_t
sys_fs_opendir(uint32_t path)
{
    return tree_call(FS_OP_OPENDIR, 0, path, NULL);
}

int32_t
sys_fs_readdir(struct pica_dir *dir, void *ent, uint32_t len)
{
    if (len != sizeof(struct pica_user_fs_dirent)) {
        return -EINVAL;
    }
    return obj_call(FS_OP_READDIR, dir, ent, len, 0, 0);
}

int32_t
sys_fs_statvfs(uint32_t path, void *st, uint32_t len)
{
    if (len != sizeof(struct pica_user_fs_statvfs)) {
        return -EINVAL;
    }
    return tree_call(FS_OP_STATVFS, 0, path, st);
}

void
fs_cap_close(void *obj, unsigned type)
{
    int err;
    struct fs_req *r = fs_service_begin(&err);
    if (r == NULL) {
        return; /* the service exists whenever an object does: not reached */
    }
    r->op = FS_OP_CLOSE;
    r->obj = obj;
    r->a = type;
    (void)fs_service_end();
}

void
fs_cap_quiesce(struct pica_proc *p)
{
    (void)p; /* every request before this one is done: so is each of @p's */
    int err;
    if (fs_service_started() && fs_service_begin(&err) != NULL) {
        (void)fs_service_end();
    }
}

/* ---- the service thread's side ---- */

/* A new FILE or DIR object of the caller's, opened and in a slot; closed
 * and freed instead if the process has begun to end meanwhile (its slots
 * are being emptied: one added now would be missed). */
static int
open_obj(const struct fs_req *r, enum pica_cap_type type, size_t size, unsigned rights)
{
    void *obj = cap_obj_alloc(r->p, type, size);
    if (obj == NULL) {
        return -ENOMEM;
    }
    int err = type == PICA_CAP_FILE ? pica_fs_open(obj, r->path, r->a)
                                    : pica_fs_opendir(obj, r->path);
    if (err < 0) {
        cap_obj_free(obj);
        return err;
    }
    unsigned key = pica_irq_lock();
    bool alive = r->p->state == PICA_PROC_RUNNING && r->p->ending == 0;
    int slot = alive ? cap_insert(r->p, type, obj, rights, true) : -ESRCH;
    pica_irq_unlock(key);
    if (slot < 0) {
        (void)(type == PICA_CAP_FILE ? pica_fs_close(obj) : pica_fs_closedir(obj));
        cap_obj_free(obj);
    }
    return slot;
}

/* Run the file system call, then copy what it wrote (on this stack) to
 * the user's buffer. */
static int
run_out(const struct fs_req *r)
{
    union {
        struct picafs_stat st;
        struct picafs_dirent ent;
        struct picafs_statvfs vfs;
    } u;
    size_t n = 0;
    int ret;
    switch (r->op) {
    case FS_OP_FSTAT:
        ret = pica_fs_fstat(r->obj, &u.st);
        n = sizeof(u.st);
        break;
    case FS_OP_READDIR:
        ret = pica_fs_readdir(r->obj, &u.ent);
        n = ret == 1 ? sizeof(u.ent) : 0;
        break;
    case FS_OP_STAT:
        ret = pica_fs_stat(r->path, &u.st);
        n = sizeof(u.st);
        break;
    default:
        ret = pica_fs_statvfs(r->path, &u.vfs);
        n = sizeof(u.vfs);
        break;
    }
    if (ret >= 0 && n != 0) {
        memcpy(r->buf, &u, n);
    }
    return ret;
}

int
fs_req_run(const struct fs_req *r)
{
    switch (r->op) {
    case FS_OP_NONE:
        return 0;
    case FS_OP_OPEN:
        return open_obj(r, PICA_CAP_FILE, sizeof(struct pica_file), r->b);
    case FS_OP_OPENDIR:
        return open_obj(r, PICA_CAP_DIR, sizeof(struct pica_dir), PICA_RIGHT_READ);
    case FS_OP_CLOSE:
        return r->a == PICA_CAP_FILE ? pica_fs_close(r->obj) : pica_fs_closedir(r->obj);
    case FS_OP_READ:
        return pica_fs_read(r->obj, r->buf, r->len);
    case FS_OP_WRITE:
        return pica_fs_write(r->obj, r->buf != NULL ? r->buf : r->small, r->len);
    case FS_OP_LSEEK:
        return pica_fs_lseek(r->obj, (int32_t)r->a, (int)r->b);
    case FS_OP_FSYNC:
        return pica_fs_fsync(r->obj);
    case FS_OP_FTRUNCATE:
        return pica_fs_ftruncate(r->obj, r->a);
    case FS_OP_UNLINK:
        return pica_fs_unlink(r->path);
    case FS_OP_MKDIR:
        return pica_fs_mkdir(r->path);
    case FS_OP_RMDIR:
        return pica_fs_rmdir(r->path);
    case FS_OP_RENAME:
        return pica_fs_rename(r->path, r->path2);
    case FS_OP_FSTAT:
    case FS_OP_READDIR:
    case FS_OP_STAT:
    case FS_OP_STATVFS:
        return run_out(r);
    default:
        return -ENOSYS;
    }
}
