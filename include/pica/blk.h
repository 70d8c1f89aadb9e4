/* SPDX-License-Identifier: MIT */
/* Block devices: the storage a file system mounts (NOR flash, an SD card, a
 * RAM disk), behind one interface of read, program, erase and sync with the
 * device's geometry.
 *
 * Geometry. A device is block_count erase blocks of erase_size bytes; a
 * block is addressed by its number, a byte within it by an offset. Reads
 * come in multiples of read_size, programs in multiples of prog_size, both
 * at offsets that are multiples of the same unit; erase_size is a multiple
 * of both. One read or program may run on across consecutive blocks (an SD
 * card then moves several sectors in one command), never past the last.
 *   - NOR-like flash (PICA_BLK_ERASE_BEFORE_PROG): a byte is programmed
 *     once between erases, erase sets a whole block to erased_value, and
 *     erase_size is larger than prog_size (4 KiB sectors, 256-byte pages).
 *   - Sector devices (an SD card): read, program and erase sizes are all the
 *     sector (512 bytes), a program overwrites, erase is at most a hint that
 *     the data is no longer needed (a TRIM) and leaves the content undefined.
 *
 * Errors are negative errno values: -EINVAL (an argument out of range or
 * misaligned; nothing was done), -EIO (the device failed or the data did
 * not check out: nothing read may be used, and what a failed program or
 * erase left is undefined), -ETIMEDOUT (the device stopped answering
 * within its time limit), -ENODEV (no device: a card absent or removed),
 * -EROFS (write protected). A read returns 0 only for data the device
 * vouched for (an SD card's block CRC matched).
 *
 * Thread safety: one owner at a time uses a device (a file system, which
 * serialises its own calls); the interface does not lock. A device that
 * shares hardware with others (an SD card on an SPI bus) locks that
 * hardware itself, so different devices may be used from different
 * threads at once.
 *
 * A device driver fills a struct pica_blk (name, geometry, ops) and gives
 * it to pica_blk_init(); the calls below check arguments and call the ops.
 * Drivers: drivers/blk/ (ram_blk.c, sd_spi.c); docs/drivers.md. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Geometry flags. */
#define PICA_BLK_ERASE_BEFORE_PROG 0x1u /* program only what was erased (NOR flash) */
#define PICA_BLK_READ_ONLY 0x2u         /* program and erase give -EROFS */

struct pica_blk_geometry {
    uint32_t read_size;   /* bytes, power of two: the read unit */
    uint32_t prog_size;   /* bytes, power of two: the program unit */
    uint32_t erase_size;  /* bytes, power of two, a multiple of both: one block */
    uint32_t block_count; /* blocks on the device */
    uint32_t flags;       /* PICA_BLK_* */
    int erased_value;     /* what an erased byte reads (0xFF on NOR), -1 if undefined */
};

struct pica_blk;

/* A driver's operations. Arguments reach them checked: in range, aligned,
 * size above 0, and never with PICA_BLK_READ_ONLY for prog and erase. */
struct pica_blk_ops {
    int (*read)(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size);
    int (*prog)(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf,
                size_t size);
    int (*erase)(struct pica_blk *dev, uint32_t block, uint32_t count);
    int (*sync)(struct pica_blk *dev); /* NULL: nothing is ever cached */
};

struct pica_blk {
    const char *name;
    const struct pica_blk_ops *ops;
    struct pica_blk_geometry geo;
};

/* For drivers: check @dev's geometry and ops (name, read, prog and erase
 * set; sizes powers of two, erase_size a multiple of read and program
 * sizes). A block_count of 0 means no medium (an empty card slot): every
 * call below then gives -ENODEV. Context: thread or boot.
 * Returns: 0, -EINVAL. */
int pica_blk_init(struct pica_blk *dev);

/* The geometry (valid once the driver has initialised the device) and the
 * name ("sd0", "ram0"). Context: any. */
const struct pica_blk_geometry *pica_blk_geometry(const struct pica_blk *dev);
const char *pica_blk_name(const struct pica_blk *dev);

/* The device's size in bytes (block_count * erase_size). Context: any. */
uint64_t pica_blk_size(const struct pica_blk *dev);

/* Read @size bytes at @offset in @block (and on into the next blocks).
 * Context: thread (it may sleep on the device); a RAM device also boot.
 * Returns: 0, -EINVAL (NULL, misaligned or out of range), -EIO, -ETIMEDOUT,
 * -ENODEV. After an error the content of @buf is undefined. */
int pica_blk_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf,
                  size_t size);

/* Program @size bytes at @offset in @block (and on into the next blocks).
 * On a device with PICA_BLK_ERASE_BEFORE_PROG the range must have been
 * erased since it was last programmed. Data may sit in a cache until
 * pica_blk_sync(). Context: thread.
 * Returns: 0, -EINVAL, -EROFS, -EIO, -ETIMEDOUT, -ENODEV. */
int pica_blk_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf,
                  size_t size);

/* Erase @count blocks from @block: NOR flash reads erased_value there
 * afterwards; on a sector device the content becomes undefined (or stays).
 * Context: thread.
 * Returns: 0, -EINVAL, -EROFS, -EIO, -ETIMEDOUT, -ENODEV. */
int pica_blk_erase(struct pica_blk *dev, uint32_t block, uint32_t count);

/* Returns once every program and erase before it is on the medium (a file
 * system's commit point). Context: thread.
 * Returns: 0, -EINVAL (NULL), -EIO, -ETIMEDOUT, -ENODEV. */
int pica_blk_sync(struct pica_blk *dev);
