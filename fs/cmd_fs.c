/* SPDX-License-Identifier: MIT */
/* The shell's file commands (ls, cat, write, rm, mkdir, mv, df, fsck,
 * hexdump) and the completion of paths, over include/pica/fs.h. Linked
 * with the file system by pica_link_fs(). */
#include <errno.h>
#include <pica/errno.h>
#include <pica/fs.h>
#include <pica/heap.h>
#include <pica/shell.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Referenced by pica_link_fs() so that the linker keeps this file's
 * commands whenever the file system is linked. */
const char pica_fs_shell_commands[] = "ls cat write rm mkdir mv df fsck hexdump";

/* Say what went wrong; the result a command returns for it (not
 * PICA_SHELL_USAGE: the usage would not help). */
static int
fail(const char *cmd, const char *path, int err)
{
    printf("%s: %s: %s\n", cmd, path, pica_strerror(err));
    return err;
}

/* ---- ls ---- */

static void
ls_line(const char *name, uint32_t type, uint32_t size)
{
    printf("%c %8lu  %s%s\n", type == PICAFS_TYPE_DIR ? 'd' : '-', (unsigned long)size, name,
           type == PICAFS_TYPE_DIR ? "/" : "");
}

static int
cmd_ls(int argc, char **argv)
{
    if (argc > 2) {
        return PICA_SHELL_USAGE;
    }
    const char *path = argc == 2 ? argv[1] : "/";
    struct picafs_stat st;
    int err = pica_fs_stat(path, &st);
    if (err == 0 && st.type != PICAFS_TYPE_DIR) {
        ls_line(path, st.type, st.size);
        return 0;
    }
    static struct pica_dir d; /* the shell's own: one command at a time */
    if (err == 0) {
        err = pica_fs_opendir(&d, path);
    }
    if (err != 0) {
        return fail("ls", path, err);
    }
    struct picafs_dirent e;
    unsigned n = 0;
    while ((err = pica_fs_readdir(&d, &e)) == 1) {
        ls_line(e.name, e.type, e.size);
        n++;
    }
    (void)pica_fs_closedir(&d);
    if (err < 0) {
        return fail("ls", path, err);
    }
    printf("%u entr%s\n", n, n == 1 ? "y" : "ies");
    return 0;
}
PICA_SHELL_CMD(ls, "list a directory (or show a file): type, size, name\nls [path]", cmd_ls);

/* ---- cat and hexdump ---- */

static struct pica_file shell_file;
static uint8_t chunk[128];

static int
cmd_cat(int argc, char **argv)
{
    if (argc != 2) {
        return PICA_SHELL_USAGE;
    }
    int err = pica_fs_open(&shell_file, argv[1], PICA_O_RDONLY);
    if (err != 0) {
        return fail("cat", argv[1], err);
    }
    int32_t n;
    while ((n = pica_fs_read(&shell_file, chunk, sizeof(chunk))) > 0) {
        fwrite(chunk, 1, (size_t)n, stdout);
    }
    (void)pica_fs_close(&shell_file);
    return n < 0 ? fail("cat", argv[1], n) : 0;
}
PICA_SHELL_CMD(cat, "print a file\ncat <file>", cmd_cat);

static bool
parse_u32(const char *s, uint32_t *out)
{
    char *end;
    unsigned long v = strtoul(s, &end, 0);
    if (*s == '\0' || *s == '-' || *end != '\0' || v > UINT32_MAX) {
        return false;
    }
    *out = (uint32_t)v;
    return true;
}

static void
hex_row(uint32_t at, const uint8_t *b, uint32_t n)
{
    printf("%08lx ", (unsigned long)at);
    for (uint32_t i = 0; i < 16; i++) {
        if (i < n) {
            printf(" %02x", b[i]);
        } else {
            printf("   ");
        }
    }
    printf("  |");
    for (uint32_t i = 0; i < n; i++) {
        putchar(b[i] >= 0x20 && b[i] <= 0x7e ? b[i] : '.');
    }
    printf("|\n");
}

