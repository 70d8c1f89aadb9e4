/* SPDX-License-Identifier: MIT */
/* picafs internals: the on-disk format and the functions the files of fs/
 * share. Public API: include/pica/picafs.h.
 *
 * On disk (all numbers little-endian). Block = block_size bytes =
 * dev_per_blk device erase blocks.
 *  - Blocks 0 and 1: the commit log. Fixed-size records (REC_SIZE bytes in
 *    a slot of slot_size bytes, a multiple of the program and read sizes)
 *    are appended in one block; when it is full the other is erased and
 *    used. The valid record with the highest sequence is the state.
 *  - Every other block starts with a 16-byte header: CRC32 of bytes 4 to
 *    16 + len, kind, level, owner (inode number or table index), len (bytes
 *    used after the header; the rest reads as zeros and is never
 *    programmed, which keeps programs short on NOR flash).
 *  - The root block (one per commit): counters, the inode-table leaves
 *    {block, inodes used}, the bad-block list and the free map (one bit per
 *    block, 1 = used or bad). In the cache the free map is followed by the
 *    "freed in this transaction" bits, never written: a block freed since
 *    the last commit is still used by the committed state and must not be
 *    reused before the next commit.
 *  - Inode-table leaves: INODE_SIZE-byte inodes (type, flags, size, parent
 *    directory, 11 direct pointers, one single- and one double-indirect
 *    pointer; a small file keeps its bytes in the pointers' place).
 *  - Indirect blocks: pointers. Data blocks: file bytes. Directory blocks:
 *    DENT_SIZE-byte entries {inode, type, name length, name}.
 *
 * Copy on write: a block the committed state reaches is never written;
 * changing it allocates a new block (pending, kept in the cache until the
 * commit) and the pointer to it changes in its parent, up to the root. */
#pragma once

#include <pica/picafs.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define PFS_MAGIC 0x31534650u /* "PFS1" */
#define PFS_VERSION 1u

/* Commit record. */
#define REC_MAGIC 0
#define REC_VERSION 4
#define REC_SEQ 8
#define REC_ROOT 12
#define REC_BS 16
#define REC_BLOCKS 20
#define REC_CRC 24
#define REC_SIZE 28

/* Block header. */
#define HDR_SIZE 16u
#define H_CRC 0
#define H_KIND 4
#define H_LEVEL 5
#define H_OWNER 8
#define H_LEN 12
enum { KIND_ROOT = 1, KIND_LEAF = 2, KIND_IND = 3, KIND_DATA = 4, KIND_DIR = 5 };

/* Root block. */
#define R_BLOCKS (HDR_SIZE + 0)
#define R_NLEAVES (HDR_SIZE + 4)
#define R_BADMAX (HDR_SIZE + 8)
#define R_NBAD (HDR_SIZE + 12)
#define R_CURSOR (HDR_SIZE + 16)
#define R_FREE (HDR_SIZE + 20)
#define R_FILES (HDR_SIZE + 24)
#define R_LEAVES (HDR_SIZE + 32) /* then {u32 block, u32 used} per leaf */
#define BAD_MAX 16u

/* Inode. */
#define INODE_SIZE 64u
#define I_TYPE 0
#define I_FLAGS 1
#define I_SIZE 4
#define I_PARENT 8
#define I_PTR 12
#define NPTR 13u
#define NDIRECT 11u
#define PTR_IND1 11u
#define PTR_IND2 12u
#define INLINE_MAX (NPTR * 4u)
#define IF_BLOCKS 0x1u /* pointers in use (else the bytes are inline) */

/* Directory entry. */
#define DENT_SIZE 40u
#define D_INO 0
#define D_TYPE 4
#define D_NAMELEN 5
#define D_NAME 8

#define MIN_BLOCKS 12u
#define MAX_DEV_PER_BLK 64u
#define RESERVE_BLOCKS 8u  /* kept for calls that free space (unlink, rename...) */
#define RELOC_BUDGET 4u    /* bad-block relocations per call */
#define ROOT_INO 0u
#define NO_PARENT 0xFFFFFFFFu /* the root block's parent: the commit record */

/* Cache entry flags. A pending (CENT_PRIV) block was allocated since the
 * last commit; while a call runs, pending means dirty and such blocks are
 * never evicted, so a pending block's parent is always in the cache. */
#define CENT_VALID 0x1u
#define CENT_DIRTY 0x2u
#define CENT_PRIV 0x4u

struct inode {
    uint8_t type, flags;
    uint32_t size, parent;
    uint32_t ptr[NPTR];
    uint8_t inl[INLINE_MAX]; /* inline bytes when !(flags & IF_BLOCKS) */
};

/* Little-endian numbers in blocks. */
static inline uint32_t
get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

static inline uint32_t
min32(uint32_t a, uint32_t b)
{
    return a < b ? a : b;
}

/* Sizes that follow from the block size. */
static inline uint32_t
data_per_blk(const struct picafs *fs)
{
    return fs->bs - HDR_SIZE;
}

static inline uint32_t
ptrs_per_blk(const struct picafs *fs)
{
    return (fs->bs - HDR_SIZE) / 4;
}

static inline uint32_t
inodes_per_leaf(const struct picafs *fs)
{
    return (fs->bs - HDR_SIZE) / INODE_SIZE;
}

static inline uint32_t
dents_per_blk(const struct picafs *fs)
{
    return (fs->bs - HDR_SIZE) / DENT_SIZE;
}

