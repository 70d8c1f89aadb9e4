/* SPDX-License-Identifier: MIT */
/*
 * O(1) two-level segregated-fit allocator, after the TLSF design of Masmano,
 * Ripoll, Crespo and Real (ECRTS 2004): free blocks are kept in size classes found
 * with two bitmap lookups, and are split and coalesced immediately.
 * Interface: kernel/heap.h. Locked public wrappers: pica_malloc() in kernel/.
 * Layout, invariants and error codes: docs/heap.md.
 */
#include "heap.h"

#include <errno.h>
#include <string.h>

/* A block is a header followed by its payload. Blocks tile the area from h->first
 * to h->sentinel with no gaps, so the next block is found by adding the size, and
 * prev_phys always points to the lower neighbour (NULL for the first block).
 * Invariants kept by every public function:
 *   - sizes are multiples of 8 and at least MIN_BLOCK (the sentinel's is 0);
 *   - no two free blocks are neighbours (coalescing is immediate);
 *   - a block is in a free list iff its BLOCK_FREE bit is set, and it sits in the
 *     list size_class() gives for its size. */
struct heap_block {
    struct heap_block *prev_phys;
    size_t size; /* whole block, header included, | BLOCK_FREE */
    /* Free blocks only: these overlay the first payload bytes. */
    struct heap_block *next_free;
    struct heap_block *prev_free;
};

#define HDR        offsetof(struct heap_block, next_free)
#define MIN_BLOCK  sizeof(struct heap_block)
#define MAX_BLOCK  (((size_t)1 << PICA_CFG_HEAP_MAX_LOG2) - HEAP_ALIGN)
#define BLOCK_FREE ((size_t)1)
#define SIZE_MASK  (~(HEAP_ALIGN - 1))
/* Written over the header of a block absorbed by a lower neighbour. It reads as
 * free, so freeing the stale pointer again is reported as a double free. */
#define STALE_HEADER ((size_t)0xdeadf7e0u | BLOCK_FREE)

_Static_assert(HDR % HEAP_ALIGN == 0 && MIN_BLOCK % HEAP_ALIGN == 0, "header alignment");
_Static_assert(sizeof(unsigned) == 4, "bitmaps and floor_log2 assume 32-bit unsigned");

static inline size_t
block_size(const struct heap_block *b)
{
    return b->size & SIZE_MASK;
}

static inline bool
block_is_free(const struct heap_block *b)
{
    return (b->size & BLOCK_FREE) != 0;
}

static inline struct heap_block *
block_next(const struct heap_block *b)
{
    return (struct heap_block *)((char *)b + block_size(b));
}

static inline void *
block_payload(struct heap_block *b)
{
    return (char *)b + HDR;
}

static inline uintptr_t
align_up(uintptr_t x, size_t align)
{
    return (x + align - 1) & ~(uintptr_t)(align - 1);
}

/* @x is below 2^31 here: callers reject larger sizes first. */
static inline unsigned
floor_log2(size_t x)
{
    return 31u - (unsigned)__builtin_clz((unsigned)x);
}

/* Map a block size to its list. Class (0, sl) holds exactly size 8*sl; above
 * 2^HEAP_FL_SHIFT, first level fl covers one power of two cut into 16 slices. */
static void
size_class(size_t size, unsigned *fl, unsigned *sl)
{
    if (size < ((size_t)1 << HEAP_FL_SHIFT)) {
        *fl = 0;
        *sl = (unsigned)(size >> HEAP_ALIGN_LOG2);
    } else {
        unsigned log2 = floor_log2(size);
        *fl = log2 - HEAP_FL_SHIFT + 1;
        *sl = (unsigned)(size >> (log2 - HEAP_SL_LOG2)) - HEAP_SL_COUNT;
    }
}

/* Whether @b could be a block header: inside the area, aligned, and its size
 * keeps it inside the area. Uses integers so a wild pointer is never dereferenced
 * before it is known to lie in the area. */
static bool
block_is_plausible(const struct heap *h, const struct heap_block *b)
{
    uintptr_t addr = (uintptr_t)b;
    uintptr_t end = (uintptr_t)h->sentinel;
    if (addr < (uintptr_t)h->first || addr % HEAP_ALIGN != 0 || end - addr < MIN_BLOCK) {
        return false;
    }
    size_t size = block_size(b);
    return size >= MIN_BLOCK && size <= end - addr;
}