static int
cmd_hexdump(int argc, char **argv)
{
    uint32_t off = 0, len = UINT32_MAX;
    if (argc < 2 || argc > 4 || (argc >= 3 && !parse_u32(argv[2], &off)) ||
        (argc == 4 && !parse_u32(argv[3], &len))) {
        return PICA_SHELL_USAGE;
    }
    int err = pica_fs_open(&shell_file, argv[1], PICA_O_RDONLY);
    if (err != 0) {
        return fail("hexdump", argv[1], err);
    }
    int32_t n = off > INT32_MAX ? -EINVAL : pica_fs_lseek(&shell_file, (int32_t)off, PICAFS_SEEK_SET);
    uint32_t at = off;
    while (n >= 0 && len > 0) {
        n = pica_fs_read(&shell_file, chunk, len < 16 ? len : 16);
        if (n <= 0) {
            break;
        }
        hex_row(at, chunk, (uint32_t)n);
        at += (uint32_t)n;
        len -= (uint32_t)n;
    }
    (void)pica_fs_close(&shell_file);
    return n < 0 ? fail("hexdump", argv[1], n) : 0;
}
PICA_SHELL_CMD(hexdump, "show a file's bytes in hex and ASCII\nhexdump <file> [offset [length]]",
               cmd_hexdump);

/* ---- write ---- */

static int
cmd_write(int argc, char **argv)
{
    bool append = argc >= 2 && strcmp(argv[1], "-a") == 0;
    int first = append ? 2 : 1;
    if (argc < first + 1) {
        return PICA_SHELL_USAGE;
    }
    const char *path = argv[first];
    unsigned flags = PICA_O_WRONLY | PICA_O_CREAT | (append ? PICA_O_APPEND : PICA_O_TRUNC);
    int err = pica_fs_open(&shell_file, path, flags);
    if (err != 0) {
        return fail("write", path, err);
    }
    /* The words after the name, one space apart, and a newline. */
    int32_t n = 0;
    for (int i = first + 1; i < argc && n >= 0; i++) {
        size_t len = strlen(argv[i]);
        n = pica_fs_write(&shell_file, argv[i], (uint32_t)len);
        if (n >= 0 && i + 1 < argc) {
            n = pica_fs_write(&shell_file, " ", 1);
        }
    }
    if (n >= 0 && argc > first + 1) {
        n = pica_fs_write(&shell_file, "\n", 1);
    }
    err = pica_fs_close(&shell_file);
    if (n < 0) {
        return fail("write", path, n);
    }
    return err != 0 ? fail("write", path, err) : 0;
}
PICA_SHELL_CMD(write,
               "write words to a file, replacing it (-a: appending), with a newline\n"
               "write [-a] <file> [word...]",
               cmd_write);

/* ---- names ---- */

static int
cmd_rm(int argc, char **argv)
{
    if (argc != 2) {
        return PICA_SHELL_USAGE;
    }
    int err = pica_fs_unlink(argv[1]);
    if (err == -EISDIR) {
        err = pica_fs_rmdir(argv[1]);
    }
    return err != 0 ? fail("rm", argv[1], err) : 0;
}
PICA_SHELL_CMD(rm, "remove a file or an empty directory\nrm <path>", cmd_rm);

static int
cmd_mkdir(int argc, char **argv)
{
    if (argc != 2) {
        return PICA_SHELL_USAGE;
    }
    int err = pica_fs_mkdir(argv[1]);
    return err != 0 ? fail("mkdir", argv[1], err) : 0;
}
PICA_SHELL_CMD(mkdir, "make a directory\nmkdir <path>", cmd_mkdir);

static int
cmd_mv(int argc, char **argv)
{
    if (argc != 3) {
        return PICA_SHELL_USAGE;
    }
    int err = pica_fs_rename(argv[1], argv[2]);
    return err != 0 ? fail("mv", argv[1], err) : 0;
}
PICA_SHELL_CMD(mv, "rename a file or directory, replacing a file there (atomic)\nmv <old> <new>",
               cmd_mv);