/* Root layout. */
static inline uint32_t
root_bad_off(const struct picafs *fs)
{
    return R_LEAVES + 8 * fs->nleaves;
}

static inline uint32_t
root_map_off(const struct picafs *fs)
{
    return root_bad_off(fs) + 4 * fs->bad_max;
}

static inline uint32_t
root_len(const struct picafs *fs) /* bytes written after the header */
{
    return root_map_off(fs) + (fs->nblocks + 7) / 8 - HDR_SIZE;
}

static inline uint32_t
root_freed_off(const struct picafs *fs)
{
    return root_map_off(fs) + (fs->nblocks + 7) / 8;
}

/* Blocks and records are checked with lib/crc32.c. */
#include "../lib/crc32.h"

/* report.c: problems and the lines of fsck and dump. */
struct line {
    char s[96];
    size_t n;
};
void line_str(struct line *l, const char *s);
void line_u32(struct line *l, uint32_t v);
void fs_report(struct picafs *fs, const char *what, uint32_t a, uint32_t b);
int fs_corrupt(struct picafs *fs, const char *what, uint32_t a, uint32_t b); /* -EUCLEAN */

/* io.c: block and record I/O on the device. */
int io_read(struct picafs *fs, uint32_t blk, uint32_t off, void *buf, uint32_t n);
int io_prog(struct picafs *fs, uint32_t blk, uint32_t off, const void *buf, uint32_t n);
int io_erase(struct picafs *fs, uint32_t blk);
int io_sync(struct picafs *fs);
uint32_t io_round_prog(const struct picafs *fs, uint32_t n);
void blk_seal(struct picafs *fs, uint8_t *buf);
int blk_check(struct picafs *fs, uint32_t loc, uint8_t *buf, unsigned kind, uint32_t owner);
int blk_write(struct picafs *fs, uint32_t loc, uint8_t *buf);

/* cache.c */
static inline uint8_t *
cache_buf(struct picafs *fs, int i)
{
    return fs->cache + (size_t)i * fs->bs;
}
int cache_find(struct picafs *fs, uint32_t loc);
int cache_load(struct picafs *fs, uint32_t loc, unsigned kind, uint32_t owner);
int cache_new(struct picafs *fs, uint32_t loc, unsigned kind, unsigned level, uint32_t owner);
void cache_drop(struct picafs *fs, uint32_t loc);
void cache_drop_pending(struct picafs *fs);
uint32_t cache_pending(const struct picafs *fs);
#define OWNER_ANY 0xFFFFFFFFu
int blk_writable(struct picafs *fs, int parent, uint32_t poff, unsigned kind, unsigned level,
                 uint32_t owner, bool create);

/* alloc.c: the free map in the root block. */
int root_get(struct picafs *fs);
int root_writable(struct picafs *fs);
int blk_alloc(struct picafs *fs, uint32_t *loc);
void blk_unalloc(struct picafs *fs, uint32_t loc);
int blk_free(struct picafs *fs, uint32_t loc);
int blk_mark_bad(struct picafs *fs, uint32_t loc);
bool map_bit(const uint8_t *map, uint32_t b);

/* commit.c */
int log_scan(struct picafs *fs);
int log_append(struct picafs *fs, uint32_t seq, uint32_t root);
int txn_commit(struct picafs *fs);
void txn_abort(struct picafs *fs);
int txn_begin(struct picafs *fs, bool use_reserve);
int txn_end(struct picafs *fs, int err);

/* inode.c */
bool ino_valid(const struct picafs *fs, uint32_t ino);
int inode_read(struct picafs *fs, uint32_t ino, struct inode *in);
int inode_write(struct picafs *fs, uint32_t ino, const struct inode *in);
int inode_alloc(struct picafs *fs, uint8_t type, uint32_t parent, uint32_t *ino);
int inode_free(struct picafs *fs, uint32_t ino);
int leaf_writable(struct picafs *fs, uint32_t leaf, bool create);
void inode_decode(const uint8_t *p, struct inode *in);

/* map.c: the blocks of a file or directory. */
uint32_t map_max_blocks(const struct picafs *fs);
int map_lookup(struct picafs *fs, uint32_t ino, const struct inode *in, uint32_t idx,
               uint32_t *loc);
int map_writable(struct picafs *fs, uint32_t ino, unsigned kind, uint32_t idx);
int map_truncate(struct picafs *fs, uint32_t ino, uint32_t size);
int map_count(struct picafs *fs, uint32_t ino, const struct inode *in, uint32_t *count);

/* dir.c */
struct dloc {
    uint32_t dir, slot; /* directory inode and entry slot */
    uint32_t ino;
    uint8_t type;
};
int path_parent(struct picafs *fs, const char *path, uint32_t *dir, const char **name,
                size_t *namelen);
int dir_find(struct picafs *fs, uint32_t dir, const char *name, size_t len, struct dloc *d);
int dir_add(struct picafs *fs, uint32_t dir, const char *name, size_t len, uint32_t ino,
            uint8_t type);
int dir_remove(struct picafs *fs, const struct dloc *d);
int dir_retarget(struct picafs *fs, const struct dloc *d, uint32_t ino);
int dir_entry(struct picafs *fs, uint32_t dir, uint32_t slot, struct picafs_dirent *e,
              uint32_t *ino);
int path_lookup(struct picafs *fs, const char *path, struct dloc *d);

/* namei.c / file.c */
bool fs_is_open(const struct picafs *fs, uint32_t ino);
int fs_ready(struct picafs *fs);
int fs_close_node(struct picafs *fs, struct picafs_open *node);
