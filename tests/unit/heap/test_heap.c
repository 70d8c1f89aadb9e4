/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the TLSF heap (kernel/heap.c): alignment, splitting, coalescing,
 * exhaustion, realloc, refused frees, heap_check() catching corruption, and a
 * 1,000,000-operation random stress against a shadow model of every live block.
 */
#include <errno.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "heap.h"

#define AREA_SIZE (64 * 1024)

/* One area per test: cmocka runs tests one after another. */
static _Alignas(16) unsigned char area[AREA_SIZE];
static struct heap heap;

static int
setup(void **state)
{
    (void)state;
    memset(area, 0xa5, sizeof(area));
    return heap_init(&heap, area, sizeof(area));
}

static struct pica_heap_stats
stats(void)
{
    struct pica_heap_stats st;
    assert_int_equal(heap_stats(&heap, &st), 0);
    return st;
}

/* Fails with the name of the broken invariant rather than just a code. */
static void
assert_heap_ok(struct heap *h)
{
    int err = heap_check(h);
    if (err != 0) {
        fail_msg("heap_check: %d (%s)", err, h->corruption ? h->corruption : "?");
    }
}

static void
test_heap_init_rejects_null_or_tiny_area(void **state)
{
    (void)state;
    struct heap h;
    assert_int_equal(heap_init(NULL, area, sizeof(area)), -EINVAL);
    assert_int_equal(heap_init(&h, NULL, sizeof(area)), -EINVAL);
    assert_int_equal(heap_init(&h, area, 0), -EINVAL);
    assert_int_equal(heap_init(&h, area, 8), -EINVAL);
    assert_int_equal(heap_init(&h, area, 256), 0);
    assert_heap_ok(&h);
}

static void
test_heap_init_trims_unaligned_area(void **state)
{
    (void)state;
    struct heap h;
    assert_int_equal(heap_init(&h, area + 3, 1000), 0);
    assert_heap_ok(&h);
    struct pica_heap_stats st;
    heap_stats(&h, &st);
    /* Start rounded up to area + 8, end rounded down to area + 1000. */
    assert_true(st.total_bytes <= 1000 - 8);
    assert_int_equal(st.total_bytes % 8, 0);
    assert_int_equal(st.free_bytes, st.total_bytes);
    assert_int_equal(st.largest_free_block, st.total_bytes);
    void *p = heap_alloc(&h, 100);
    assert_non_null(p);
    assert_true((unsigned char *)p >= area + 8 && (unsigned char *)p + 100 <= area + 1000);
}

static void
test_heap_init_caps_area_at_largest_block(void **state)
{
    (void)state;
    size_t max_block = ((size_t)1 << PICA_CFG_HEAP_MAX_LOG2) - 8;
    unsigned char *mem = malloc(max_block + 4096);
    assert_non_null(mem);
    struct heap h;
    assert_int_equal(heap_init(&h, mem, max_block + 4096), 0);
    struct pica_heap_stats st;
    heap_stats(&h, &st);
    assert_int_equal(st.total_bytes, max_block);
    /* Rounding this request up leaves the class table: the exact-class head serves it. */
    void *p = heap_alloc(&h, max_block - 2 * sizeof(void *));
    assert_non_null(p);
    assert_null(heap_alloc(&h, max_block));
    assert_int_equal(heap_free(&h, p), 0);
    assert_heap_ok(&h);
    free(mem);
}

static void
test_heap_alloc_returns_aligned_block(void **state)
{
    (void)state;
    for (size_t n = 1; n < 300; n++) {
        void *p = heap_alloc(&heap, n);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % 8, 0);
        assert_true(heap_owns(&heap, p));
        memset(p, 0x5a, n); /* ASan reports if the block is outside the area */
    }
    assert_heap_ok(&heap);
}

static void
test_heap_alloc_zero_returns_null(void **state)
{
    (void)state;
    assert_null(heap_alloc(&heap, 0));
    assert_null(heap_alloc_aligned(&heap, 64, 0));
    assert_int_equal(stats().alloc_count, 0);
}

static void
test_heap_alloc_blocks_do_not_overlap(void **state)
{
    (void)state;
    unsigned char *p[64];
    for (int i = 0; i < 64; i++) {
        p[i] = heap_alloc(&heap, (size_t)(i * 7 + 1));
        assert_non_null(p[i]);
        memset(p[i], i, (size_t)(i * 7 + 1));
    }
    for (int i = 0; i < 64; i++) {
        for (int j = 0; j < i * 7 + 1; j++) {
            assert_int_equal(p[i][j], i);
        }
    }
    assert_heap_ok(&heap);
}

