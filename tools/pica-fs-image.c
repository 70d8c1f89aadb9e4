/* SPDX-License-Identifier: MIT */
/* pica-fs: an image file loaded into a RAM block device and saved back,
 * with its geometry in the sidecar IMAGE.geo (pica-fs-image.h). */
#include "pica-fs-image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sidecar's keys, in the order written. */
enum { GEO_BLOCKS, GEO_ERASE, GEO_PROG, GEO_READ, GEO_NOR, GEO_ERASED, GEO_KEYS };
static const char *const geo_keys[GEO_KEYS] = {
    "blocks", "erase-size", "prog-size", "read-size", "erase-before-prog", "erased-value",
};

static struct fs_image *
to_image(struct pica_blk *dev)
{
    return (struct fs_image *)dev;
}

static void
mark(struct fs_image *im, uint32_t block, uint64_t bytes)
{
    uint32_t es = im->dev.geo.erase_size;
    for (uint64_t end = (uint64_t)block * es + bytes, b = block; b * es < end; b++) {
        im->dirty[b] = 1;
    }
}

/* A program or erase: counted and marked when done, noted when the power
 * cut refused it (ram_blk then changes nothing). */
static int
note(struct fs_image *im, int err, uint32_t block, uint64_t bytes)
{
    if (err == 0) {
        im->changes++;
        mark(im, block, bytes);
    } else if (err == -EIO && im->rb.cut_after == 0) {
        im->cut = true;
    }
    return err;
}

static int
image_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    struct fs_image *im = to_image(dev);
    return im->rb.blk.ops->read(&im->rb.blk, block, offset, buf, size);
}

static int
image_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf,
           size_t size)
{
    struct fs_image *im = to_image(dev);
    int err = im->rb.blk.ops->prog(&im->rb.blk, block, offset, buf, size);
    return note(im, err, block, (uint64_t)offset + size);
}

static int
image_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    struct fs_image *im = to_image(dev);
    int err = im->rb.blk.ops->erase(&im->rb.blk, block, count);
    return note(im, err, block, (uint64_t)count * dev->geo.erase_size);
}

static const struct pica_blk_ops image_ops = {
    .read = image_read,
    .prog = image_prog,
    .erase = image_erase,
    .sync = NULL, /* the file is written once, at the end */
};

void
image_default_geometry(struct pica_blk_geometry *g, uint32_t block_count)
{
    *g = (struct pica_blk_geometry){
        .read_size = 256, .prog_size = 256, .erase_size = 4096, .block_count = block_count,
        .flags = PICA_BLK_ERASE_BEFORE_PROG, .erased_value = 0xFF,
    };
}

/* The RAM device over fresh memory (erased if NOR-like, else zeros). */
static int
image_setup(struct fs_image *im, const char *path, const struct pica_blk_geometry *g)
{
    *im = (struct fs_image){.path = path};
    uint64_t bytes = (uint64_t)g->block_count * g->erase_size;
    if (g->block_count == 0 || bytes > (uint64_t)1 << 32) {
        snprintf(im->why, sizeof(im->why), "a device of %u blocks of %u bytes is out of range",
                 g->block_count, g->erase_size);
        return -EINVAL;
    }
    im->mem = calloc(1, (size_t)bytes);
    im->dirty = calloc(g->block_count, 1);
    if (im->mem == NULL || im->dirty == NULL) {
        snprintf(im->why, sizeof(im->why), "%s", strerror(ENOMEM));
        return -ENOMEM;
    }
    int err = ram_blk_init(&im->rb, "image", im->mem, g);
    if (err) {
        snprintf(im->why, sizeof(im->why), "bad device geometry (erase %u, prog %u, read %u)",
                 g->erase_size, g->prog_size, g->read_size);
        return err;
    }
    im->dev = (struct pica_blk){.name = "image", .ops = &image_ops, .geo = *g};
    return pica_blk_init(&im->dev);
}

int
image_create(struct fs_image *im, const char *path, const struct pica_blk_geometry *g)
{
    int err = image_setup(im, path, g);
    im->is_new = err == 0;
    return err;
}

static int
host_error(struct fs_image *im, const char *file)
{
    int err = errno;
    snprintf(im->why, sizeof(im->why), "%s: %s", file, strerror(err));
    return -err;
}

