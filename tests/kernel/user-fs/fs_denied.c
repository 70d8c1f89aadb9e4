/* SPDX-License-Identifier: MIT */
/* The user-fs test's process without the FS capability: every call naming
 * a path is refused (-EPERM), a bad path pointer too, before it is read,
 * and so is stdio's fopen; it can hold no file, so calls on slots find
 * none (-EBADF). Exits with its number of failures. */
#include <errno.h>
#include <stdio.h>

#define PROC_NAME "fs_denied"
#include "common.h"

int
user_main(void)
{
    struct user_fs_note n = note_get();
    struct pica_user_fs_stat st;
    struct pica_user_fs_statvfs v;
    struct pica_user_fs_dirent e;
    char b[8];
    CHECK_EQ("open", sys_fs_open("/data/renamed.txt", PICA_USER_O_RDONLY), -EPERM);
    CHECK_EQ("create", sys_fs_open("/x", PICA_USER_O_WRONLY | PICA_USER_O_CREAT), -EPERM);
    CHECK_EQ("opendir", sys_fs_opendir("/"), -EPERM);
    CHECK_EQ("unlink", pica_sys_fs_unlink("/data/renamed.txt"), -EPERM);
    CHECK_EQ("mkdir", pica_sys_fs_mkdir("/d"), -EPERM);
    CHECK_EQ("rmdir", pica_sys_fs_rmdir("/data"), -EPERM);
    CHECK_EQ("rename", pica_sys_fs_rename("/data/renamed.txt", "/r"), -EPERM);
    CHECK_EQ("stat", sys_fs_stat("/data", &st), -EPERM);
    CHECK_EQ("statvfs", sys_fs_statvfs("/", &v), -EPERM);
    FILE *f = fopen("/data/renamed.txt", "r");
    CHECK_EQ("fopen", f == NULL && errno == EPERM, 1);
    for (int slot = 0; slot < 4; slot++) {
        CHECK_EQ("read", pica_sys_fs_read(slot, b, sizeof b), -EBADF);
        CHECK_EQ("write", pica_sys_fs_write(slot, b, sizeof b), -EBADF);
        CHECK_EQ("lseek", pica_sys_fs_lseek(slot, 0, 0), -EBADF);
        CHECK_EQ("fsync", pica_sys_fs_fsync(slot), -EBADF);
        CHECK_EQ("ftruncate", pica_sys_fs_ftruncate(slot, 0), -EBADF);
        CHECK_EQ("fstat", pica_sys_fs_fstat(slot, &st, sizeof st), -EBADF);
        CHECK_EQ("readdir", pica_sys_fs_readdir(slot, &e, sizeof e), -EBADF);
    }
    /* Refused before its path is looked at. */
    CHECK_EQ("kernel path", pica_sys_fs_unlink((const char *)(uintptr_t)n.canary_addr), -EPERM);
    printf("fs_denied: %d failures\n", failures);
    return failures;
}
