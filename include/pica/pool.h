/* SPDX-License-Identifier: MIT */
/* Fixed-block memory pools: @count blocks of one size carved from a
 * caller-provided buffer, allocated and freed in O(1) through a free list
 * threaded through the free blocks. Alloc can wait for a block; a free hands
 * its block straight to the most urgent waiter. Implementation:
 * kernel/pool.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pica/thread.h>
#include <pica/time.h>

struct pica_pool {
    char *buf;
    uint32_t block_size; /* bytes, rounded up to a multiple of sizeof(void *) */
    uint32_t count;      /* blocks in the pool */
    void *free_list;
    struct pica_waitq waiters;
};

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
 * @block_size or @count 0, size overflow). */
int pica_pool_init(struct pica_pool *p, void *buf, size_t block_size, uint32_t count);

/* Take a block, waiting up to @timeout for one to be freed; the block's
 * contents are undefined. On success *@blk is the block, otherwise NULL.
 * Context: thread; ISR only with PICA_NO_WAIT.
 * Returns: 0, -EAGAIN (no wait, none free), -ETIMEDOUT, -EINVAL (NULL,
 * not initialised, bad timeout, blocking call in an ISR). */
int pica_pool_alloc_err(struct pica_pool *p, void **blk, pica_timeout_t timeout);

/* pica_pool_alloc_err() returning the block, or NULL for any failure
 * (most often: none became free within @timeout). Context: as above. */
void *pica_pool_alloc(struct pica_pool *p, pica_timeout_t timeout);

/* Return @blk to @p, or to the first waiter. Double frees are detected
 * when blocks are at least two pointers large: a free block carries a
 * marker word derived from its address, and a block that carries it is
 * looked up on the free list (O(free blocks), only then) before the free is
 * refused. Allocating clears the marker.
 * Context: any. Returns: 0, -EINVAL (NULL, not from @p, not at a block
 * boundary, already free). */
int pica_pool_free(struct pica_pool *p, void *blk);

/* Blocks free now (0 while threads wait), counted along the free list.
 * Context: any. */
uint32_t pica_pool_free_count(const struct pica_pool *p);
