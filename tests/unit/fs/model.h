/* SPDX-License-Identifier: MIT */
/* A model of a small file tree for the picafs power-loss and fuzz-style
 * tests: the state a workload should leave, and a check of a mounted file
 * system against it. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/picafs.h>

#define MODEL_ENTRIES 10
#define MODEL_FILE_MAX (64 * 1024)

struct model_entry {
    char path[48];
    bool dir;
    uint32_t size;
    uint8_t data[MODEL_FILE_MAX];
};

struct model {
    uint32_t n;
    struct model_entry e[MODEL_ENTRIES];
};

struct model_entry *model_find(struct model *m, const char *path);
void model_mkdir(struct model *m, const char *path);
void model_create(struct model *m, const char *path);
void model_remove(struct model *m, const char *path);
void model_rename(struct model *m, const char *from, const char *to);
void model_write(struct model *m, const char *path, uint32_t off, const uint8_t *d, uint32_t n);
void model_truncate(struct model *m, const char *path, uint32_t size);

/* A write that may have landed in part: @path got the first k of @n bytes
 * of @d at @off for some k. */
struct model_partial {
    const char *path;
    uint32_t off, n;
    const uint8_t *d;
};

/* Does the tree in @fs equal @m (with the file @p, if not NULL, matching
 * @m's version plus any prefix of the write @p)? */
bool model_matches(struct picafs *fs, const struct model *m, const struct model_partial *p);
