/* SPDX-License-Identifier: MIT */
/* pica-fs: the commands, each a call or a few on picafs (include/pica/picafs.h).
 * Files stream through the session's CHUNK-byte buffer. put and append
 * build the new file under a temporary name in the same directory and
 * rename it over PATH, so a cut leaves PATH old or new, never a mix. */
#include "pica-fs.h"

#include <stdlib.h>
#include <string.h>

#define TMP_NAME ".pica-fs-tmp"

struct entry {
    char name[PICAFS_NAME_MAX + 1];
    uint32_t type, size;
};

static void
print_entry(const struct entry *e)
{
    printf("%-32s %-4s %10u\n", e->name, e->type == PICAFS_TYPE_DIR ? "dir" : "file", e->size);
}

static int
by_name(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->name, ((const struct entry *)b)->name);
}

/* One more entry in *@list (of *@n, room for *@cap). */
static int
list_add(struct entry **list, size_t *n, size_t *cap, const struct picafs_dirent *e)
{
    if (*n == *cap) {
        size_t more = *cap != 0 ? 2 * *cap : 64;
        struct entry *bigger = realloc(*list, more * sizeof(**list));
        if (bigger == NULL) {
            return -ENOMEM;
        }
        *list = bigger;
        *cap = more;
    }
    struct entry *to = &(*list)[(*n)++];
    *to = (struct entry){.type = e->type, .size = e->size};
    memcpy(to->name, e->name, sizeof(to->name));
    return 0;
}

/* Every entry of directory @path, sorted by name into *@list. */
static int
read_dir(struct session *s, const char *path, struct entry **list, size_t *n)
{
    struct picafs_dir d;
    struct picafs_dirent e;
    size_t cap = 0;
    int err = picafs_opendir(&s->fs, &d, path);
    if (err) {
        return err;
    }
    while ((err = picafs_readdir(&s->fs, &d, &e)) == 1) {
        err = list_add(list, n, &cap, &e);
        if (err) {
            break;
        }
    }
    int cerr = picafs_closedir(&s->fs, &d);
    if (*n > 1) {
        qsort(*list, *n, sizeof(**list), by_name);
    }
    return err ? err : cerr;
}

static int
cmd_ls(struct session *s, int argc, char **argv)
{
    const char *path = argc > 0 ? argv[0] : "/";
    struct picafs_stat st;
    int err = picafs_stat(&s->fs, path, &st);
    if (!err && st.type != PICAFS_TYPE_DIR) {
        const char *slash = strrchr(path, '/');
        struct entry e = {.type = st.type, .size = st.size};
        snprintf(e.name, sizeof(e.name), "%s", slash != NULL ? slash + 1 : path);
        print_entry(&e);
        return 0;
    }
    struct entry *list = NULL;
    size_t n = 0;
    if (!err) {
        err = read_dir(s, path, &list, &n);
    }
    for (size_t k = 0; !err && k < n; k++) {
        print_entry(&list[k]);
    }
    free(list);
    return err ? fail(s, path, err) : 0;
}

