/* SPDX-License-Identifier: MIT */
/* Fixed-block memory pools: @count blocks of one size carved from a
 * caller-provided buffer, allocated and freed in O(1) through a free list
 * threaded through the free blocks. Alloc can wait for a block; a free hands
 * its block straight to the most urgent waiter. Implementation:
 * kernel/pool.c. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/fast.h>
#include <pica/thread.h>
#include <pica/time.h>

#include "arch.h"

struct pica_pool {
    void *free_list;     /* first free block; NULL whenever threads wait */
    char *buf;
    /* The fast free's bound: a block's offset rotated right by fast_shift
     * (log2 of a power-of-two block size) is its index, below fast_limit
     * (count); any misaligned offset rotates into the high bits. Other
     * sizes: 0 and 1, so only the first block passes and the rest go to
     * the slow path's division. */
    uint32_t fast_shift;
    uint32_t fast_limit;
    uint32_t block_size; /* bytes, rounded up to a multiple of sizeof(void *) */
    uint32_t count;      /* blocks in the pool */
    struct pica_waitq waiters;
};

/* How many pools can have names at once (pica_pool_set_name()). */
#ifndef PICA_CFG_POOL_NAMES
#define PICA_CFG_POOL_NAMES 8
#endif

/* What a free block holds in its second word: its address inverted, so
 * that a double free is cheap to suspect (then confirmed on the list). */
#define PICA_POOL_FREE_MARK(blk) (~(uintptr_t)(blk))

/* The size a block of @size bytes really takes: rounded up to pointer
 * alignment, and at least two pointers (a free block holds the free-list
 * link and a double-free marker). */
#define PICA_POOL_BLOCK_SIZE(size)                                                                \
    ((size_t)(size) <= 2u * sizeof(void *)                                                        \
         ? 2u * sizeof(void *)                                                                    \
         : (((size_t)(size) + sizeof(void *) - 1u) & ~(sizeof(void *) - 1u)))

/* Define a pointer-aligned static buffer for @count blocks of @size bytes. */
#define PICA_POOL_BUF_DEFINE(name, size, count)                                                   \
    static void *name[PICA_POOL_BLOCK_SIZE(size) / sizeof(void *) * (count)]

/* Set up @p over @buf, which must be pointer-aligned and hold @count blocks
 * of PICA_POOL_BLOCK_SIZE(@block_size) bytes (PICA_POOL_BUF_DEFINE gives
 * one). Every block is aligned to the largest power of two dividing both
 * the buffer's address and the rounded block size.
 * Context: thread or boot. Returns: 0, -EINVAL (NULL, unaligned @buf,
 * @block_size or @count 0, size overflow, a buffer that would run past the
 * end of memory). */
int pica_pool_init(struct pica_pool *p, void *buf, size_t block_size, uint32_t count);

/* Take a block, waiting up to @timeout for one to be freed; the block's
 * contents are undefined. On success *@blk is the block; after any failure
 * (unless @blk itself is NULL) it is NULL. Arguments are checked first: a
 * bad timeout is refused even when a block is free.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, none free), -ETIMEDOUT, -EINVAL (NULL,
 * not initialised, a negative timeout other than PICA_FOREVER, blocking
 * call in an ISR). */
static inline int pica_pool_alloc_err(struct pica_pool *p, void **blk, pica_timeout_t timeout);

/* pica_pool_alloc_err() returning the block, or NULL for any failure
 * (most often: none became free within @timeout). Context: as above. */
static inline void *pica_pool_alloc(struct pica_pool *p, pica_timeout_t timeout);

/* Return @blk to @p, or to the first waiter. Double frees are detected
 * when blocks are at least two pointers large: a free block carries a
 * marker word derived from its address, and a block that carries it is
 * looked up on the free list (O(free blocks), only then) before the free is
 * refused. Allocating clears the marker.
 * Context: any. Returns: 0, -EINVAL (NULL, not from @p, not at a block
 * boundary, already free). */
static inline int pica_pool_free(struct pica_pool *p, void *blk);

