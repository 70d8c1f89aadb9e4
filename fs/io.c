/* SPDX-License-Identifier: MIT */
/* Block I/O for picafs: file-system blocks on device erase blocks, the
 * header every block carries (fs_priv.h), and the check every block read
 * goes through before anything in it is used. */
#include "fs_priv.h"

static uint32_t
erase_size(const struct picafs *fs)
{
    return pica_blk_geometry(fs->dev)->erase_size;
}

int
io_read(struct picafs *fs, uint32_t blk, uint32_t off, void *buf, uint32_t n)
{
    uint32_t es = erase_size(fs);
    int err = pica_blk_read(fs->dev, blk * fs->dev_per_blk + off / es, off % es, buf, n);
    return err == -EINVAL ? -EIO : err;
}

int
io_prog(struct picafs *fs, uint32_t blk, uint32_t off, const void *buf, uint32_t n)
{
    uint32_t es = erase_size(fs);
    int err = pica_blk_prog(fs->dev, blk * fs->dev_per_blk + off / es, off % es, buf, n);
    return err == -EINVAL ? -EIO : err;
}

/* Only NOR-like devices need an erase; on a sector device it would be a
 * mere hint that costs time. */
int
io_erase(struct picafs *fs, uint32_t blk)
{
    if (!fs->nor) {
        return 0;
    }
    int err = pica_blk_erase(fs->dev, blk * fs->dev_per_blk, fs->dev_per_blk);
    return err == -EINVAL ? -EIO : err;
}

int
io_sync(struct picafs *fs)
{
    return pica_blk_sync(fs->dev);
}

/* @n rounded up to whole program (and read) units, at most a block. */
uint32_t
io_round_prog(const struct picafs *fs, uint32_t n)
{
    const struct pica_blk_geometry *g = pica_blk_geometry(fs->dev);
    uint32_t unit = g->prog_size > g->read_size ? g->prog_size : g->read_size;
    return min32((n + unit - 1) & ~(unit - 1), fs->bs);
}

/* Bytes after the header that hold something: the rest of the block is
 * zeros, neither programmed nor covered by the CRC. */
static uint32_t
used_len(struct picafs *fs, const uint8_t *buf)
{
    const uint8_t *pay = buf + HDR_SIZE;
    uint32_t room = fs->bs - HDR_SIZE;
    switch (buf[H_KIND]) {
    case KIND_ROOT:
        return root_len(fs);
    case KIND_DATA:
        return get32(buf + H_LEN);
    case KIND_LEAF:
        for (uint32_t n = room / INODE_SIZE; n > 0; n--) {
            if (pay[(n - 1) * INODE_SIZE + I_TYPE] != 0) {
                return n * INODE_SIZE;
            }
        }
        return 0;
    case KIND_DIR:
        for (uint32_t n = room / DENT_SIZE; n > 0; n--) {
            if (pay[(n - 1) * DENT_SIZE + D_NAMELEN] != 0) {
                return n * DENT_SIZE;
            }
        }
        return 0;
    default: /* KIND_IND */
        for (uint32_t n = room / 4; n > 0; n--) {
            if (get32(pay + (n - 1) * 4) != 0) {
                return n * 4;
            }
        }
        return 0;
    }
}

/* Set the header's length and CRC before a write. */
void
blk_seal(struct picafs *fs, uint8_t *buf)
{
    uint32_t len = used_len(fs, buf);
    put32(buf + H_LEN, len);
    put32(buf + H_CRC, pica_crc32(0, buf + 4, HDR_SIZE - 4 + len));
}

/* Check a block just read from @loc: its CRC, and that it is what the
 * pointer to it said (@kind, @owner unless OWNER_ANY). The unused rest is
 * zeroed, so every reader sees the zeros the writer meant. */
int
blk_check(struct picafs *fs, uint32_t loc, uint8_t *buf, unsigned kind, uint32_t owner)
{
    uint32_t len = get32(buf + H_LEN);
    if (len > fs->bs - HDR_SIZE) {
        return fs_corrupt(fs, "block length out of range in block", loc, len);
    }
    if (get32(buf + H_CRC) != pica_crc32(0, buf + 4, HDR_SIZE - 4 + len)) {
        return fs_corrupt(fs, "bad CRC in block", loc, UINT32_MAX);
    }
    if (buf[H_KIND] != kind || (owner != OWNER_ANY && get32(buf + H_OWNER) != owner)) {
        return fs_corrupt(fs, "unexpected block kind or owner in block", loc, buf[H_KIND]);
    }
    if (kind == KIND_IND ? (buf[H_LEVEL] != 1 && buf[H_LEVEL] != 2) : buf[H_LEVEL] != 0) {
        return fs_corrupt(fs, "bad level in block", loc, buf[H_LEVEL]);
    }
    memset(buf + HDR_SIZE + len, 0, fs->bs - HDR_SIZE - len);
    return 0;
}

/* Seal @buf and write it to @loc (erasing first on NOR). Programs only the
 * used part. Returns: 0, -EIO (the caller relocates the block). */
int
blk_write(struct picafs *fs, uint32_t loc, uint8_t *buf)
{
    blk_seal(fs, buf);
    int err = io_erase(fs, loc);
    if (err) {
        return err;
    }
    return io_prog(fs, loc, 0, buf, io_round_prog(fs, HDR_SIZE + get32(buf + H_LEN)));
}
