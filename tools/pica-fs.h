/* SPDX-License-Identifier: MIT */
/* pica-fs: what the command line (pica-fs.c) and the commands
 * (pica-fs-cmd.c) share: the session and the error reports. */
#pragma once

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "pica-fs-image.h"
#include <pica/picafs.h>

/* Exit status (docs/fs-tool.md). 5 is the script's: no program built. */
enum { EXIT_OP = 1, EXIT_USAGE = 2, EXIT_DEVICE = 3, EXIT_CORRUPT = 4 };

#define CHUNK 16384u /* bytes moved per read and write: files stream */

struct session {
    const char *cmd, *image;
    uint32_t cut_after;  /* --power-cut, or RAM_BLK_NO_CUT */
    FILE *report_out;    /* where picafs's problem lines go */
    struct fs_image img;
    struct picafs fs;
    struct picafs_config cfg;
    uint8_t buf[CHUNK];
};

enum command_kind {
    CMD_MOUNTED, /* runs on the mounted file system */
    CMD_RAW,     /* on the loaded, unmounted image (fsck, dump) */
    CMD_MAKES,   /* makes the image itself (mkfs; parses its options) */
};

struct command {
    const char *name;
    enum command_kind kind;
    int min, max; /* positional arguments */
    int (*run)(struct session *s, int argc, char **argv);
};

/* pica-fs-cmd.c: the command named @name, or NULL. */
const struct command *command_find(const char *name);

/* pica-fs-mkfs.c */
int cmd_mkfs(struct session *s, int argc, char **argv);

/* pica-fs.c */
int usage_error(const char *fmt, const char *arg);          /* EXIT_USAGE */
int parse_u32(const char *s, uint32_t *v);                  /* 0, -EINVAL */
int fail(struct session *s, const char *what, int err);     /* a picafs error */
int fail_local(struct session *s, const char *local);       /* errno on a host file */
int fail_image(struct session *s, int err);                 /* img.why */
void session_arm(struct session *s);                        /* the power cut, if asked */
