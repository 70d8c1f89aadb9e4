/* SPDX-License-Identifier: MIT */
/* The user-fs test's process with the whole tree (FS capability with READ
 * and WRITE): stdio files (fopen, fprintf, fgets), a listing, rename and
 * unlink, a read-only slot refusing writes, kernel addresses as buffers,
 * and open files bounded by its quota. Exits with its number of failures;
 * main.c checks what it left in the tree. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PROC_NAME "fs_user"
#include "common.h"

static void
files_stdio(void)
{
    CHECK_EQ("mkdir /data", mkdir("/data", 0777), 0);
    FILE *f = fopen("/data/notes.txt", "w");
    CHECK_EQ("fopen w", f != NULL, 1);
    if (f != NULL) {
        fprintf(f, "line 1: %d\n", 42);
        fprintf(f, "line 2: %s\n", "hello");
        CHECK_EQ("fclose", fclose(f), 0);
    }
    f = fopen("/data/gone.txt", "w");
    CHECK_EQ("fopen gone", f != NULL, 1);
    if (f != NULL) {
        fputs("temporary\n", f);
        fclose(f);
    }
    char line[40];
    f = fopen("/data/notes.txt", "r");
    CHECK_EQ("fopen r", f != NULL, 1);
    if (f != NULL) {
        CHECK_EQ("fgets 1", fgets(line, sizeof line, f) != NULL && !strcmp(line, "line 1: 42\n"), 1);
        CHECK_EQ("fgets 2", fgets(line, sizeof line, f) != NULL && !strcmp(line, "line 2: hello\n"), 1);
        CHECK_EQ("fgets at the end", fgets(line, sizeof line, f) == NULL, 1);
        fclose(f);
    }
    struct stat st;
    CHECK_EQ("stat", stat("/data/notes.txt", &st), 0);
    CHECK_EQ("stat size", st.st_size, strlen(USER_FS_TEXT));
    CHECK_EQ("stat file", S_ISREG(st.st_mode), 1);
    CHECK_EQ("stat dir", stat("/data", &st) == 0 && S_ISDIR(st.st_mode), 1);
    printf("fs_user: wrote and read back /data/notes.txt\n");
}

static void
files_list(void)
{
    int d = sys_fs_opendir("/data");
    CHECK_EQ("opendir", d >= 0, 1);
    struct pica_user_fs_dirent e;
    int n = 0;
    bool notes = false, gone = false;
    while (sys_fs_readdir(d, &e) == 1) {
        n++;
        notes |= strcmp(e.name, "notes.txt") == 0 && e.type == PICA_USER_FS_TYPE_FILE;
        gone |= strcmp(e.name, "gone.txt") == 0;
    }
    CHECK_EQ("entries", n, 2);
    CHECK_EQ("both listed", notes && gone, 1);
    CHECK_EQ("closedir", sys_cap_delete(d), 0);
    CHECK_EQ("readdir after close", sys_fs_readdir(d, &e), -EBADF);
    printf("fs_user: /data lists %d entries\n", n);
}

static void
files_rename(void)
{
    struct stat st;
    CHECK_EQ("rename", rename("/data/notes.txt", "/data/renamed.txt"), 0);
    CHECK_EQ("old name gone", stat("/data/notes.txt", &st) == -1 && errno == ENOENT, 1);
    CHECK_EQ("unlink", unlink("/data/gone.txt"), 0);
    CHECK_EQ("unlink twice", unlink("/data/gone.txt") == -1 && errno == ENOENT, 1);
    CHECK_EQ("rmdir not empty", rmdir("/data") == -1 && errno == ENOTEMPTY, 1);
    CHECK_EQ("mkdir /tmpdir", mkdir("/tmpdir", 0), 0);
    CHECK_EQ("rmdir /tmpdir", rmdir("/tmpdir"), 0);
    /* lseek, ftruncate, fstat on a scratch file */
    int fd = open("/data/t.bin", O_RDWR | O_CREAT | O_EXCL, 0644);
    CHECK_EQ("open excl", fd >= 3, 1);
    CHECK_EQ("open excl again", open("/data/t.bin", O_RDWR | O_CREAT | O_EXCL) == -1 && errno == EEXIST, 1);
    CHECK_EQ("write", write(fd, "0123456789", 10), 10);
    CHECK_EQ("lseek end", lseek(fd, 0, SEEK_END), 10);
    CHECK_EQ("lseek set", lseek(fd, 3, SEEK_SET), 3);
    char b[4] = {0};
    CHECK_EQ("read", read(fd, b, 3) == 3 && !memcmp(b, "345", 3), 1);
    CHECK_EQ("ftruncate", ftruncate(fd, 4), 0);
    CHECK_EQ("fstat", fstat(fd, &st) == 0 && st.st_size == 4, 1);
    CHECK_EQ("fsync", fsync(fd), 0);
    CHECK_EQ("close", close(fd), 0);
    CHECK_EQ("close twice", close(fd) == -1 && errno == EBADF, 1);
    CHECK_EQ("unlink t.bin", unlink("/data/t.bin"), 0);
    struct pica_user_fs_statvfs v;
    CHECK_EQ("statvfs", sys_fs_statvfs("/", &v) == 0 && v.block_size == 512, 1);
    printf("fs_user: renamed, unlinked, truncated\n");
}