static void
test_heap_free_null_is_noop(void **state)
{
    (void)state;
    struct pica_heap_stats before = stats();
    assert_int_equal(heap_free(&heap, NULL), 0);
    struct pica_heap_stats after = stats();
    assert_memory_equal(&before, &after, sizeof(before));
}

static void
test_heap_free_coalesces_neighbours(void **state)
{
    (void)state;
    void *a = heap_alloc(&heap, 1000);
    void *b = heap_alloc(&heap, 1000);
    void *c = heap_alloc(&heap, 1000);
    /* Take all the rest, so the only free memory is what this test frees. */
    void *rest = heap_alloc(&heap, stats().largest_free_block - 2 * sizeof(void *));
    assert_non_null(rest);
    assert_int_equal(stats().free_bytes, 0);
    size_t abc = (size_t)((char *)rest - (char *)a); /* a, b and c, headers included */
    /* a and c leave two holes separated by b. */
    assert_int_equal(heap_free(&heap, a), 0);
    assert_int_equal(heap_free(&heap, c), 0);
    assert_heap_ok(&heap);
    assert_int_equal(stats().largest_free_block, abc / 3);
    assert_null(heap_alloc(&heap, 2000));
    /* Freeing b merges it with both neighbours into one block. */
    assert_int_equal(heap_free(&heap, b), 0);
    assert_heap_ok(&heap);
    assert_int_equal(stats().largest_free_block, abc);
    assert_int_equal(stats().free_bytes, abc);
    assert_ptr_equal(heap_alloc(&heap, 3000), a);
    assert_int_equal(heap_free(&heap, a), 0);
    assert_int_equal(heap_free(&heap, rest), 0);
    assert_heap_ok(&heap);
    assert_int_equal(stats().largest_free_block, stats().total_bytes);
}

static void
test_heap_freed_block_is_reused(void **state)
{
    (void)state;
    void *a = heap_alloc(&heap, 200);
    void *b = heap_alloc(&heap, 200);
    assert_non_null(b);
    assert_int_equal(heap_free(&heap, a), 0);
    assert_ptr_equal(heap_alloc(&heap, 200), a);
}

static void
test_heap_double_free_is_refused(void **state)
{
    (void)state;
    void *a = heap_alloc(&heap, 64);
    void *b = heap_alloc(&heap, 64);
    void *c = heap_alloc(&heap, 64);
    assert_non_null(c);
    assert_int_equal(heap_free(&heap, b), 0);
    struct pica_heap_stats before = stats();
    assert_int_equal(heap_free(&heap, b), -EFAULT);
    assert_heap_ok(&heap);
    /* b is now merged into a free a: its old header is stale, still refused. */
    assert_int_equal(heap_free(&heap, a), 0);
    assert_int_equal(heap_free(&heap, b), -EFAULT);
    assert_int_equal(heap_free(&heap, a), -EFAULT);
    assert_heap_ok(&heap);
    struct pica_heap_stats after = stats();
    assert_int_equal(after.bad_frees, before.bad_frees + 3);
    assert_int_equal(after.free_count, before.free_count + 1);
    assert_int_equal(after.allocated_blocks, 1);
    assert_false(heap_owns(&heap, a));
    assert_true(heap_owns(&heap, c));
}

static void
test_heap_foreign_pointer_is_refused(void **state)
{
    (void)state;
    int local;
    static _Alignas(16) unsigned char other_area[1024];
    struct heap other;
    assert_int_equal(heap_init(&other, other_area, sizeof(other_area)), 0);
    unsigned char *p = heap_alloc(&heap, 256);
    unsigned char *q = heap_alloc(&other, 64);
    assert_non_null(p);
    assert_non_null(q);
    assert_int_equal(heap_free(&heap, &local), -EINVAL);
    assert_int_equal(heap_free(&heap, q), -EINVAL);
    assert_int_equal(heap_free(&heap, p + 1), -EINVAL);
    assert_int_equal(heap_free(&heap, p + 64), -EINVAL);
    assert_int_equal(heap_free(&heap, area), -EINVAL);
    assert_int_equal(heap_free(&heap, area + sizeof(area)), -EINVAL);
    assert_int_equal(stats().bad_frees, 6);
    assert_int_equal(stats().allocated_blocks, 1);
    assert_false(heap_owns(&heap, q));
    assert_false(heap_owns(&heap, p + 64));
    assert_true(heap_owns(&other, q));
    assert_heap_ok(&heap);
    assert_heap_ok(&other);
    assert_int_equal(heap_free(&heap, p), 0);
}