/* Blocks free now (0 while threads wait), counted along the free list.
 * Context: any. */
uint32_t pica_pool_free_count(const struct pica_pool *p);

/* Name @p ("rx-buffers") and list it for pica_pool_info_at() and the
 * shell's `free`; a NULL @name takes it off the list. A listed pool must
 * stay in memory until it is taken off. Naming again renames; init again
 * keeps the name. The list is a table of PICA_CFG_POOL_NAMES entries, in
 * an image only if it names a pool (a pool itself carries nothing for it).
 * Context: thread or boot.
 * Returns: 0, -EINVAL (NULL @p), -ENOSPC (the table is full). */
int pica_pool_set_name(struct pica_pool *p, const char *name);

struct pica_pool_info {
    const char *name;
    uint32_t block_size; /* bytes, as rounded by PICA_POOL_BLOCK_SIZE() */
    uint32_t count;      /* blocks */
    uint32_t free;       /* blocks free now */
    uint32_t waiters;    /* threads waiting for a block */
};

/* The named pool at @index (0, 1, ... in naming order). Context: thread.
 * Returns: 0, -ENOENT (past the last), -EINVAL (NULL @info). */
int pica_pool_info_at(unsigned index, struct pica_pool_info *info);

/* The complete alloc and free, which the inline ones fall back on. */
int pica_pool_alloc_slow(struct pica_pool *p, void **blk, pica_timeout_t timeout);
int pica_pool_free_slow(struct pica_pool *p, void *blk);

/* Inline fast paths (PICA_CFG_INLINE_FAST_PATHS): alloc pops the free list
 * atomically (arch_list_pop); free checks the block is one of @p's (a
 * subtraction, a rotation and a compare, for power-of-two sizes), then
 * pushes it under the kernel lock unless the list is empty (there may be
 * waiters) or the block carries the free mark (maybe a double free). */
static inline int
pica_pool_alloc_err(struct pica_pool *p, void **blk, pica_timeout_t timeout)
{
#if PICA_CFG_INLINE_FAST_PATHS
    bool timeout_ok = pica_wait_allowed(timeout);
    if (__builtin_expect(p != NULL && blk != NULL && timeout_ok, 1)) {
        uintptr_t *b = (uintptr_t *)arch_list_pop(&p->free_list);
        if (__builtin_expect(b != NULL, 1)) {
            b[1] = 0; /* no longer looks free */
            *blk = b;
            return 0;
        }
    }
#endif
    return pica_pool_alloc_slow(p, blk, timeout);
}

static inline void *
pica_pool_alloc(struct pica_pool *p, pica_timeout_t timeout)
{
    void *blk;
    return pica_pool_alloc_err(p, &blk, timeout) == 0 ? blk : NULL;
}

static inline int
pica_pool_free(struct pica_pool *p, void *blk)
{
#if PICA_CFG_INLINE_FAST_PATHS
    /* Hide where @blk came from: a caller's out-of-range pointer (refused
     * at run time below) must not trip -Warray-bounds. */
    __asm("" : "+r"(blk));
    if (__builtin_expect(p != NULL, 1)) {
        /* Wraps to a huge offset below the buffer; NULL and an
         * uninitialised pool (limit 0) fail here too. */
        uint32_t off = (uint32_t)((uintptr_t)blk - (uintptr_t)p->buf);
        uint32_t shift = p->fast_shift;
        uint32_t index = (off >> shift) | (off << ((32u - shift) & 31u));
        if (__builtin_expect(index < p->fast_limit, 1)) {
            uintptr_t *b = (uintptr_t *)blk;
            uintptr_t mark = PICA_POOL_FREE_MARK(blk);
            unsigned key = arch_irq_lock();
            void *head = p->free_list;
            if (__builtin_expect(head != NULL && b[1] != mark, 1)) {
                b[0] = (uintptr_t)head;
                b[1] = mark;
                p->free_list = blk;
                arch_irq_unlock(key);
                return 0;
            }
            arch_irq_unlock(key);
        }
    }
#endif
    return pica_pool_free_slow(p, blk);
}
