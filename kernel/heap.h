/* SPDX-License-Identifier: MIT */
/*
 * Two-level segregated-fit (TLSF) heap over a caller-provided memory area.
 * Portable C11 with no kernel dependency: callers provide locking. The public
 * wrappers pica_malloc()/pica_free() live elsewhere in kernel/; the layout,
 * invariants and error codes are described in docs/heap.md.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/heap.h>

/* Blocks are at most 2^PICA_CFG_HEAP_MAX_LOG2 - 8 bytes; heap_init() ignores any
 * part of a larger area beyond that. Each step adds 16 list heads to struct heap. */
#ifndef PICA_CFG_HEAP_MAX_LOG2
#define PICA_CFG_HEAP_MAX_LOG2 24
#endif

#define HEAP_ALIGN_LOG2 3 /* every block and payload is 8-byte aligned */
#define HEAP_ALIGN      ((size_t)1 << HEAP_ALIGN_LOG2)
#define HEAP_SL_LOG2    4 /* 16 second-level lists per power of two */
#define HEAP_SL_COUNT   (1u << HEAP_SL_LOG2)
/* Sizes below 2^HEAP_FL_SHIFT share first-level list 0, split linearly by 8 bytes. */
#define HEAP_FL_SHIFT   (HEAP_SL_LOG2 + HEAP_ALIGN_LOG2)
#define HEAP_FL_COUNT   (PICA_CFG_HEAP_MAX_LOG2 - HEAP_FL_SHIFT + 1)

_Static_assert(PICA_CFG_HEAP_MAX_LOG2 >= 12 && PICA_CFG_HEAP_MAX_LOG2 <= 31,
               "PICA_CFG_HEAP_MAX_LOG2 out of range (12..31)");
_Static_assert(HEAP_FL_COUNT < 32, "first-level bitmap is one 32-bit word");

struct heap_block;

/* All state of one heap. The caller allocates it; only kernel/heap.c reads fields.
 * Invariant: bit sl of sl_bitmap[fl] is set iff free[fl][sl] is non-empty, and
 * bit fl of fl_bitmap is set iff sl_bitmap[fl] != 0. */
struct heap {
    struct heap_block *first;    /* lowest block */
    struct heap_block *sentinel; /* zero-size used block closing the area */
    uint32_t fl_bitmap;
    uint32_t sl_bitmap[HEAP_FL_COUNT];
    struct heap_block *free[HEAP_FL_COUNT][HEAP_SL_COUNT];
    struct pica_heap_stats stats; /* largest_free_block is computed on demand */
    const char *corruption;       /* first broken invariant found by heap_check() */
};

/* Manage [@mem, @mem + @size). The area is trimmed to 8-byte alignment.
 * Returns: 0, -EINVAL (NULL arguments or an area too small for one block). */
int heap_init(struct heap *h, void *mem, size_t size);

/* Allocate @size bytes, 8-byte aligned, in O(1).
 * Returns: the payload, or NULL when @size is 0 or nothing fits (counted as failure). */
void *heap_alloc(struct heap *h, size_t size);

/* Allocate @size bytes aligned to @align (a power of two) in O(1).
 * Returns: the payload, or NULL (bad alignment, @size 0 or no memory). */
void *heap_alloc_aligned(struct heap *h, size_t align, size_t size);

/* Resize @p to @size bytes, in place when the block or its free neighbour allows,
 * else by moving (alignment above 8 is not kept on a move). @p NULL allocates;
 * @size 0 frees @p and returns NULL. On failure @p is left untouched.
 * Returns: the possibly moved payload, or NULL. */
void *heap_realloc(struct heap *h, void *p, size_t size);

/* Free @p in O(1), coalescing with free neighbours. NULL is a no-op.
 * Returns: 0, -EINVAL (@p is not a block of this heap), -EFAULT (@p was already
 * freed). Refused frees change nothing but stats.bad_frees. */
int heap_free(struct heap *h, void *p);

/* Copy the statistics into @st; largest_free_block costs one free-list scan.
 * Returns: 0, -EINVAL. */
int heap_stats(struct heap *h, struct pica_heap_stats *st);

/* Walk every block and free list and verify all invariants (docs/heap.md). O(n).
 * Returns: 0, -EFAULT (corrupt; h->corruption names the invariant), -EINVAL. */
int heap_check(struct heap *h);

/* Whether @p is the payload of a block currently allocated from @h (O(1)). */
bool heap_owns(const struct heap *h, const void *p);