static void
test_heap_exhaustion_returns_null(void **state)
{
    (void)state;
    static void *blocks[AREA_SIZE / 32];
    size_t n = 0;
    while ((blocks[n] = heap_alloc(&heap, 100)) != NULL) {
        n++;
        assert_true(n < sizeof(blocks) / sizeof(blocks[0]));
    }
    struct pica_heap_stats st = stats();
    assert_int_equal(st.failed_allocs, 1);
    assert_int_equal(st.allocated_blocks, n);
    assert_true(st.largest_free_block < 100);
    assert_true(st.min_free_bytes == st.free_bytes);
    assert_heap_ok(&heap);
    /* All of it comes back, as one block. */
    for (size_t i = 0; i < n; i += 2) {
        assert_int_equal(heap_free(&heap, blocks[i]), 0);
    }
    for (size_t i = 1; i < n; i += 2) {
        assert_int_equal(heap_free(&heap, blocks[i]), 0);
    }
    st = stats();
    assert_int_equal(st.free_bytes, st.total_bytes);
    assert_int_equal(st.largest_free_block, st.total_bytes);
    assert_true(st.min_free_bytes < 200);
    assert_non_null(heap_alloc(&heap, AREA_SIZE / 2));
    assert_heap_ok(&heap);
}

static void
test_heap_huge_request_fails_without_overflow(void **state)
{
    (void)state;
    assert_null(heap_alloc(&heap, SIZE_MAX));
    assert_null(heap_alloc(&heap, SIZE_MAX - 7));
    assert_null(heap_alloc(&heap, AREA_SIZE));
    assert_null(heap_alloc_aligned(&heap, 64, SIZE_MAX - 100));
    assert_null(heap_realloc(&heap, NULL, SIZE_MAX));
    assert_int_equal(stats().failed_allocs, 5);
    assert_heap_ok(&heap);
}

static void
test_heap_last_block_fits_exact_request(void **state)
{
    (void)state;
    /* Leave exactly one free block; a request of its full payload must succeed
     * even though good-fit rounding would look only at larger classes. */
    size_t whole = stats().largest_free_block;
    size_t payload = whole - 2 * sizeof(void *);
    void *p = heap_alloc(&heap, payload);
    assert_non_null(p);
    assert_int_equal(stats().free_bytes, 0);
    assert_null(heap_alloc(&heap, 1));
    assert_int_equal(heap_free(&heap, p), 0);
    assert_heap_ok(&heap);
}

static void
test_heap_aligned_alloc_honours_alignment(void **state)
{
    (void)state;
    void *pad = heap_alloc(&heap, 24); /* so the first free payload is misaligned */
    assert_non_null(pad);
    for (size_t align = 1; align <= 4096; align <<= 1) {
        for (size_t n = 1; n < 200; n += 37) {
            unsigned char *p = heap_alloc_aligned(&heap, align, n);
            assert_non_null(p);
            assert_int_equal((uintptr_t)p % align, 0);
            assert_true(heap_owns(&heap, p));
            memset(p, 0x11, n);
            assert_heap_ok(&heap);
            if (n % 2 == 0) {
                assert_int_equal(heap_free(&heap, p), 0);
            }
        }
    }
    assert_heap_ok(&heap);
}

static void
test_heap_aligned_alloc_rejects_bad_alignment(void **state)
{
    (void)state;
    assert_null(heap_alloc_aligned(&heap, 0, 16));
    assert_null(heap_alloc_aligned(&heap, 3, 16));
    assert_null(heap_alloc_aligned(&heap, 24, 16));
    assert_null(heap_alloc_aligned(&heap, (SIZE_MAX >> 1) + 1, 16));
    assert_int_equal(stats().failed_allocs, 4);
    assert_int_equal(stats().allocated_blocks, 0);
}

static void
test_heap_realloc_null_allocates_and_zero_frees(void **state)
{
    (void)state;
    void *p = heap_realloc(&heap, NULL, 40);
    assert_non_null(p);
    assert_int_equal(stats().allocated_blocks, 1);
    assert_null(heap_realloc(&heap, p, 0));
    assert_int_equal(stats().allocated_blocks, 0);
    assert_int_equal(stats().free_count, 1);
}

