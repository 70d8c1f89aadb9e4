/* SPDX-License-Identifier: MIT */
/*
 * Public heap API: pica_malloc(), pica_free() and pica_heap_stats().
 * The allocator is the O(1) two-level segregated-fit heap of kernel/heap.c; the
 * kernel wraps it with the heap lock. Static allocation remains the first choice
 * for kernel objects: nothing in the kernel needs the heap.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* A snapshot of the heap. Byte figures count whole blocks, headers included, so
 * free_bytes + used_bytes == total_bytes at every moment. A request of n bytes
 * needs a block of n rounded up to 8 plus one header (two pointer-sized words). */
struct pica_heap_stats {
    size_t total_bytes;        /* bytes managed by the heap */
    size_t free_bytes;         /* bytes in free blocks */
    size_t used_bytes;         /* bytes in allocated blocks */
    size_t largest_free_block; /* size of the largest free block */
    size_t min_free_bytes;     /* lowest free_bytes ever seen (high-water mark of use) */
    uint32_t allocated_blocks; /* blocks currently allocated */
    uint32_t alloc_count;      /* successful allocations since init */
    uint32_t free_count;       /* successful frees since init */
    uint32_t failed_allocs;    /* allocations refused (no memory, bad size or alignment,
                                  called in an interrupt handler) */
    uint32_t bad_frees;        /* frees refused: foreign pointer or double free, or in an
                                  interrupt handler with PICA_CFG_HEAP_ISR_FREES queued */
};

/* Allocate @n bytes aligned to 8 in O(1).
 * Context: thread (in an interrupt handler it is refused: NULL, counted in
 * failed_allocs).
 * Returns: the block, or NULL when @n is 0 or no free block is large enough. */
void *pica_malloc(size_t n);

/* Return a block obtained from pica_malloc(); NULL is ignored. A pointer that is
 * not a live heap block (double free, foreign pointer) is refused without touching
 * the heap and counted in pica_heap_stats().bad_frees.
 * Context: thread, or interrupt handler: there the heap's lock cannot be taken, so
 * the pointer is queued and the next heap call from a thread (any of these three)
 * frees it; until then it counts as allocated. At most PICA_CFG_HEAP_ISR_FREES wait
 * at a time; a free beyond that is refused and counted in bad_frees, and its block
 * stays allocated. */
void pica_free(void *p);

/* Fill @st with a snapshot of the kernel heap.
 * Context: thread.
 * Returns: 0, -EINVAL (@st is NULL). */
int pica_heap_stats(struct pica_heap_stats *st);

/* Walk the whole kernel heap and check every invariant (block chain, free
 * lists, totals): O(blocks), for tests and diagnostics. Context: thread.
 * Returns: 0, -EIO (corrupt: *@what, if not NULL, names the first broken
 * invariant), -EINVAL (in an interrupt handler). */
int pica_heap_check(const char **what);
