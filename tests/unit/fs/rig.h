/* SPDX-License-Identifier: MIT */
/* The picafs test rig: a test device (tdev.h) in RAM, a cache, a mounted
 * file system, and helpers that write and check whole files. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/picafs.h>
#include "tdev.h"

#define RIG_MEM (TDEV_MAX_BLOCKS * 4096)
#define RIG_CACHE (16 * 4096)

struct rig {
    struct tdev dev;
    struct picafs fs;
    struct picafs_config cfg;
    uint32_t nblocks;
    const struct pica_blk_geometry *geo;
    uint32_t reports;
    char last[128];
};

extern uint8_t rig_mem[RIG_MEM];
extern uint8_t rig_cache[RIG_CACHE];
extern uint8_t rig_work[4096];

/* Set up the device (@geo, @nblocks) and a config with @cache_blocks blocks
 * of cache; format (unless !@format) and mount. Returns the mount result. */
int rig_start(struct rig *r, const struct pica_blk_geometry *geo, uint32_t nblocks,
              uint32_t cache_blocks, bool format);
/* Mount again on the same memory into a fresh struct picafs. */
int rig_remount(struct rig *r);
int rig_fsck(struct rig *r);

/* Write @n bytes of @data to @path (created or truncated) and close. */
int rig_put(struct rig *r, const char *path, const void *data, uint32_t n);
/* Read @path into @buf (at most @max); returns the size or an error. */
int32_t rig_get(struct rig *r, const char *path, void *buf, uint32_t max);
/* Fill @buf with bytes that depend on @seed and the position. */
void rig_pattern(void *buf, uint32_t n, uint32_t seed);