static void
free_insert(struct heap *h, struct heap_block *b)
{
    unsigned fl, sl;
    size_class(block_size(b), &fl, &sl);
    struct heap_block *head = h->free[fl][sl];
    b->size |= BLOCK_FREE;
    b->prev_free = NULL;
    b->next_free = head;
    if (head != NULL) {
        head->prev_free = b;
    }
    h->free[fl][sl] = b;
    h->sl_bitmap[fl] |= 1u << sl;
    h->fl_bitmap |= 1u << fl;
    h->stats.free_bytes += block_size(b);
}

static void
free_remove(struct heap *h, struct heap_block *b)
{
    unsigned fl, sl;
    size_class(block_size(b), &fl, &sl);
    if (b->prev_free != NULL) {
        b->prev_free->next_free = b->next_free;
    } else {
        h->free[fl][sl] = b->next_free;
    }
    if (b->next_free != NULL) {
        b->next_free->prev_free = b->prev_free;
    }
    /* Keep the bitmaps exact: a bit is set iff its list is non-empty. */
    if (h->free[fl][sl] == NULL) {
        h->sl_bitmap[fl] &= ~(1u << sl);
        if (h->sl_bitmap[fl] == 0) {
            h->fl_bitmap &= ~(1u << fl);
        }
    }
    b->size &= ~BLOCK_FREE;
    h->stats.free_bytes -= block_size(b);
}

/* Find a free block of at least @need bytes in O(1), or NULL. Rounding @need up to
 * the start of the next class means any block of the list found fits, so only list
 * heads are looked at (good fit, not best fit). */
static struct heap_block *
free_find(const struct heap *h, size_t need)
{
    unsigned fl, sl;
    size_t rounded = need;
    if (need >= ((size_t)1 << HEAP_FL_SHIFT)) {
        rounded += ((size_t)1 << (floor_log2(need) - HEAP_SL_LOG2)) - 1;
    }
    size_class(rounded, &fl, &sl);
    if (fl < HEAP_FL_COUNT) {
        uint32_t sl_map = h->sl_bitmap[fl] & (~0u << sl);
        if (sl_map == 0) {
            uint32_t fl_map = h->fl_bitmap & (~0u << (fl + 1));
            if (fl_map != 0) {
                fl = (unsigned)__builtin_ctz(fl_map);
                sl_map = h->sl_bitmap[fl];
            }
        }
        if (sl_map != 0) {
            return h->free[fl][__builtin_ctz(sl_map)];
        }
    }
    /* Nothing in larger classes: the head of @need's own class may still fit,
     * which matters when the heap is nearly full. */
    size_class(need, &fl, &sl);
    struct heap_block *b = h->free[fl][sl];
    return (b != NULL && block_size(b) >= need) ? b : NULL;
}

/* Put @b (in no list, not marked free) back, merging it with free neighbours.
 * The absorbed headers are overwritten with STALE_HEADER. */
static void
block_release(struct heap *h, struct heap_block *b)
{
    struct heap_block *next = block_next(b);
    if (block_is_free(next)) {
        free_remove(h, next);
        b->size += block_size(next);
        next->size = STALE_HEADER;
        next = block_next(b);
        next->prev_phys = b;
    }
    struct heap_block *prev = b->prev_phys;
    if (prev != NULL && block_is_free(prev)) {
        free_remove(h, prev);
        prev->size += block_size(b);
        b->size = STALE_HEADER;
        b = prev;
        next->prev_phys = b;
    }
    free_insert(h, b);
}

/* Shrink @b (in use, in no list) to @size bytes when the tail can form a block. */
static void
block_trim(struct heap *h, struct heap_block *b, size_t size)
{
    size_t rest = block_size(b) - size;
    if (rest < MIN_BLOCK) {
        return;
    }
    struct heap_block *tail = (struct heap_block *)((char *)b + size);
    b->size = size;
    tail->size = rest;
    tail->prev_phys = b;
    block_next(tail)->prev_phys = tail;
    block_release(h, tail);
}

/* Cut the first @gap bytes of @b (in no list) into a free block of their own and
 * return the rest. The caller guarantees gap >= MIN_BLOCK and enough left over. */
