/* SPDX-License-Identifier: MIT */
/* A host file as a block device, through the semihosting file calls
 * (Arm's Semihosting specification, SYS_OPEN to SYS_FLEN) that the port
 * makes with arch_semihost_call() (arch/<arch>/semihost.h).
 * Entry points: semihost_blk_open(), semihost_blk_close(),
 * semihost_blk_open_default() (semihost_blk.h). */
#include "semihost_blk.h"

#include <pica/errno.h>
#include <string.h>

#include "semihost.h"

#define SYS_OPEN 0x01u
#define SYS_CLOSE 0x02u
#define SYS_WRITE 0x05u
#define SYS_READ 0x06u
#define SYS_SEEK 0x0Au
#define SYS_FLEN 0x0Cu

/* SYS_OPEN's modes are indices into fopen()'s mode strings. */
#define MODE_R_PLUS_B 3u /* "r+b": read and write an existing file */
#define MODE_W_PLUS_B 7u /* "w+b": create (or truncate), read and write */

#define HOST_ERROR UINT32_MAX /* -1, what most calls return on failure */
#define MAX_BYTES 0x7FFFFFFFu /* SYS_FLEN and SYS_SEEK: a signed word */
#define MIN_BLOCK 16u
#define MAX_BLOCK 65536u

static struct semihost_blk *
to_hb(struct pica_blk *dev)
{
    return (struct semihost_blk *)dev;
}

static uint32_t
call(struct semihost_blk *hb, uint32_t op, uint32_t *args)
{
    hb->calls++;
    return arch_semihost_call(op, args);
}

/* Move to byte @pos, then read or write @len bytes there. SYS_READ and
 * SYS_WRITE return the count of bytes they did not move. */
static int
host_io(struct semihost_blk *hb, uint32_t op, uint32_t pos, const void *buf, size_t len)
{
    if (!hb->is_open) {
        return -ENODEV;
    }
    uint32_t seek[2] = {hb->handle, pos};
    if (call(hb, SYS_SEEK, seek) != 0) {
        return -EIO;
    }
    uint32_t io[3] = {hb->handle, (uint32_t)(uintptr_t)buf, (uint32_t)len};
    return call(hb, op, io) == 0 ? 0 : -EIO;
}

static uint32_t
byte_pos(const struct semihost_blk *hb, uint32_t block, uint32_t offset)
{
    /* In range: open limits the device to MAX_BYTES, lib/blk.c the request. */
    return block * hb->blk.geo.erase_size + offset;
}

static int
shb_read(struct pica_blk *dev, uint32_t block, uint32_t offset, void *buf, size_t size)
{
    struct semihost_blk *hb = to_hb(dev);
    return host_io(hb, SYS_READ, byte_pos(hb, block, offset), buf, size);
}

static int
shb_prog(struct pica_blk *dev, uint32_t block, uint32_t offset, const void *buf, size_t size)
{
    struct semihost_blk *hb = to_hb(dev);
    return host_io(hb, SYS_WRITE, byte_pos(hb, block, offset), buf, size);
}

static int
shb_nothing(struct pica_blk *dev)
{
    return to_hb(dev)->is_open ? 0 : -ENODEV;
}

static int
shb_erase(struct pica_blk *dev, uint32_t block, uint32_t count)
{
    (void)block;
    (void)count;
    return shb_nothing(dev);
}

static const struct pica_blk_ops shb_ops = {
    .read = shb_read,
    .prog = shb_prog,
    .erase = shb_erase,
    .sync = shb_nothing,
};

static bool
host_open(struct semihost_blk *hb, uint32_t mode)
{
    uint32_t args[3] = {(uint32_t)(uintptr_t)hb->path, mode, (uint32_t)strlen(hb->path)};
    uint32_t handle = call(hb, SYS_OPEN, args);
    if (handle == HOST_ERROR) {
        return false;
    }
    hb->handle = handle;
    hb->is_open = true;
    return true;
}

/* Make the file at least @bytes long: a write of one zero byte at its last
 * position (the host fills the gap with zeros, sparsely where it can). */
static int
extend(struct semihost_blk *hb, uint32_t bytes)
{
    static const uint8_t zero;
    uint32_t args[1] = {hb->handle};
    uint32_t len = call(hb, SYS_FLEN, args);
    if (len == HOST_ERROR) {
        return -EIO;
    }
    if (len >= bytes) {
        return 0;
    }
    int err = host_io(hb, SYS_WRITE, bytes - 1, &zero, 1);
    if (!err && call(hb, SYS_FLEN, args) != bytes) {
        err = -EIO;
    }
    return err;
}

/* The device's size in blocks: @block_count, or the file's own. */
static int
size_device(struct semihost_blk *hb, uint32_t block_size, uint32_t block_count)
{
    if (block_count != 0) {
        int err = extend(hb, block_count * block_size);
        if (!err) {
            hb->blk.geo.block_count = block_count;
        }
        return err;
    }
    uint32_t args[1] = {hb->handle};
    uint32_t len = call(hb, SYS_FLEN, args);
    if (len == HOST_ERROR) {
        return -EIO;
    }
    hb->blk.geo.block_count = (len <= MAX_BYTES ? len : MAX_BYTES) / block_size;
    return hb->blk.geo.block_count != 0 ? 0 : -ENODEV;
}

int
semihost_blk_open(struct semihost_blk *hb, const char *name, const char *path,
                  uint32_t block_size, uint32_t block_count)
{
    if (hb == NULL || name == NULL || path == NULL || block_size < MIN_BLOCK ||
        block_size > MAX_BLOCK || (block_size & (block_size - 1)) != 0 ||
        block_count > MAX_BYTES / block_size) {
        return -EINVAL;
    }
    if (hb->is_open) {
        (void)semihost_blk_close(hb);
    }
    *hb = (struct semihost_blk){
        .blk = {.name = name, .ops = &shb_ops,
                .geo = {block_size, block_size, block_size, 0, 0, -1}},
        .path = path,
        .calls = hb->calls,
    };
    /* "r+b" keeps what an earlier run wrote; only a missing file is
     * created, with "w+b" (which would empty an existing one). */
    if (!host_open(hb, MODE_R_PLUS_B) && (block_count == 0 || !host_open(hb, MODE_W_PLUS_B))) {
        return -ENODEV;
    }
    int err = size_device(hb, block_size, block_count);
    if (!err) {
        err = pica_blk_init(&hb->blk);
    }
    if (err) {
        (void)semihost_blk_close(hb);
    }
    return err;
}

int
semihost_blk_close(struct semihost_blk *hb)
{
    if (hb == NULL) {
        return -EINVAL;
    }
    hb->blk.geo.block_count = 0; /* no medium: blk.h gives -ENODEV */
    if (!hb->is_open) {
        return 0;
    }
    hb->is_open = false;
    uint32_t args[1] = {hb->handle};
    return call(hb, SYS_CLOSE, args) == 0 ? 0 : -EIO;
}

int
semihost_blk_open_default(struct semihost_blk *hb)
{
#if defined(PICA_FS_IMAGE) && defined(PICA_FS_IMAGE_SIZE)
    return semihost_blk_open(hb, "host0", PICA_FS_IMAGE, 512, PICA_FS_IMAGE_SIZE / 512);
#else
    (void)hb;
    return -ENODEV;
#endif
}