static void
test_heap_realloc_shrinks_in_place(void **state)
{
    (void)state;
    unsigned char *p = heap_alloc(&heap, 1000);
    void *next = heap_alloc(&heap, 16);
    assert_non_null(next);
    memset(p, 7, 1000);
    size_t free_before = stats().free_bytes;
    assert_ptr_equal(heap_realloc(&heap, p, 100), p);
    assert_true(stats().free_bytes >= free_before + 800);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(p[i], 7);
    }
    /* The released tail is usable right away. */
    void *q = heap_alloc(&heap, 800);
    assert_true((unsigned char *)q > p && (unsigned char *)q < (unsigned char *)next);
    assert_heap_ok(&heap);
}

static void
test_heap_realloc_grows_in_place_when_next_is_free(void **state)
{
    (void)state;
    unsigned char *p = heap_alloc(&heap, 100);
    void *q = heap_alloc(&heap, 500);
    void *guard = heap_alloc(&heap, 16);
    assert_non_null(guard);
    memset(p, 3, 100);
    assert_int_equal(heap_free(&heap, q), 0);
    assert_ptr_equal(heap_realloc(&heap, p, 550), p);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(p[i], 3);
    }
    memset(p, 4, 550);
    assert_heap_ok(&heap);
}

static void
test_heap_realloc_moves_and_keeps_contents(void **state)
{
    (void)state;
    unsigned char *p = heap_alloc(&heap, 100);
    void *guard = heap_alloc(&heap, 16);
    assert_non_null(guard);
    for (int i = 0; i < 100; i++) {
        p[i] = (unsigned char)i;
    }
    unsigned char *q = heap_realloc(&heap, p, 5000);
    assert_non_null(q);
    assert_ptr_not_equal(q, p);
    for (int i = 0; i < 100; i++) {
        assert_int_equal(q[i], i);
    }
    assert_false(heap_owns(&heap, p));
    assert_int_equal(stats().allocated_blocks, 2);
    assert_heap_ok(&heap);
}

static void
test_heap_realloc_failure_keeps_old_block(void **state)
{
    (void)state;
    unsigned char *p = heap_alloc(&heap, 100);
    void *guard = heap_alloc(&heap, 16);
    assert_non_null(guard);
    memset(p, 9, 100);
    assert_null(heap_realloc(&heap, p, AREA_SIZE));
    assert_true(heap_owns(&heap, p));
    for (int i = 0; i < 100; i++) {
        assert_int_equal(p[i], 9);
    }
    int local;
    assert_null(heap_realloc(&heap, &local, 10));
    assert_int_equal(stats().bad_frees, 1);
    assert_heap_ok(&heap);
}

static void
test_heap_stats_track_usage_and_minimum(void **state)
{
    (void)state;
    struct pica_heap_stats st = stats();
    assert_int_equal(st.used_bytes, 0);
    assert_int_equal(st.min_free_bytes, st.total_bytes);
    void *a = heap_alloc(&heap, 1000);
    void *b = heap_alloc(&heap, 2000);
    st = stats();
    assert_int_equal(st.allocated_blocks, 2);
    assert_int_equal(st.alloc_count, 2);
    assert_true(st.used_bytes >= 3000 && st.used_bytes <= 3000 + 4 * 16);
    assert_int_equal(st.free_bytes + st.used_bytes, st.total_bytes);
    size_t low = st.free_bytes;
    heap_free(&heap, a);
    heap_free(&heap, b);
    st = stats();
    assert_int_equal(st.free_count, 2);
    assert_int_equal(st.used_bytes, 0);
    assert_int_equal(st.min_free_bytes, low);
}

static void
test_heap_check_detects_corrupted_header(void **state)
{
    (void)state;
    unsigned char *a = heap_alloc(&heap, 64);
    unsigned char *b = heap_alloc(&heap, 64);
    assert_non_null(b);
    assert_heap_ok(&heap);
    size_t *size_word = (size_t *)(b - sizeof(size_t));
    size_t saved = *size_word;
    *size_word = saved + 8; /* a buffer overrun from a into b's header */
    assert_int_equal(heap_check(&heap), -EFAULT);
    assert_non_null(heap.corruption);
    /* A header that no longer links up is refused rather than trusted. */
    assert_int_equal(heap_free(&heap, b), -EINVAL);
    *size_word = saved;
    assert_heap_ok(&heap);
    void **prev_phys = (void **)(b - 2 * sizeof(void *));
    *prev_phys = a;
    assert_int_equal(heap_check(&heap), -EFAULT);
    *prev_phys = a - 2 * sizeof(void *);
    assert_heap_ok(&heap);
}