static void
files_rights(void)
{
    int s = sys_fs_open("/data/renamed.txt", PICA_USER_O_RDONLY);
    CHECK_EQ("open read-only", s >= 0, 1);
    CHECK_EQ("rights", PICA_USER_CAP_INFO_RIGHTS(pica_sys_cap_info(s)), PICA_USER_RIGHT_READ);
    CHECK_EQ("write on read-only", pica_sys_fs_write(s, "x", 1), -EPERM);
    CHECK_EQ("ftruncate on read-only", pica_sys_fs_ftruncate(s, 0), -EPERM);
    CHECK_EQ("posix write on read-only", write(SYS_SLOT_FD(s), "x", 1) == -1 && errno == EPERM, 1);
    char b[8];
    CHECK_EQ("read", pica_sys_fs_read(s, b, 4), 4);
    CHECK_EQ("close", close(SYS_SLOT_FD(s)), 0);
    int w = sys_fs_open("/data/renamed.txt", PICA_USER_O_WRONLY);
    CHECK_EQ("read on write-only", pica_sys_fs_read(w, b, 1), -EPERM);
    sys_cap_delete(w);
    CHECK_EQ("bad flags", sys_fs_open("/data/renamed.txt", 3), -EINVAL);
    CHECK_EQ("unknown flags", sys_fs_open("/data/renamed.txt", 0x10000), -EINVAL);
    int m = sys_mutex_create();
    CHECK_EQ("close a mutex slot", close(SYS_SLOT_FD(m)) == -1 && errno == EBADF, 1);
    CHECK_EQ("mutex kept", PICA_USER_CAP_INFO_TYPE(pica_sys_cap_info(m)), PICA_USER_CAP_MUTEX);
    CHECK_EQ("read a mutex slot", pica_sys_fs_read(m, b, 1), -EBADF);
    sys_cap_delete(m);
    printf("fs_user: read-only slot refuses writes\n");
}

static void
files_bad_pointers(struct user_fs_note n)
{
    int s = sys_fs_open("/data/renamed.txt", PICA_USER_O_RDWR);
    void *k = (void *)(uintptr_t)n.canary_addr;
    const char *kt = (const char *)(uintptr_t)n.text_addr;
    CHECK_EQ("read to kernel", pica_sys_fs_read(s, k, 16), -EFAULT);
    CHECK_EQ("write from kernel", pica_sys_fs_write(s, k, 16), -EFAULT);
    CHECK_EQ("long write from kernel", pica_sys_fs_write(s, k, 256), -EFAULT);
    CHECK_EQ("write from kernel text", pica_sys_fs_write(s, kt, 16), -EFAULT);
    CHECK_EQ("fstat to kernel", pica_sys_fs_fstat(s, k, 16), -EFAULT);
    CHECK_EQ("open kernel path", pica_sys_fs_open((const char *)k, PICA_USER_O_RDONLY), -EFAULT);
    CHECK_EQ("open text path", pica_sys_fs_open(kt, PICA_USER_O_RDONLY), -EFAULT);
    CHECK_EQ("stat to kernel", pica_sys_fs_stat("/data", k, 16), -EFAULT);
    CHECK_EQ("rename to kernel path", pica_sys_fs_rename("/data/renamed.txt", (const char *)k), -EFAULT);
    CHECK_EQ("statvfs to kernel", pica_sys_fs_statvfs("/", k, 28), -EFAULT);
    int d = sys_fs_opendir("/");
    CHECK_EQ("readdir to kernel", pica_sys_fs_readdir(d, k, 44), -EFAULT);
    sys_cap_delete(d);
    char b[8];
    CHECK_EQ("read past its memory", pica_sys_fs_read(s, b, 0x10000000u), -EFAULT);
    static char longp[200];
    memset(longp, 'a', sizeof longp - 1);
    longp[0] = '/';
    CHECK_EQ("path too long", pica_sys_fs_open(longp, PICA_USER_O_RDONLY), -ENAMETOOLONG);
    CHECK_EQ("content kept", pica_sys_fs_read(s, b, 6) == 6 && !memcmp(b, "line 1", 6), 1);
    sys_cap_delete(s);
    printf("fs_user: kernel addresses refused\n");
}

static void
files_quota(void)
{
    int slots[32];
    int n = 0, r;
    while (n < 32 && (r = sys_fs_open("/data/renamed.txt", PICA_USER_O_RDONLY)) >= 0) {
        slots[n++] = r;
    }
    CHECK_EQ("open until refused", r, -ENOMEM);
    for (int i = 0; i < n; i++) {
        sys_cap_delete(slots[i]);
    }
    r = sys_fs_open("/data/renamed.txt", PICA_USER_O_RDONLY);
    CHECK_EQ("open after closing", r >= 0, 1);
    sys_cap_delete(r);
    printf("fs_user: %d files open at most\n", n);
}

int
user_main(void)
{
    struct user_fs_note n = note_get();
    files_stdio();
    files_list();
    files_rename();
    files_rights();
    files_bad_pointers(n);
    files_quota();
    printf("fs_user: %d failures\n", failures);
    return failures;
}