static struct heap_block *
block_split_front(struct heap *h, struct heap_block *b, size_t gap)
{
    struct heap_block *rest = (struct heap_block *)((char *)b + gap);
    rest->size = block_size(b) - gap;
    rest->prev_phys = b;
    block_next(rest)->prev_phys = rest;
    b->size = gap;
    block_release(h, b);
    return rest;
}

static void
stats_note_low_water(struct heap *h)
{
    if (h->stats.free_bytes < h->stats.min_free_bytes) {
        h->stats.min_free_bytes = h->stats.free_bytes;
    }
}

/* Hand out @b (already out of its list), returning any surplus to the heap. */
static void *
block_claim(struct heap *h, struct heap_block *b, size_t need)
{
    block_trim(h, b, need);
    h->stats.allocated_blocks++;
    h->stats.alloc_count++;
    stats_note_low_water(h);
    return block_payload(b);
}

/* Block size for a request of @n payload bytes, or 0 when @n is 0 or too large. */
static size_t
request_size(size_t n)
{
    if (n == 0 || n > MAX_BLOCK - HDR) {
        return 0;
    }
    size_t need = ((n + HEAP_ALIGN - 1) & SIZE_MASK) + HDR;
    return need < MIN_BLOCK ? MIN_BLOCK : need;
}

/* The block whose payload is @p if it is a live allocation of @h, else NULL with
 * *err set: -EFAULT when the header says free (a double free, including of a block
 * since merged into a neighbour), -EINVAL for anything else. Every check is O(1):
 * the neighbours must point back at the block, which a stray pointer or a stale
 * header almost never satisfies. */
static struct heap_block *
block_lookup(const struct heap *h, const void *p, int *err)
{
    uintptr_t addr = (uintptr_t)p;
    *err = -EINVAL;
    if (addr < (uintptr_t)h->first + HDR || addr > (uintptr_t)h->sentinel ||
        addr % HEAP_ALIGN != 0) {
        return NULL;
    }
    const struct heap_block *b = (const struct heap_block *)(addr - HDR);
    if (block_is_free(b)) {
        bool is_block = block_is_plausible(h, b) && block_next(b)->prev_phys == b;
        if (b->size == STALE_HEADER || is_block) {
            *err = -EFAULT;
        }
        return NULL;
    }
    if (!block_is_plausible(h, b) || b->size % HEAP_ALIGN != 0 ||
        block_next(b)->prev_phys != b) {
        return NULL;
    }
    const struct heap_block *prev = b->prev_phys;
    if (prev == NULL ? b != h->first
                     : !block_is_plausible(h, prev) || block_next(prev) != b) {
        return NULL;
    }
    return (struct heap_block *)b;
}

int
heap_init(struct heap *h, void *mem, size_t size)
{
    if (h == NULL || mem == NULL || (uintptr_t)mem + size < (uintptr_t)mem) {
        return -EINVAL;
    }
    uintptr_t start = align_up((uintptr_t)mem, HEAP_ALIGN);
    uintptr_t end = ((uintptr_t)mem + size) & SIZE_MASK;
    if (end < start || end - start < MIN_BLOCK + HDR) {
        return -EINVAL;
    }
    /* One free block spans the area; a header-only sentinel closes it so that
     * every real block has an upper neighbour to look at. */
    size_t span = end - start - HDR;
    if (span > MAX_BLOCK) {
        span = MAX_BLOCK;
    }
    memset(h, 0, sizeof(*h));
    h->first = (struct heap_block *)((char *)mem + (start - (uintptr_t)mem));
    h->first->prev_phys = NULL;
    h->first->size = span;
    h->sentinel = block_next(h->first);
    h->sentinel->prev_phys = h->first;
    h->sentinel->size = 0;
    free_insert(h, h->first);
    h->stats.total_bytes = span;
    h->stats.min_free_bytes = span;
    return 0;
}

void *
heap_alloc(struct heap *h, size_t size)
{
    if (h == NULL || size == 0) {
        return NULL;
    }
    size_t need = request_size(size);
    struct heap_block *b = need != 0 ? free_find(h, need) : NULL;
    if (b == NULL) {
        h->stats.failed_allocs++;
        return NULL;
    }
    free_remove(h, b);
    return block_claim(h, b, need);
}

