/* SPDX-License-Identifier: MIT */
/* A block device in RAM (include/pica/blk.h), for tests and RAM disks.
 *
 * It behaves as the geometry says: with PICA_BLK_ERASE_BEFORE_PROG it is
 * NOR flash (erase sets erased_value, and programming a byte that is not
 * erased is refused with -EIO, which catches a file system that programs
 * twice), without it a sector device (a program overwrites, erase leaves the
 * data). For power-loss tests it can cut the power: after a set number of
 * further programs and erases every one fails with -EIO and changes nothing,
 * as if the device had gone dark at that point. Counters of operations help
 * tests and wear figures. Context of every call: any but an ISR (the ops do
 * not sleep but take no lock: one owner, as blk.h says). */
#pragma once

#include <stdint.h>

#include <pica/blk.h>

struct ram_blk {
    struct pica_blk blk; /* first: a struct pica_blk * is a struct ram_blk * */
    uint8_t *mem;        /* block_count * erase_size bytes */
    uint32_t cut_after;  /* programs and erases left before the power cut */
    uint32_t reads, progs, erases, syncs; /* operations that succeeded */
};

/* No power cut (the default after init). */
#define RAM_BLK_NO_CUT UINT32_MAX

/* Set up @rb over @mem (geometry->block_count * geometry->erase_size bytes)
 * named @name. A NOR-like device starts erased; a sector device keeps what
 * @mem holds. Returns: 0, -EINVAL (NULL or a geometry pica_blk_init()
 * refuses, or one whose size does not fit in a size_t). */
int ram_blk_init(struct ram_blk *rb, const char *name, void *mem,
                 const struct pica_blk_geometry *geometry);

/* Let @n more programs and erases succeed, then fail every one with -EIO
 * (RAM_BLK_NO_CUT: never). Reads go on working. */
void ram_blk_cut_after(struct ram_blk *rb, uint32_t n);
