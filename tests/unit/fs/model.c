/* SPDX-License-Identifier: MIT */
/* The file-tree model (model.h). */
#include "model.h"

#include <stdio.h>
#include <string.h>

static uint8_t got[MODEL_FILE_MAX + 1];

struct model_entry *
model_find(struct model *m, const char *path)
{
    for (uint32_t i = 0; i < m->n; i++) {
        if (strcmp(m->e[i].path, path) == 0) {
            return &m->e[i];
        }
    }
    return NULL;
}

static struct model_entry *
add(struct model *m, const char *path, bool dir)
{
    struct model_entry *e = &m->e[m->n++];
    snprintf(e->path, sizeof(e->path), "%s", path);
    e->dir = dir;
    e->size = 0;
    return e;
}

void
model_mkdir(struct model *m, const char *path)
{
    add(m, path, true);
}

void
model_create(struct model *m, const char *path)
{
    if (model_find(m, path) == NULL) {
        add(m, path, false);
    }
}

void
model_remove(struct model *m, const char *path)
{
    struct model_entry *e = model_find(m, path);
    if (e != NULL) {
        *e = m->e[--m->n];
    }
}

void
model_rename(struct model *m, const char *from, const char *to)
{
    model_remove(m, to);
    size_t n = strlen(from);
    for (uint32_t i = 0; i < m->n; i++) {
        char *p = m->e[i].path;
        if (strncmp(p, from, n) == 0 && (p[n] == '\0' || p[n] == '/')) {
            char tail[48];
            snprintf(tail, sizeof(tail), "%s", p + n);
            snprintf(p, sizeof(m->e[i].path), "%s%s", to, tail);
        }
    }
}

void
model_write(struct model *m, const char *path, uint32_t off, const uint8_t *d, uint32_t n)
{
    struct model_entry *e = model_find(m, path);
    if (off > e->size) {
        memset(e->data + e->size, 0, off - e->size);
    }
    memcpy(e->data + off, d, n);
    if (off + n > e->size) {
        e->size = off + n;
    }
}

void
model_truncate(struct model *m, const char *path, uint32_t size)
{
    struct model_entry *e = model_find(m, path);
    if (size > e->size) {
        memset(e->data + e->size, 0, size - e->size);
    }
    e->size = size;
}

/* @got (@size bytes) is @e's content with the first k bytes of @p applied. */
static bool
prefix_matches(const struct model_entry *e, uint32_t size, const struct model_partial *p)
{
    uint32_t k = 0;
    while (k < p->n && p->off + k < size && got[p->off + k] == p->d[k]) {
        k++;
    }
    uint32_t want = e->size;
    if (k > 0 && p->off + k > want) {
        want = p->off + k;
    }
    if (size != want) {
        return false;
    }
    for (uint32_t i = 0; i < size; i++) {
        uint8_t x = i >= p->off && i - p->off < k ? p->d[i - p->off] : i < e->size ? e->data[i] : 0;
        if (got[i] != x) {
            return false;
        }
    }
    return true;
}

static bool
file_matches(struct picafs *fs, const char *path, const struct model_entry *e,
             const struct model_partial *p)
{
    struct picafs_file f;
    if (picafs_open(fs, &f, path, PICAFS_O_RDONLY) != 0) {
        return false;
    }
    int32_t n = picafs_read(fs, &f, got, sizeof(got));
    picafs_close(fs, &f);
    if (n < 0) {
        return false;
    }
    if (p != NULL && strcmp(p->path, path) == 0) {
        return prefix_matches(e, (uint32_t)n, p);
    }
    return (uint32_t)n == e->size && memcmp(got, e->data, e->size) == 0;
}

bool
model_matches(struct picafs *fs, const struct model *m, const struct model_partial *p)
{
    char dirs[MODEL_ENTRIES + 1][48];
    uint32_t ndirs = 1, seen = 0;
    strcpy(dirs[0], "");
    for (uint32_t at = 0; at < ndirs; at++) {
        struct picafs_dir d;
        struct picafs_dirent de;
        if (picafs_opendir(fs, &d, at == 0 ? "/" : dirs[at]) != 0) {
            return false;
        }
        int r;
        while ((r = picafs_readdir(fs, &d, &de)) == 1) {
            char path[48];
            snprintf(path, sizeof(path), "%s/%s", dirs[at], de.name);
            struct model_entry *e = model_find((struct model *)m, path);
            seen++;
            if (e == NULL || e->dir != (de.type == PICAFS_TYPE_DIR) || seen > m->n) {
                picafs_closedir(fs, &d);
                return false;
            }
            if (e->dir) {
                strcpy(dirs[ndirs++], path);
            } else if (!file_matches(fs, path, e, p)) {
                picafs_closedir(fs, &d);
                return false;
            }
        }
        picafs_closedir(fs, &d);
        if (r != 0) {
            return false;
        }
    }
    return seen == m->n;
}