void *
heap_alloc_aligned(struct heap *h, size_t align, size_t size)
{
    if (h == NULL || size == 0) {
        return NULL;
    }
    if (align <= HEAP_ALIGN && align != 0 && (align & (align - 1)) == 0) {
        return heap_alloc(h, size);
    }
    size_t need = request_size(size);
    /* Take a block with room for a leading gap that can stand as a free block. */
    size_t slack = align + MIN_BLOCK;
    bool valid = align != 0 && (align & (align - 1)) == 0 && align <= MAX_BLOCK / 2;
    struct heap_block *b = NULL;
    if (valid && need != 0 && need <= MAX_BLOCK - slack) {
        b = free_find(h, need + slack);
    }
    if (b == NULL) {
        h->stats.failed_allocs++;
        return NULL;
    }
    free_remove(h, b);
    uintptr_t payload = (uintptr_t)block_payload(b);
    uintptr_t aligned = align_up(payload, align);
    if (aligned != payload && aligned - payload < MIN_BLOCK) {
        aligned = align_up(payload + MIN_BLOCK, align);
    }
    if (aligned != payload) {
        b = block_split_front(h, b, aligned - payload);
    }
    return block_claim(h, b, need);
}

/* Make @b (in use) at least @need bytes by absorbing a free upper neighbour. */
static bool
block_grow_in_place(struct heap *h, struct heap_block *b, size_t need)
{
    if (block_size(b) >= need) {
        return true;
    }
    struct heap_block *next = block_next(b);
    if (!block_is_free(next) || block_size(b) + block_size(next) < need) {
        return false;
    }
    free_remove(h, next);
    b->size += block_size(next);
    next->size = STALE_HEADER;
    block_next(b)->prev_phys = b;
    return true;
}

void *
heap_realloc(struct heap *h, void *p, size_t size)
{
    if (p == NULL) {
        return heap_alloc(h, size);
    }
    if (h == NULL) {
        return NULL;
    }
    if (size == 0) {
        heap_free(h, p);
        return NULL;
    }
    int err;
    struct heap_block *b = block_lookup(h, p, &err);
    if (b == NULL) {
        h->stats.bad_frees++;
        return NULL;
    }
    size_t need = request_size(size);
    if (need == 0) {
        h->stats.failed_allocs++;
        return NULL;
    }
    if (block_grow_in_place(h, b, need)) {
        block_trim(h, b, need);
        stats_note_low_water(h);
        return p;
    }
    void *q = heap_alloc(h, size);
    if (q != NULL) {
        memcpy(q, p, block_size(b) - HDR); /* old payload < size, else grown in place */
        heap_free(h, p);
    }
    return q;
}

int
heap_free(struct heap *h, void *p)
{
    if (p == NULL) {
        return 0;
    }
    if (h == NULL) {
        return -EINVAL;
    }
    int err;
    struct heap_block *b = block_lookup(h, p, &err);
    if (b == NULL) {
        h->stats.bad_frees++;
        return err;
    }
    h->stats.allocated_blocks--;
    h->stats.free_count++;
    block_release(h, b);
    return 0;
}

bool
heap_owns(const struct heap *h, const void *p)
{
    int err;
    return h != NULL && p != NULL && block_lookup(h, p, &err) != NULL;
}

/* The largest free block lives in the highest non-empty list; scanning that one
 * list is bounded by its length, acceptable for a statistics call. */
static size_t
largest_free_block(const struct heap *h)
{
    if (h->fl_bitmap == 0) {
        return 0;
    }
    unsigned fl = 31u - (unsigned)__builtin_clz(h->fl_bitmap);
    unsigned sl = 31u - (unsigned)__builtin_clz(h->sl_bitmap[fl]);
    size_t best = 0;
    for (const struct heap_block *b = h->free[fl][sl]; b != NULL; b = b->next_free) {
        if (block_size(b) > best) {
            best = block_size(b);
        }
    }
    return best;
}

int
heap_stats(struct heap *h, struct pica_heap_stats *st)
{
    if (h == NULL || st == NULL) {
        return -EINVAL;
    }
    *st = h->stats;
    st->used_bytes = h->stats.total_bytes - h->stats.free_bytes;
    st->largest_free_block = largest_free_block(h);
    return 0;
}

/* ---- heap_check(): O(n) verification of every invariant ---- */

struct heap_walk {
    size_t total_bytes;
    size_t free_bytes;
    size_t free_blocks;
    size_t used_blocks;
    size_t listed_blocks;
};