/* "key value" lines; '#' starts a comment. Every key must be given. */
static int
geo_parse(struct fs_image *im, FILE *f, const char *name, struct pica_blk_geometry *g)
{
    long v[GEO_KEYS];
    unsigned seen = 0, lineno = 0;
    char line[160], key[40], val[40];
    while (fgets(line, sizeof(line), f) != NULL) {
        lineno++;
        char *hash = strchr(line, '#');
        if (hash != NULL) {
            *hash = '\0';
        }
        int n = sscanf(line, "%39s %39s", key, val);
        if (n <= 0) {
            continue;
        }
        int k = 0;
        while (k < GEO_KEYS && strcmp(key, geo_keys[k]) != 0) {
            k++;
        }
        char *end = NULL;
        if (n == 2 && k < GEO_KEYS) {
            v[k] = strcmp(val, "none") == 0 ? -1 : strtol(val, &end, 0);
        }
        if (n != 2 || k == GEO_KEYS || (strcmp(val, "none") != 0 && *end != '\0')) {
            snprintf(im->why, sizeof(im->why), "%s: line %u: expected one of the keys "
                     "blocks, erase-size, prog-size, read-size, erase-before-prog, "
                     "erased-value and a number", name, lineno);
            return -EINVAL;
        }
        seen |= 1u << k;
    }
    if (seen != (1u << GEO_KEYS) - 1) {
        snprintf(im->why, sizeof(im->why), "%s: a key is missing", name);
        return -EINVAL;
    }
    *g = (struct pica_blk_geometry){
        .block_count = (uint32_t)v[GEO_BLOCKS], .erase_size = (uint32_t)v[GEO_ERASE],
        .prog_size = (uint32_t)v[GEO_PROG], .read_size = (uint32_t)v[GEO_READ],
        .flags = v[GEO_NOR] ? PICA_BLK_ERASE_BEFORE_PROG : 0u, .erased_value = (int)v[GEO_ERASED],
    };
    return 0;
}

/* The geometry of @path: from @path.geo, or the default one when there is
 * none (as many 4 KiB blocks as the file holds). */
static int
geo_load(struct fs_image *im, const char *path, uint64_t size, struct pica_blk_geometry *g)
{
    char name[4096];
    snprintf(name, sizeof(name), "%s.geo", path);
    FILE *f = fopen(name, "r");
    if (f == NULL && errno == ENOENT) {
        image_default_geometry(g, (uint32_t)(size / 4096));
        return 0;
    }
    if (f == NULL) {
        return host_error(im, name);
    }
    int err = geo_parse(im, f, name, g);
    fclose(f);
    return err;
}

int
image_load(struct fs_image *im, const char *path)
{
    *im = (struct fs_image){.path = path};
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return host_error(im, path);
    }
    struct pica_blk_geometry g;
    int err = fseek(f, 0, SEEK_END) != 0 ? host_error(im, path) : 0;
    long size = ftell(f);
    if (!err) {
        err = size < 0 ? host_error(im, path) : geo_load(im, path, (uint64_t)size, &g);
    }
    if (!err && (uint64_t)size != (uint64_t)g.block_count * g.erase_size) {
        snprintf(im->why, sizeof(im->why), "%s: %ld bytes, not the %u blocks of %u bytes its "
                 "geometry gives (is %s.geo right?)", path, size, g.block_count, g.erase_size,
                 path);
        err = -EINVAL;
    }
    if (!err) {
        err = image_setup(im, path, &g);
    }
    rewind(f);
    if (!err && fread(im->mem, 1, (size_t)size, f) != (size_t)size) {
        err = host_error(im, path);
    }
    fclose(f);
    return err;
}

void
image_cut_after(struct fs_image *im, uint32_t n)
{
    ram_blk_cut_after(&im->rb, n);
}

static int
geo_save(struct fs_image *im)
{
    char name[4096];
    snprintf(name, sizeof(name), "%s.geo", im->path);
    FILE *f = fopen(name, "w");
    if (f == NULL) {
        return host_error(im, name);
    }
    const struct pica_blk_geometry *g = &im->dev.geo;
    long v[GEO_KEYS] = {(long)g->block_count, (long)g->erase_size, (long)g->prog_size,
                        (long)g->read_size, (g->flags & PICA_BLK_ERASE_BEFORE_PROG) != 0,
                        g->erased_value};
    fprintf(f, "# pica-fs: the device geometry of %s (docs/fs-tool.md)\n", im->path);
    for (int k = 0; k < GEO_KEYS; k++) {
        if (v[k] < 0) {
            fprintf(f, "%s none\n", geo_keys[k]);
        } else {
            fprintf(f, k == GEO_ERASED ? "%s 0x%02lx\n" : "%s %ld\n", geo_keys[k], v[k]);
        }
    }
    return fclose(f) != 0 ? host_error(im, name) : 0;
}

/* Runs of changed erase blocks go back to their place in the file. */
static int
save_blocks(struct fs_image *im, FILE *f)
{
    uint32_t es = im->dev.geo.erase_size, n = im->dev.geo.block_count;
    for (uint32_t b = 0; b < n;) {
        uint32_t end = b;
        while (end < n && (im->is_new || im->dirty[end])) {
            end++;
        }
        if (end > b && (fseek(f, (long)b * (long)es, SEEK_SET) != 0 ||
                        fwrite(im->mem + (size_t)b * es, es, end - b, f) != end - b)) {
            return host_error(im, im->path);
        }
        b = end > b ? end : b + 1;
    }
    return 0;
}

int
image_save(struct fs_image *im)
{
    FILE *f = fopen(im->path, im->is_new ? "wb" : "r+b");
    if (f == NULL) {
        return host_error(im, im->path);
    }
    int err = save_blocks(im, f);
    if (fclose(f) != 0 && !err) {
        err = host_error(im, im->path);
    }
    if (!err && im->is_new) {
        err = geo_save(im);
    }
    if (!err) {
        memset(im->dirty, 0, im->dev.geo.block_count);
    }
    return err;
}

void
image_free(struct fs_image *im)
{
    free(im->mem);
    free(im->dirty);
    im->mem = NULL;
    im->dirty = NULL;
}
