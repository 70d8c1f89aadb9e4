/* SPDX-License-Identifier: MIT */
/* pica-fs: work a picafs image on the host with the file system's own code
 * (fs/), over the image loaded into a RAM block device (pica-fs-image.c).
 * This file holds the command line, the session (load, mount, unmount,
 * save) and the error reports; the commands are in pica-fs-cmd.c. The
 * script tools/pica-fs builds both and runs the program; usage() and
 * docs/fs-tool.md describe it. */
#include "pica-fs.h"

#include <stdlib.h>
#include <string.h>

static void
usage(FILE *f)
{
    fprintf(f,
        "usage: pica-fs [--power-cut N] IMAGE COMMAND [ARGS]\n"
        "  mkfs [--blocks N] [--block-size B] [--erase-size E] [--prog-size P]\n"
        "       [--read-size R] [--nor | --sector] [--inodes I]\n"
        "                     an empty file system in IMAGE (and its geometry in IMAGE.geo);\n"
        "                     default: 256 blocks of 4096 bytes on NOR flash (4 KiB erase,\n"
        "                     256-byte program and read units, 0xFF erased)\n"
        "  ls [PATH]          name, type and size of each entry (default: /)\n"
        "  cat PATH           a file to stdout\n"
        "  put LOCAL PATH     a local file (- : stdin) in as PATH, all or nothing\n"
        "  append LOCAL PATH  a local file appended to PATH, all or nothing\n"
        "  get PATH LOCAL     a file out to LOCAL (- : stdout)\n"
        "  rm PATH            remove a file or an empty directory\n"
        "  mkdir PATH         make a directory\n"
        "  mv OLD NEW         rename (atomic, also over an existing file)\n"
        "  fsck               check IMAGE; each problem on a line\n"
        "  df                 blocks, free, bad, block size, inodes\n"
        "  dump               the on-disk structures, one a line\n"
        "--power-cut N: the device stops after N more programs and erases; IMAGE then\n"
        "  holds what the device held.\n"
        "Exit status: 0 ok, 1 the operation failed, 2 usage, 3 device error or power cut,\n"
        "4 corrupt image (fsck found problems), 5 the program could not be built.\n");
}

int
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "pica-fs: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\n");
    usage(stderr);
    return EXIT_USAGE;
}

/* A number, optionally followed by k or K (KiB) or M (MiB). */
int
parse_u32(const char *s, uint32_t *v)
{
    char *end;
    errno = 0;
    unsigned long long n = strtoull(s, &end, 0);
    unsigned long long unit = *end == 'k' || *end == 'K' ? 1024 : *end == 'M' ? 1024 * 1024 : 1;
    end += unit != 1;
    if (errno != 0 || end == s || *end != '\0' || s[0] == '-' || n > UINT32_MAX / unit) {
        return -EINVAL;
    }
    *v = (uint32_t)(n * unit);
    return 0;
}

static const char *
err_text(int err)
{
    return err == -EUCLEAN ? "corrupt file system (structure needs cleaning)" : strerror(-err);
}

int
fail(struct session *s, const char *what, int err)
{
    if (s->img.cut) {
        fprintf(stderr, "pica-fs: %s: %s: %s (power cut after %u programs and erases)\n",
                s->cmd, what, err_text(err), s->img.changes);
        return EXIT_DEVICE;
    }
    fprintf(stderr, "pica-fs: %s: %s: %s\n", s->cmd, what, err_text(err));
    switch (-err) {
    case EIO:
    case ETIMEDOUT:
    case ENODEV:
    case EROFS:
        return EXIT_DEVICE;
    case EUCLEAN:
        return EXIT_CORRUPT;
    default:
        return EXIT_OP;
    }
}

int
fail_local(struct session *s, const char *local)
{
    fprintf(stderr, "pica-fs: %s: %s: %s\n", s->cmd, local, strerror(errno));
    return EXIT_OP;
}

int
fail_image(struct session *s, int err)
{
    fprintf(stderr, "pica-fs: %s: %s\n", s->cmd, s->img.why);
    return err == -EIO ? EXIT_DEVICE : EXIT_OP;
}

/* Problems picafs finds (at mount, in fsck): fsck prints them as its
 * output, other commands as messages. After a power cut picafs takes the
 * dead device for failing blocks; fail() tells of the cut instead. */
