/* SPDX-License-Identifier: MIT */
/* The user-fs test's process with a read-only FS capability: it may open
 * and list, not change the tree. Then it holds two files and a directory
 * open and waits to be killed: main.c checks they are closed after. If a
 * check fails it exits instead, with the number of failures. */
#include <errno.h>

#define PROC_NAME "fs_reader"
#include "common.h"

int
user_main(void)
{
    (void)note_get();
    struct pica_user_fs_stat st;
    CHECK_EQ("open for writing", sys_fs_open("/data/renamed.txt", PICA_USER_O_RDWR), -EPERM);
    CHECK_EQ("create", sys_fs_open("/new", PICA_USER_O_RDONLY | PICA_USER_O_CREAT), -EPERM);
    CHECK_EQ("truncate", sys_fs_open("/data/renamed.txt", PICA_USER_O_TRUNC), -EPERM);
    CHECK_EQ("unlink", pica_sys_fs_unlink("/data/renamed.txt"), -EPERM);
    CHECK_EQ("mkdir", pica_sys_fs_mkdir("/d"), -EPERM);
    CHECK_EQ("rename", pica_sys_fs_rename("/data/renamed.txt", "/r"), -EPERM);
    CHECK_EQ("stat", sys_fs_stat("/data/renamed.txt", &st), 0);
    int a = sys_fs_open("/data/renamed.txt", PICA_USER_O_RDONLY);
    int b = sys_fs_open("/data/renamed.txt", PICA_USER_O_RDONLY);
    int d = sys_fs_opendir("/data");
    CHECK_EQ("open a", a >= 0, 1);
    CHECK_EQ("open b", b >= 0, 1);
    CHECK_EQ("opendir", d >= 0, 1);
    if (failures != 0) {
        printf("fs_reader: %d failures\n", failures);
        return failures;
    }
    printf("fs_reader: holding 3 open\n");
    for (;;) {
        sys_sleep_us(100000);
    }
}
