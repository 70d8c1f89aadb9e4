/* SPDX-License-Identifier: MIT */
/* A test block device for picafs: a RAM block device (drivers/blk/ram_blk)
 * wrapped to count programs, erases and bytes programmed per block, to cut
 * the power with a torn last program (a prefix lands, the rest stays
 * erased on NOR or turns to garbage on a sector device), and to make
 * chosen blocks fail every program and erase (bad blocks). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "ram_blk.h"

#define TDEV_MAX_BLOCKS 256

struct tdev {
    struct pica_blk blk; /* first: a struct pica_blk * is a struct tdev * */
    struct ram_blk ram;
    uint32_t ops;               /* programs + erases that succeeded */
    uint64_t prog_bytes;        /* bytes programmed */
    uint32_t erases[TDEV_MAX_BLOCKS];
    uint32_t torn_after;        /* ops left before a torn cut (UINT32_MAX: none) */
    bool dead;                  /* after a torn cut: every program/erase fails */
    uint32_t rng;
    bool bad[TDEV_MAX_BLOCKS];  /* program/erase on it fail with -EIO */
};

/* NOR: 4096-byte blocks, 256-byte program and read units. Sector: 512. */
extern const struct pica_blk_geometry tdev_nor, tdev_sector;

/* Set up @d on @mem with @geo limited to @nblocks blocks. */
void tdev_init(struct tdev *d, void *mem, const struct pica_blk_geometry *geo, uint32_t nblocks);
void tdev_reset_counts(struct tdev *d);
/* Cut the power after @n more programs/erases (RAM_BLK_NO_CUT: never),
 * the plain way (ram_blk) or with a torn last program. */
void tdev_cut(struct tdev *d, uint32_t n, bool torn, uint32_t seed);