static void
report(void *arg, const char *what)
{
    struct session *s = arg;
    if (s->img.cut) {
        return;
    }
    if (s->report_out == stdout) {
        printf("%s\n", what);
    } else {
        fprintf(stderr, "pica-fs: %s: %s: %s\n", s->cmd, s->image, what);
    }
}

void
session_arm(struct session *s)
{
    if (s->cut_after != RAM_BLK_NO_CUT) {
        image_cut_after(&s->img, s->cut_after);
    }
}

/* The cache: the most blocks picafs uses, of the largest block size it
 * allows (64 erase blocks), as the block size is known only once mounted. */
static int
session_cache(struct session *s)
{
    s->cfg = (struct picafs_config){.report = report, .report_arg = s};
    s->cfg.cache_size = PICAFS_CACHE_SIZE(64u * s->img.dev.geo.erase_size,
                                          PICAFS_CACHE_MAX_BLOCKS);
    s->cfg.cache = malloc(s->cfg.cache_size);
    if (s->cfg.cache == NULL) {
        return fail(s, s->image, -ENOMEM);
    }
    return 0;
}

static int
run_mounted(struct session *s, const struct command *c, int argc, char **argv)
{
    int err = picafs_mount(&s->fs, &s->img.dev, &s->cfg);
    if (err) {
        return fail(s, s->image, err);
    }
    int rc = c->run(s, argc, argv);
    err = picafs_unmount(&s->fs);
    if (err && rc == 0) {
        rc = fail(s, s->image, err);
    }
    return rc;
}

/* Load, run, save what changed (also after a power cut; a new image only
 * if something was written or mkfs succeeded), free. */
static int
session_run(struct session *s, const struct command *c, int argc, char **argv)
{
    int rc = 0;
    if (c->kind != CMD_MAKES) {
        int err = image_load(&s->img, s->image);
        rc = err ? fail_image(s, err) : session_cache(s);
        if (rc == 0) {
            session_arm(s);
        }
    }
    if (rc == 0) {
        rc = c->kind == CMD_MOUNTED ? run_mounted(s, c, argc, argv) : c->run(s, argc, argv);
    }
    if (s->img.mem != NULL && (s->img.changes > 0 || (s->img.is_new && rc == 0))) {
        int err = image_save(&s->img);
        if (err) {
            fprintf(stderr, "pica-fs: %s: %s\n", s->cmd, s->img.why);
            rc = rc != 0 ? rc : EXIT_OP;
        }
    }
    image_free(&s->img);
    free(s->cfg.cache);
    return rc;
}

/* Options before IMAGE. Returns the index of IMAGE, or -1 after a usage
 * error (*rc set). */
static int
parse_globals(int argc, char **argv, struct session *s, int *rc)
{
    int i = 1;
    for (; i < argc && argv[i][0] == '-' && argv[i][1] == '-'; i++) {
        if (!strcmp(argv[i], "--help")) {
            usage(stdout);
            *rc = 0;
            return -1;
        }
        if (strcmp(argv[i], "--power-cut") != 0) {
            *rc = usage_error("unknown option '%s'", argv[i]);
            return -1;
        }
        if (i + 1 >= argc || parse_u32(argv[i + 1], &s->cut_after) != 0 ||
            s->cut_after == RAM_BLK_NO_CUT) {
            *rc = usage_error("--power-cut needs a number of programs and erases, not '%s'",
                              i + 1 < argc ? argv[i + 1] : "");
            return -1;
        }
        i++;
    }
    if (argc - i < 2) {
        *rc = usage_error("%s", argc - i < 1 ? "no IMAGE given" : "no COMMAND given");
        return -1;
    }
    return i;
}

int
main(int argc, char **argv)
{
    static struct session s;
    s.cut_after = RAM_BLK_NO_CUT;
    s.report_out = stderr;
    int rc = 0;
    int i = parse_globals(argc, argv, &s, &rc);
    if (i < 0) {
        return rc;
    }
    s.image = argv[i];
    s.cmd = argv[i + 1];
    const struct command *c = command_find(s.cmd);
    int nargs = argc - i - 2;
    char **args = argv + i + 2;
    if (c == NULL) {
        return usage_error("unknown command '%s'", s.cmd);
    }
    if (c->kind != CMD_MAKES && (nargs < c->min || nargs > c->max)) {
        return usage_error("%s: wrong number of arguments", s.cmd);
    }
    return session_run(&s, c, nargs, args);
}