static void
test_heap_check_detects_broken_free_lists(void **state)
{
    (void)state;
    void *a = heap_alloc(&heap, 64);
    void *b = heap_alloc(&heap, 64);
    assert_non_null(b);
    heap_free(&heap, a);
    assert_heap_ok(&heap);
    uint32_t saved = heap.fl_bitmap;
    heap.fl_bitmap = 0;
    assert_int_equal(heap_check(&heap), -EFAULT);
    heap.fl_bitmap = saved;
    assert_heap_ok(&heap);
    heap.stats.free_bytes += 8;
    assert_int_equal(heap_check(&heap), -EFAULT);
    heap.stats.free_bytes -= 8;
    assert_heap_ok(&heap);
}

/* ---- random stress against a shadow model ---- */

#define STRESS_OPS    1000000
#define STRESS_SLOTS  2048
#define STRESS_AREA   (1024 * 1024)
#define CHECK_EVERY   1000

struct shadow {
    unsigned char *p;
    size_t size;
    uint32_t tag; /* written at the start of the block, the rest is filled with fill */
    unsigned char fill;
};

static uint64_t rng_state;

static uint32_t
rng(void)
{
    /* xorshift64*: reproducible across hosts for a given seed. */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return (uint32_t)((rng_state * 0x2545f4914f6cdd1dull) >> 32);
}

/* Mostly small blocks, some medium, a few large: roughly what a kernel sees. */
static size_t
random_size(void)
{
    uint32_t r = rng() % 100;
    if (r < 70) {
        return 1 + rng() % 64;
    }
    if (r < 95) {
        return 65 + rng() % 960;
    }
    return 1025 + rng() % 15360;
}

static void
shadow_fill(struct shadow *s, uint32_t tag)
{
    s->tag = tag;
    s->fill = (unsigned char)(tag * 131u + 7u);
    size_t head = s->size < sizeof(tag) ? s->size : sizeof(tag);
    memcpy(s->p, &tag, head);
    memset(s->p + head, s->fill, s->size - head);
}

/* All bytes of @n equal @c, using memcmp so the check stays fast under ASan. */
static int
bytes_all(const unsigned char *p, unsigned char c, size_t n)
{
    return n == 0 || (p[0] == c && memcmp(p, p + 1, n - 1) == 0);
}

static void
shadow_verify(const struct shadow *s, size_t n)
{
    size_t head = n < sizeof(s->tag) ? n : sizeof(s->tag);
    if (memcmp(s->p, &s->tag, head) != 0 || !bytes_all(s->p + head, s->fill, n - head)) {
        fail_msg("block %p (tag %" PRIu32 ", %zu bytes) was overwritten", (void *)s->p,
                 s->tag, s->size);
    }
}

struct stress_counts {
    unsigned long allocs, frees, reallocs, failures;
};

static void
stress_step(struct heap *h, struct shadow *s, uint32_t tag, struct stress_counts *c)
{
    uint32_t op = rng() % 8;
    if (s->p == NULL) {
        size_t n = random_size();
        size_t align = (op == 0) ? (size_t)16 << (rng() % 6) : 0;
        s->p = align ? heap_alloc_aligned(h, align, n) : heap_alloc(h, n);
        c->allocs++;
        if (s->p == NULL) {
            c->failures++;
            return;
        }
        assert_int_equal((uintptr_t)s->p % (align ? align : 8), 0);
        s->size = n;
        shadow_fill(s, tag);
    } else if (op < 5) {
        shadow_verify(s, s->size);
        assert_int_equal(heap_free(h, s->p), 0);
        s->p = NULL;
        c->frees++;
    } else {
        size_t n = random_size();
        shadow_verify(s, s->size);
        unsigned char *q = heap_realloc(h, s->p, n);
        c->reallocs++;
        if (q == NULL) {
            c->failures++;
            return;
        }
        s->p = q;
        s->size = s->size < n ? s->size : n;
        shadow_verify(s, s->size); /* realloc kept the common prefix */
        s->size = n;
        shadow_fill(s, tag);
    }
}