static int
check_fail(struct heap *h, const char *invariant)
{
    h->corruption = invariant;
    return -EFAULT;
}

/* Walk the blocks in address order from h->first to the sentinel. */
static int
check_blocks(struct heap *h, struct heap_walk *w)
{
    const struct heap_block *prev = NULL;
    const struct heap_block *b = h->first;
    while (b != h->sentinel) {
        if (!block_is_plausible(h, b)) {
            return check_fail(h, "block size or position outside the area");
        }
        if ((b->size & ~SIZE_MASK & ~BLOCK_FREE) != 0) {
            return check_fail(h, "unknown flag bits in a header");
        }
        if (b->prev_phys != prev) {
            return check_fail(h, "prev_phys does not point to the lower neighbour");
        }
        if (block_is_free(b)) {
            if (prev != NULL && block_is_free(prev)) {
                return check_fail(h, "two adjacent free blocks");
            }
            w->free_blocks++;
            w->free_bytes += block_size(b);
        } else {
            w->used_blocks++;
        }
        w->total_bytes += block_size(b);
        prev = b;
        b = block_next(b);
    }
    if (h->sentinel->size != 0 || h->sentinel->prev_phys != prev) {
        return check_fail(h, "sentinel header damaged");
    }
    return 0;
}

/* Check one free list: every node a free block of the right class whose neighbours
 * point back at it, with consistent back links. The node count is bounded by the
 * free blocks found in the address walk, so a cycle is reported, not looped on. */
static int
check_list(struct heap *h, unsigned fl, unsigned sl, struct heap_walk *w)
{
    const struct heap_block *prev = NULL;
    for (const struct heap_block *b = h->free[fl][sl]; b != NULL; b = b->next_free) {
        if (++w->listed_blocks > w->free_blocks) {
            return check_fail(h, "free lists hold more nodes than there are free blocks");
        }
        if (!block_is_plausible(h, b) || block_next(b)->prev_phys != b) {
            return check_fail(h, "free list node is not a block");
        }
        unsigned f, s;
        size_class(block_size(b), &f, &s);
        if (!block_is_free(b) || f != fl || s != sl) {
            return check_fail(h, "free list node is used or in the wrong class");
        }
        if (b->prev_free != prev) {
            return check_fail(h, "free list back link broken");
        }
        prev = b;
    }
    bool listed = h->free[fl][sl] != NULL;
    if (((h->sl_bitmap[fl] >> sl) & 1u) != (listed ? 1u : 0u)) {
        return check_fail(h, "second-level bit disagrees with its list");
    }
    return 0;
}

static int
check_lists(struct heap *h, struct heap_walk *w)
{
    if ((h->fl_bitmap >> HEAP_FL_COUNT) != 0) {
        return check_fail(h, "first-level bit beyond the last class");
    }
    for (unsigned fl = 0; fl < HEAP_FL_COUNT; fl++) {
        if (((h->fl_bitmap >> fl) & 1u) != (h->sl_bitmap[fl] != 0 ? 1u : 0u)) {
            return check_fail(h, "first-level bit disagrees with its second level");
        }
        if (HEAP_SL_COUNT < 32 && (h->sl_bitmap[fl] >> HEAP_SL_COUNT) != 0) {
            return check_fail(h, "second-level bit beyond the last class");
        }
        for (unsigned sl = 0; sl < HEAP_SL_COUNT; sl++) {
            int err = check_list(h, fl, sl, w);
            if (err != 0) {
                return err;
            }
        }
    }
    if (w->listed_blocks != w->free_blocks) {
        return check_fail(h, "a free block is missing from the free lists");
    }
    return 0;
}

int
heap_check(struct heap *h)
{
    if (h == NULL || h->first == NULL) {
        return -EINVAL;
    }
    h->corruption = NULL;
    struct heap_walk w = { 0 };
    int err = check_blocks(h, &w);
    if (err == 0) {
        err = check_lists(h, &w);
    }
    if (err != 0) {
        return err;
    }
    const struct pica_heap_stats *st = &h->stats;
    if (w.total_bytes != st->total_bytes || w.free_bytes != st->free_bytes) {
        return check_fail(h, "block sizes do not add up to the totals");
    }
    if (w.used_blocks != st->allocated_blocks || st->min_free_bytes > st->free_bytes) {
        return check_fail(h, "statistics disagree with the blocks");
    }
    return 0;
}
