/* SPDX-License-Identifier: MIT */
/* pica-fs mkfs: the device geometry from the options, a new image of it
 * (pica-fs-image.c) and an empty file system on it (picafs_format). */
#include "pica-fs.h"

#include <stdlib.h>
#include <string.h>

struct mkfs_opts {
    uint32_t blocks, block_size, erase, prog, read, inodes;
    bool sector;
};

/* The option at argv[*i] into @o. Returns -1 to go on, or an exit status. */
static int
mkfs_option(int argc, char **argv, int *i, struct mkfs_opts *o)
{
    static const char *const names[] = {"--blocks", "--block-size", "--erase-size",
                                        "--prog-size", "--read-size", "--inodes"};
    uint32_t *fields[] = {&o->blocks, &o->block_size, &o->erase, &o->prog, &o->read,
                          &o->inodes};
    const char *opt = argv[*i];
    if (!strcmp(opt, "--nor") || !strcmp(opt, "--sector")) {
        o->sector = !strcmp(opt, "--sector");
        return -1;
    }
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        if (strcmp(opt, names[k]) != 0) {
            continue;
        }
        if (++*i >= argc || parse_u32(argv[*i], fields[k]) != 0 || *fields[k] == 0) {
            return usage_error("mkfs: %s needs a number above 0", opt);
        }
        return -1;
    }
    return usage_error("mkfs: unknown option '%s'", opt);
}

/* Defaults: 256 blocks of one erase block; NOR: 4096-byte erase blocks,
 * 256-byte program and read units; sector: 512 bytes for all three. */
static int
mkfs_args(int argc, char **argv, struct mkfs_opts *o)
{
    *o = (struct mkfs_opts){.blocks = 256};
    for (int i = 0; i < argc; i++) {
        int rc = mkfs_option(argc, argv, &i, o);
        if (rc >= 0) {
            return rc;
        }
    }
    o->erase = o->erase ? o->erase : o->sector ? 512 : 4096;
    o->prog = o->prog ? o->prog : o->sector ? o->erase : 256;
    o->read = o->read ? o->read : o->prog;
    o->block_size = o->block_size ? o->block_size : o->erase;
    if (o->block_size % o->erase != 0 || (uint64_t)o->blocks * o->block_size > UINT32_MAX) {
        return usage_error("mkfs: %s", "--block-size must be a multiple of the erase size, "
                           "and the device at most 4 GiB");
    }
    return -1;
}

static int
mkfs_format(struct session *s, const struct mkfs_opts *o)
{
    struct picafs_format_opts fo = {
        .work = malloc(o->block_size), .work_size = o->block_size,
        .block_count = o->blocks, .block_size = o->block_size, .inodes = o->inodes,
    };
    int err = fo.work != NULL ? picafs_format(&s->img.dev, &fo) : -ENOMEM;
    free(fo.work);
    if (err == -EINVAL && !s->img.cut) {
        fprintf(stderr, "pica-fs: mkfs: %s: picafs refuses this geometry: a block is 256 "
                "bytes or more, 1 to 64 erase blocks (a power of two); 12 blocks or more, "
                "and few enough that the free map fits in the root block\n", s->image);
        return EXIT_OP;
    }
    return err ? fail(s, s->image, err) : 0;
}

int
cmd_mkfs(struct session *s, int argc, char **argv)
{
    struct mkfs_opts o;
    int rc = mkfs_args(argc, argv, &o);
    if (rc >= 0) {
        return rc;
    }
    struct pica_blk_geometry g = {
        .read_size = o.read, .prog_size = o.prog, .erase_size = o.erase,
        .block_count = (uint32_t)((uint64_t)o.blocks * o.block_size / o.erase),
        .flags = o.sector ? 0u : PICA_BLK_ERASE_BEFORE_PROG, .erased_value = o.sector ? -1 : 0xFF,
    };
    int err = image_create(&s->img, s->image, &g);
    if (err) {
        return fail_image(s, err);
    }
    session_arm(s);
    return mkfs_format(s, &o);
}