static void
test_heap_random_stress_keeps_invariants(void **state)
{
    (void)state;
    static struct shadow slots[STRESS_SLOTS];
    unsigned char *mem = malloc(STRESS_AREA);
    assert_non_null(mem);
    struct heap h;
    assert_int_equal(heap_init(&h, mem, STRESS_AREA), 0);
    memset(slots, 0, sizeof(slots));
    rng_state = 0x9e3779b97f4a7c15ull;
    struct stress_counts c = { 0 };
    for (uint32_t i = 1; i <= STRESS_OPS; i++) {
        stress_step(&h, &slots[rng() % STRESS_SLOTS], i, &c);
        if (i % CHECK_EVERY == 0) {
            assert_heap_ok(&h);
        }
    }
    assert_heap_ok(&h);
    struct pica_heap_stats st;
    heap_stats(&h, &st);
    printf("heap stress: %d ops: %lu allocs, %lu reallocs, %lu frees, %lu failed (%" PRIu32
           " counted)\n",
           STRESS_OPS, c.allocs, c.reallocs, c.frees, c.failures, st.failed_allocs);
    printf("heap stress: %" PRIu32 " live blocks, %zu of %zu bytes free, min ever free %zu\n",
           st.allocated_blocks, st.free_bytes, st.total_bytes, st.min_free_bytes);
    printf("heap stress: largest free block %zu = %.1f%% of free bytes (fragmentation %.1f%%)\n",
           st.largest_free_block, 100.0 * (double)st.largest_free_block / (double)st.free_bytes,
           100.0 - 100.0 * (double)st.largest_free_block / (double)st.free_bytes);
    for (size_t i = 0; i < STRESS_SLOTS; i++) {
        if (slots[i].p != NULL) {
            shadow_verify(&slots[i], slots[i].size);
            assert_int_equal(heap_free(&h, slots[i].p), 0);
        }
    }
    heap_stats(&h, &st);
    assert_int_equal(st.largest_free_block, st.total_bytes);
    assert_int_equal(st.bad_frees, 0);
    assert_int_equal(st.alloc_count - st.free_count, 0);
    assert_heap_ok(&h);
    free(mem);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_heap_init_rejects_null_or_tiny_area),
        cmocka_unit_test(test_heap_init_trims_unaligned_area),
        cmocka_unit_test(test_heap_init_caps_area_at_largest_block),
        cmocka_unit_test_setup(test_heap_alloc_returns_aligned_block, setup),
        cmocka_unit_test_setup(test_heap_alloc_zero_returns_null, setup),
        cmocka_unit_test_setup(test_heap_alloc_blocks_do_not_overlap, setup),
        cmocka_unit_test_setup(test_heap_free_null_is_noop, setup),
        cmocka_unit_test_setup(test_heap_free_coalesces_neighbours, setup),
        cmocka_unit_test_setup(test_heap_freed_block_is_reused, setup),
        cmocka_unit_test_setup(test_heap_double_free_is_refused, setup),
        cmocka_unit_test_setup(test_heap_foreign_pointer_is_refused, setup),
        cmocka_unit_test_setup(test_heap_exhaustion_returns_null, setup),
        cmocka_unit_test_setup(test_heap_huge_request_fails_without_overflow, setup),
        cmocka_unit_test_setup(test_heap_last_block_fits_exact_request, setup),
        cmocka_unit_test_setup(test_heap_aligned_alloc_honours_alignment, setup),
        cmocka_unit_test_setup(test_heap_aligned_alloc_rejects_bad_alignment, setup),
        cmocka_unit_test_setup(test_heap_realloc_null_allocates_and_zero_frees, setup),
        cmocka_unit_test_setup(test_heap_realloc_shrinks_in_place, setup),
        cmocka_unit_test_setup(test_heap_realloc_grows_in_place_when_next_is_free, setup),
        cmocka_unit_test_setup(test_heap_realloc_moves_and_keeps_contents, setup),
        cmocka_unit_test_setup(test_heap_realloc_failure_keeps_old_block, setup),
        cmocka_unit_test_setup(test_heap_stats_track_usage_and_minimum, setup),
        cmocka_unit_test_setup(test_heap_check_detects_corrupted_header, setup),
        cmocka_unit_test_setup(test_heap_check_detects_broken_free_lists, setup),
        cmocka_unit_test(test_heap_random_stress_keeps_invariants),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