/* ---- df and fsck ---- */

static int
cmd_df(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    struct pica_fs_mount_info in;
    printf("%-10s %-8s %6s %7s %7s %5s %11s\n", "mount", "device", "block", "blocks", "free",
           "bad", "files");
    unsigned i;
    for (i = 0; pica_fs_mount_info_at(i, &in) == 0; i++) {
        printf("%-10s %-8s %6lu %7lu %7lu %5lu %5lu/%-5lu\n", in.where, in.device,
               (unsigned long)in.st.block_size, (unsigned long)in.st.block_count,
               (unsigned long)in.st.blocks_free, (unsigned long)in.st.blocks_bad,
               (unsigned long)(in.st.files - in.st.files_free), (unsigned long)in.st.files);
    }
    if (i == 0) {
        printf("df: nothing is mounted\n");
    }
    return 0;
}
PICA_SHELL_CMD(df, "mounted file systems: device, block size, blocks, free, bad, files used/possible\ndf",
               cmd_df);

static unsigned fsck_problems;

static void
fsck_report(void *arg, const char *what)
{
    (void)arg;
    fsck_problems++;
    printf("fsck: %s\n", what);
}

static int
cmd_fsck(int argc, char **argv)
{
    if (argc > 2) {
        return PICA_SHELL_USAGE;
    }
    const char *where = argc == 2 ? argv[1] : "/";
    struct picafs_statvfs st;
    int err = pica_fs_statvfs(where, &st);
    if (err != 0) {
        return fail("fsck", where, err);
    }
    size_t size = PICA_FS_CHECK_WORK(st.block_size);
    void *work = pica_malloc(size);
    if (work == NULL) {
        return fail("fsck", where, -ENOMEM);
    }
    fsck_problems = 0;
    err = pica_fs_check(where, work, size, fsck_report, NULL);
    pica_free(work);
    if (err == -ENOENT) {
        printf("fsck: %s: not a mount point (df lists them)\n", where);
        return err;
    }
    if (err != 0) {
        printf("fsck: %s: %u problem%s (%s)\n", where, fsck_problems, fsck_problems == 1 ? "" : "s",
               pica_strerror(err));
        return err;
    }
    printf("fsck: %s: clean\n", where);
    return 0;
}
PICA_SHELL_CMD(fsck, "check a mounted file system (its mount point)\nfsck [mount]", cmd_fsck);

/* ---- completion ---- */

/* Two buffers: the shell keeps the first candidate while it asks for the
 * others (shell/line.h). */
static char candidates[2][PICA_FS_PATH_MAX + 2];

const char *
shell_complete_path(const char *prefix, size_t prefix_len, unsigned idx)
{
    if (prefix_len == 0 || prefix[0] != '/' || prefix_len > PICA_FS_PATH_MAX) {
        return NULL;
    }
    size_t dir_len = prefix_len;
    while (prefix[dir_len - 1] != '/') {
        dir_len--;
    }
    char *out = candidates[idx == 0 ? 0 : 1];
    memcpy(out, prefix, dir_len);
    out[dir_len] = '\0';
    static struct pica_dir d;
    if (pica_fs_opendir(&d, out) != 0) {
        return NULL;
    }
    const char *name = prefix + dir_len;
    size_t name_len = prefix_len - dir_len;
    struct picafs_dirent e;
    unsigned seen = 0;
    const char *found = NULL;
    while (found == NULL && pica_fs_readdir(&d, &e) == 1) {
        size_t n = strlen(e.name);
        if (strncmp(e.name, name, name_len) != 0 || dir_len + n + 2 > sizeof(candidates[0]) ||
            seen++ != idx) {
            continue;
        }
        memcpy(out + dir_len, e.name, n);
        out[dir_len + n] = e.type == PICAFS_TYPE_DIR ? '/' : '\0';
        out[dir_len + n + 1] = '\0';
        found = out;
    }
    (void)pica_fs_closedir(&d);
    return found;
}