/* Write all @n bytes (picafs_write may take fewer when the device fills). */
static int
write_all(struct session *s, struct picafs_file *f, const uint8_t *p, size_t n)
{
    while (n > 0) {
        int32_t w = picafs_write(&s->fs, f, p, (uint32_t)n);
        if (w <= 0) {
            return w < 0 ? w : -ENOSPC;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* File @path to @out (named @local in messages). */
static int
copy_out(struct session *s, const char *path, FILE *out, const char *local)
{
    struct picafs_file f;
    int err = picafs_open(&s->fs, &f, path, PICAFS_O_RDONLY);
    if (err) {
        return fail(s, path, err);
    }
    int32_t n;
    while ((n = picafs_read(&s->fs, &f, s->buf, CHUNK)) > 0) {
        if (fwrite(s->buf, 1, (size_t)n, out) != (size_t)n) {
            picafs_close(&s->fs, &f);
            return fail_local(s, local);
        }
    }
    err = picafs_close(&s->fs, &f);
    return n < 0 || err ? fail(s, path, n < 0 ? n : err) : 0;
}

static int
cmd_cat(struct session *s, int argc, char **argv)
{
    (void)argc;
    int rc = copy_out(s, argv[0], stdout, "stdout");
    return fflush(stdout) != 0 && rc == 0 ? fail_local(s, "stdout") : rc;
}

static int
cmd_get(struct session *s, int argc, char **argv)
{
    (void)argc;
    bool to_stdout = strcmp(argv[1], "-") == 0;
    FILE *out = to_stdout ? stdout : fopen(argv[1], "wb");
    if (out == NULL) {
        return fail_local(s, argv[1]);
    }
    int rc = copy_out(s, argv[0], out, argv[1]);
    if ((to_stdout ? fflush(out) : fclose(out)) != 0 && rc == 0) {
        rc = fail_local(s, argv[1]);
    }
    if (rc != 0 && !to_stdout) {
        remove(argv[1]); /* no half copy left behind */
    }
    return rc;
}

/* The old content of @path (none if there is no such file) into @to. */
static int
copy_within(struct session *s, const char *path, struct picafs_file *to)
{
    struct picafs_file f;
    int err = picafs_open(&s->fs, &f, path, PICAFS_O_RDONLY);
    if (err) {
        return err == -ENOENT ? 0 : err;
    }
    int32_t n;
    while (!err && (n = picafs_read(&s->fs, &f, s->buf, CHUNK)) != 0) {
        err = n < 0 ? n : write_all(s, to, s->buf, (size_t)n);
    }
    int cerr = picafs_close(&s->fs, &f);
    return err ? err : cerr;
}

/* Local stream @in to @to; *@local_failed tells a host error from ours. */
static int
copy_in(struct session *s, FILE *in, struct picafs_file *to, bool *local_failed)
{
    size_t n;
    int err = 0;
    while (!err && (n = fread(s->buf, 1, CHUNK, in)) > 0) {
        err = write_all(s, to, s->buf, n);
    }
    *local_failed = !err && ferror(in);
    return err;
}

/* The new file as @tmp, then renamed over @path (put; append with the old
 * content first). A leftover @tmp of an earlier cut goes first. */
static int
store_via(struct session *s, FILE *in, const char *local, const char *path, const char *tmp,
          bool append)
{
    struct picafs_file f;
    bool local_failed = false;
    int err = picafs_unlink(&s->fs, tmp);
    err = err == -ENOENT ? 0 : err;
    if (!err) {
        err = picafs_open(&s->fs, &f, tmp, PICAFS_O_WRONLY | PICAFS_O_CREAT | PICAFS_O_EXCL);
    }
    if (err) {
        return fail(s, path, err);
    }
    err = append ? copy_within(s, path, &f) : 0;
    if (!err) {
        err = copy_in(s, in, &f, &local_failed);
    }
    int cerr = picafs_close(&s->fs, &f);
    err = err ? err : cerr;
    if (!err && !local_failed) {
        err = picafs_rename(&s->fs, tmp, path);
    }
    if ((err || local_failed) && !s->img.cut) {
        picafs_unlink(&s->fs, tmp);
    }
    return local_failed ? fail_local(s, local) : err ? fail(s, path, err) : 0;
}

static int
store(struct session *s, const char *local, const char *path, bool append)
{
    char tmp[PICAFS_PATH_MAX + 1];
    const char *slash = strrchr(path, '/');
    int dirlen = slash != NULL ? (int)(slash - path + 1) : 0;
    struct picafs_stat st;
    int err = picafs_stat(&s->fs, path, &st);
    if (!err && st.type == PICAFS_TYPE_DIR) {
        err = -EISDIR;
    }
    err = err == -ENOENT ? 0 : err;
    if (!err && (size_t)snprintf(tmp, sizeof(tmp), "%.*s%s", dirlen, path, TMP_NAME) >=
                    sizeof(tmp)) {
        err = -ENAMETOOLONG;
    }
    if (err) {
        return fail(s, path, err);
    }
    bool from_stdin = strcmp(local, "-") == 0;
    FILE *in = from_stdin ? stdin : fopen(local, "rb");
    if (in == NULL) {
        return fail_local(s, local);
    }
    int rc = store_via(s, in, local, path, tmp, append);
    if (!from_stdin) {
        fclose(in);
    }
    return rc;
}

static int
cmd_put(struct session *s, int argc, char **argv)
{
    (void)argc;
    return store(s, argv[0], argv[1], false);
}

static int
cmd_append(struct session *s, int argc, char **argv)
{
    (void)argc;
    return store(s, argv[0], argv[1], true);
}

static int
cmd_rm(struct session *s, int argc, char **argv)
{
    (void)argc;
    struct picafs_stat st;
    int err = picafs_stat(&s->fs, argv[0], &st);
    if (!err) {
        err = st.type == PICAFS_TYPE_DIR ? picafs_rmdir(&s->fs, argv[0])
                                         : picafs_unlink(&s->fs, argv[0]);
    }
    return err ? fail(s, argv[0], err) : 0;
}

static int
cmd_mkdir(struct session *s, int argc, char **argv)
{
    (void)argc;
    int err = picafs_mkdir(&s->fs, argv[0]);
    return err ? fail(s, argv[0], err) : 0;
}

static int
cmd_mv(struct session *s, int argc, char **argv)
{
    (void)argc;
    struct picafs_stat st;
    int err = picafs_rename(&s->fs, argv[0], argv[1]);
    /* Name the path at fault: NEW if OLD is there. */
    bool new_at_fault = err && !s->img.cut && picafs_stat(&s->fs, argv[0], &st) == 0;
    return err ? fail(s, argv[new_at_fault], err) : 0;
}

static int
cmd_df(struct session *s, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    struct picafs_statvfs st;
    int err = picafs_statvfs(&s->fs, &st);
    if (err) {
        return fail(s, s->image, err);
    }
    printf("blocks      %u\nfree        %u\nbad         %u\nblock-size  %u\n"
           "inodes      %u\ninodes-free %u\n", st.block_count, st.blocks_free, st.blocks_bad,
           st.block_size, st.files, st.files_free);
    return 0;
}

static int
cmd_fsck(struct session *s, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    s->report_out = stdout; /* the problems are the output */
    int err = picafs_fsck(&s->img.dev, &s->cfg);
    if (err) {
        return fail(s, s->image, err);
    }
    printf("%s: consistent\n", s->image);
    return 0;
}

static void
print_line(void *arg, const char *line)
{
    (void)arg;
    printf("%s\n", line);
}

static int
cmd_dump(struct session *s, int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int err = picafs_dump(&s->img.dev, &s->cfg, print_line, NULL);
    return err ? fail(s, s->image, err) : 0;
}

static const struct command commands[] = {
    {"mkfs", CMD_MAKES, 0, 0, cmd_mkfs},
    {"ls", CMD_MOUNTED, 0, 1, cmd_ls},
    {"cat", CMD_MOUNTED, 1, 1, cmd_cat},
    {"put", CMD_MOUNTED, 2, 2, cmd_put},
    {"append", CMD_MOUNTED, 2, 2, cmd_append},
    {"get", CMD_MOUNTED, 2, 2, cmd_get},
    {"rm", CMD_MOUNTED, 1, 1, cmd_rm},
    {"mkdir", CMD_MOUNTED, 1, 1, cmd_mkdir},
    {"mv", CMD_MOUNTED, 2, 2, cmd_mv},
    {"df", CMD_MOUNTED, 0, 0, cmd_df},
    {"fsck", CMD_RAW, 0, 0, cmd_fsck},
    {"dump", CMD_RAW, 0, 0, cmd_dump},
};

const struct command *
command_find(const char *name)
{
    for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++) {
        if (strcmp(commands[k].name, name) == 0) {
            return &commands[k];
        }
    }
    return NULL;
}
