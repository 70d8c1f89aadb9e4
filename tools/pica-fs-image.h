/* SPDX-License-Identifier: MIT */
/* pica-fs: an image file as a block device. The file holds exactly the
 * device's bytes; its geometry lives beside it in IMAGE.geo (a few
 * "key value" lines, docs/fs-tool.md). The device is a ram_blk
 * (drivers/blk/ram_blk.c) holding the whole image, behind a thin device of
 * our own that notes which erase blocks changed and whether the power cut
 * refused a program or erase; image_save() writes the changed blocks back.
 * Used by tools/pica-fs.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/blk.h>

#include "ram_blk.h"

struct fs_image {
    struct pica_blk dev; /* first: what picafs is given; forwards to rb */
    struct ram_blk rb;
    const char *path;
    uint8_t *mem;       /* the device's bytes */
    uint8_t *dirty;     /* one flag per erase block: changed since loaded */
    bool is_new;        /* made by image_create(): save writes all and the .geo */
    bool cut;           /* the power cut refused a program or erase */
    uint32_t changes;   /* programs and erases that succeeded */
    char why[4400];     /* what went wrong, for the caller's message */
};

/* The default device: NOR-like flash, 4 KiB erase blocks, 256-byte
 * program and read units, 0xFF erased (with @block_count blocks). */
void image_default_geometry(struct pica_blk_geometry *g, uint32_t block_count);

/* A new, erased device of geometry @g for @path (not written until
 * image_save()). Returns: 0, -EINVAL (geometry), -ENOMEM; why says more. */
int image_create(struct fs_image *im, const char *path, const struct pica_blk_geometry *g);

/* Load @path with the geometry in @path.geo (the default geometry when
 * there is none). Returns: 0 or a negative errno; why says more. */
int image_load(struct fs_image *im, const char *path);

/* Let @n more programs and erases succeed; every one after fails. */
void image_cut_after(struct fs_image *im, uint32_t n);

/* Write what changed back to the file (a new image: all of it and its
 * .geo). Returns: 0 or a negative errno; why says more. */
int image_save(struct fs_image *im);

void image_free(struct fs_image *im);
