/* SPDX-License-Identifier: MIT */
/* Fixed-block pools as threads observe them: distinct, aligned blocks inside
 * the buffer, exhaustion, blocking alloc woken by a free (priority order),
 * exact timeouts in ticks, refused frees (foreign, misaligned, double),
 * alloc and free from an interrupt handler, and argument checks. */
#include <errno.h>
#include <pica/irq.h>
#include <pica/pica.h>
#include <pica/pool.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <pica/timer.h>
#include <string.h>

#include "arch.h"

#define NTHREADS 4 /* of the test framework's workers */

/* Pointers compared as integers, so a failure prints both. */
#define assert_ptr_eq(a, b) pica_assert_eq((uintptr_t)(a), (uintptr_t)(b))

#define NBLOCKS 8
/* 12: not a power of two, so frees take the slow path's division; the
 * build also runs these tests with BLOCK=16 (the fast path's mask). */
#ifndef BLOCK
#define BLOCK 12
#endif

static struct pica_pool pool;
PICA_POOL_BUF_DEFINE(pool_buf, BLOCK, NBLOCKS);
static void *blocks[NBLOCKS];

/* Allocate every block of @pool without waiting. */
static void
drain(void)
{
    for (int i = 0; i < NBLOCKS; i++) {
        blocks[i] = pica_pool_alloc(&pool, PICA_NO_WAIT);
        pica_assert(blocks[i] != NULL);
    }
    pica_assert_eq(pica_pool_free_count(&pool), 0);
}

PICA_TEST(blocks_are_distinct_aligned_and_inside_the_buffer)
{
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    pica_assert_eq(pica_pool_free_count(&pool), NBLOCKS);
    size_t size = PICA_POOL_BLOCK_SIZE(BLOCK);
    pica_assert_eq(size % sizeof(void *), 0);
    drain();
    for (int i = 0; i < NBLOCKS; i++) {
        uintptr_t off = (uintptr_t)blocks[i] - (uintptr_t)pool_buf;
        pica_assert_lt(off, sizeof(pool_buf));
        pica_assert_le(off + size, sizeof(pool_buf));
        pica_assert_eq(off % size, 0);
        pica_assert_eq((uintptr_t)blocks[i] % sizeof(void *), 0);
        for (int j = 0; j < i; j++) {
            pica_assert(blocks[i] != blocks[j]);
        }
        memset(blocks[i], 0x10 + i, BLOCK);
    }
    /* Writing a whole block touches no other block. */
    for (int i = 0; i < NBLOCKS; i++) {
        for (int k = 0; k < BLOCK; k++) {
            pica_assert_eq(((unsigned char *)blocks[i])[k], 0x10 + i);
        }
    }
    for (int i = 0; i < NBLOCKS; i++) {
        pica_assert_eq(pica_pool_free(&pool, blocks[i]), 0);
    }
    pica_assert_eq(pica_pool_free_count(&pool), NBLOCKS);
}

PICA_TEST(odd_block_sizes_round_up_to_pointer_alignment)
{
    static struct pica_pool small;
    PICA_POOL_BUF_DEFINE(small_buf, 5, 3);
    pica_assert_eq(sizeof(small_buf), 3 * PICA_POOL_BLOCK_SIZE(5));
    pica_assert_eq(pica_pool_init(&small, small_buf, 5, 3), 0);
    char *a = pica_pool_alloc(&small, PICA_NO_WAIT);
    char *b = pica_pool_alloc(&small, PICA_NO_WAIT);
    char *c = pica_pool_alloc(&small, PICA_NO_WAIT);
    pica_assert(a != NULL && b != NULL && c != NULL);
    assert_ptr_eq(pica_pool_alloc(&small, PICA_NO_WAIT), NULL);
    pica_assert_eq(b - a, (long)PICA_POOL_BLOCK_SIZE(5));
    pica_assert_eq(c - b, (long)PICA_POOL_BLOCK_SIZE(5));
    /* One-byte blocks take two pointers (the free-list link and the
     * double-free marker), and a double free of one is still refused. */
    static struct pica_pool tiny;
    PICA_POOL_BUF_DEFINE(tiny_buf, 1, 2);
    pica_assert_eq(sizeof(tiny_buf), 2 * 2 * sizeof(void *));
    pica_assert_eq(pica_pool_init(&tiny, tiny_buf, 1, 2), 0);
    char *x = pica_pool_alloc(&tiny, PICA_NO_WAIT);
    char *y = pica_pool_alloc(&tiny, PICA_NO_WAIT);
    pica_assert(x != NULL && y != NULL && x != y);
    pica_assert_eq(y - x, (long)(2 * sizeof(void *)));
    pica_assert_eq(pica_pool_free(&tiny, x), 0);
    pica_assert_eq(pica_pool_free(&tiny, y), 0);
    pica_assert_eq(pica_pool_free(&tiny, y), -EINVAL);
    pica_assert_eq(pica_pool_free_count(&tiny), 2);
}

PICA_TEST(exhausted_pool_fails_without_waiting_until_a_free)
{
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    void *blk = (void *)1;
    assert_ptr_eq(pica_pool_alloc(&pool, PICA_NO_WAIT), NULL);
    pica_assert_eq(pica_pool_alloc_err(&pool, &blk, PICA_NO_WAIT), -EAGAIN);
    assert_ptr_eq(blk, NULL);
    pica_assert_eq(pica_pool_free(&pool, blocks[3]), 0);
    pica_assert_eq(pica_pool_free_count(&pool), 1);
    pica_assert_eq(pica_pool_alloc_err(&pool, &blk, PICA_NO_WAIT), 0);
    assert_ptr_eq(blk, blocks[3]);
    pica_assert_eq(pica_pool_free_count(&pool), 0);
}

static void
free_after_4_ticks(void *arg)
{
    pica_sleep(PICA_TICKS(4));
    pica_test_trace('f');
    pica_assert_eq(pica_pool_free(&pool, arg), 0);
}

PICA_TEST(blocking_alloc_gets_the_block_another_thread_frees)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    pica_assert_eq(pica_test_spawn(0, free_after_4_ticks, blocks[5], 20), 0);
    pica_tick_t t0 = pica_tick_now();
    void *blk = pica_pool_alloc(&pool, PICA_MS(1000));
    pica_test_trace('a');
    assert_ptr_eq(blk, blocks[5]);
    pica_assert_ge(pica_tick_now() - t0, 4);
    pica_assert(strcmp(pica_test_trace_get(), "fa") == 0);
    /* Handed over directly: it never went back on the free list. */
    pica_assert_eq(pica_pool_free_count(&pool), 0);
    pica_test_join_workers(1);
}

static const unsigned prio_of[NTHREADS] = {12, 8, 12, 10};
static void *got[NTHREADS];

static void
alloc_and_log(void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    got[i] = pica_pool_alloc(&pool, PICA_MS(1000));
    pica_test_trace((char)('A' + i));
}

PICA_TEST(blocked_allocs_are_served_by_priority_fifo_among_equals)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    for (unsigned i = 0; i < NTHREADS; i++) {
        pica_assert_eq(pica_test_spawn(i, alloc_and_log, (void *)(uintptr_t)i, prio_of[i]), 0);
    }
    pica_assert_eq(pica_test_trace_len(), 0);
    for (int k = 0; k < NTHREADS; k++) {
        pica_assert_eq(pica_pool_free(&pool, blocks[k]), 0);
    }
    pica_test_join_workers(NTHREADS);
    pica_assert(strcmp(pica_test_trace_get(), "BDAC") == 0);
    assert_ptr_eq(got[1], blocks[0]);
    assert_ptr_eq(got[3], blocks[1]);
    assert_ptr_eq(got[0], blocks[2]);
    assert_ptr_eq(got[2], blocks[3]);
    pica_assert_eq(pica_pool_free_count(&pool), 0);
}

PICA_TEST(alloc_times_out_after_exactly_the_ticks_asked)
{
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    for (int n = 1; n <= 10; n += 3) {
        void *blk = (void *)1;
        pica_tick_t t0 = pica_tick_now();
        pica_assert_eq(pica_pool_alloc_err(&pool, &blk, PICA_TICKS(n)), -ETIMEDOUT);
        pica_assert_eq(pica_tick_now() - t0, n);
        assert_ptr_eq(blk, NULL);
    }
    pica_tick_t t0 = pica_tick_now();
    assert_ptr_eq(pica_pool_alloc(&pool, PICA_TICKS(3)), NULL);
    pica_assert_eq(pica_tick_now() - t0, 3);
    /* A timed-out waiter is not handed a later free. */
    pica_assert_eq(pica_pool_free(&pool, blocks[0]), 0);
    pica_assert_eq(pica_pool_free_count(&pool), 1);
}

PICA_TEST(foreign_and_misaligned_frees_are_refused)
{
    static uint64_t elsewhere[4];
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    char *base = (char *)pool_buf;
    size_t size = PICA_POOL_BLOCK_SIZE(BLOCK);
    pica_assert_eq(pica_pool_free(&pool, NULL), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, elsewhere), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, (void *)((uintptr_t)base - size)), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, base + NBLOCKS * size), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, base + size + 4), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, base + 1), -EINVAL);
    pica_assert_eq(pica_pool_free(NULL, blocks[0]), -EINVAL);
    pica_assert_eq(pica_pool_free_count(&pool), 0);
    assert_ptr_eq(pica_pool_alloc(&pool, PICA_NO_WAIT), NULL);
}

PICA_TEST(double_free_is_refused)
{
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    pica_assert_eq(pica_pool_free(&pool, blocks[2]), 0);
    pica_assert_eq(pica_pool_free(&pool, blocks[2]), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, blocks[6]), 0);
    pica_assert_eq(pica_pool_free(&pool, blocks[2]), -EINVAL);
    pica_assert_eq(pica_pool_free(&pool, blocks[6]), -EINVAL);
    pica_assert_eq(pica_pool_free_count(&pool), 2);
    /* The free list is intact: exactly the two blocks come back. */
    void *a = pica_pool_alloc(&pool, PICA_NO_WAIT);
    void *b = pica_pool_alloc(&pool, PICA_NO_WAIT);
    pica_assert(a == blocks[6] && b == blocks[2]);
    assert_ptr_eq(pica_pool_alloc(&pool, PICA_NO_WAIT), NULL);
}

PICA_TEST(data_that_looks_like_the_free_marker_does_not_block_a_free)
{
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    /* Learn the marker a free block carries, then store exactly that in
     * the block while it is allocated again. */
    pica_assert_eq(pica_pool_free(&pool, blocks[4]), 0);
    uintptr_t marker = ((uintptr_t *)blocks[4])[1];
    assert_ptr_eq(pica_pool_alloc(&pool, PICA_NO_WAIT), blocks[4]);
    ((uintptr_t *)blocks[4])[1] = marker;
    pica_assert_eq(pica_pool_free(&pool, blocks[4]), 0);
    pica_assert_eq(pica_pool_free_count(&pool), 1);
    pica_assert_eq(pica_pool_free(&pool, blocks[4]), -EINVAL);
}

/* ---- interrupt handler ---- */

static unsigned test_irq;
static void *volatile isr_block;
static volatile int isr_alloc_result, isr_wait_result, isr_free_result;

static void
pool_isr(void *arg)
{
    (void)arg;
    void *blk;
    isr_wait_result = pica_pool_alloc_err(&pool, &blk, PICA_TICKS(1));
    if (isr_block != NULL) {
        isr_free_result = pica_pool_free(&pool, isr_block);
        isr_block = NULL;
    } else {
        isr_alloc_result = pica_pool_alloc_err(&pool, &blk, PICA_NO_WAIT);
        isr_block = blk;
    }
}

static void
alloc_forever_and_log(void *arg)
{
    void **out = arg;
    *out = pica_pool_alloc(&pool, PICA_FOREVER);
    pica_test_trace('w');
}

PICA_TEST(interrupt_handler_allocates_and_frees_without_waiting)
{
    unsigned lines = arch_irq_lines();
    test_irq = (lines < PICA_CFG_IRQ_MAX ? lines : PICA_CFG_IRQ_MAX) - 1u;
    pica_assert_eq(pica_irq_attach(test_irq, pool_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(test_irq), 0);
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    drain();
    pica_assert_eq(pica_pool_free(&pool, blocks[1]), 0);

    /* The handler takes the one free block, then finds none. */
    isr_block = NULL;
    pica_test_fire_irq(test_irq);
    pica_assert_eq(isr_wait_result, -EINVAL);
    pica_assert_eq(isr_alloc_result, 0);
    assert_ptr_eq(isr_block, blocks[1]);
    void *keep = isr_block;
    isr_block = NULL;
    pica_test_fire_irq(test_irq);
    pica_assert_eq(isr_alloc_result, -EAGAIN);
    assert_ptr_eq(isr_block, NULL);

    /* Its free goes straight to a thread waiting for a block. */
    static void *woken;
    pica_test_trace_reset();
    pica_assert_eq(pica_test_spawn(0, alloc_forever_and_log, &woken, 10), 0);
    pica_assert_eq(pica_test_trace_len(), 0);
    isr_block = keep;
    pica_test_fire_irq(test_irq);
    pica_assert_eq(isr_free_result, 0);
    pica_test_join_workers(1);
    pica_assert(strcmp(pica_test_trace_get(), "w") == 0);
    assert_ptr_eq(woken, keep);
    pica_assert_eq(pica_pool_free_count(&pool), 0);
    pica_assert_eq(pica_irq_detach(test_irq), 0);
}

/* A tick interrupt allocates and frees while the thread does the same in a
 * loop; wherever the interrupt lands (icount: anywhere, also inside the
 * fast paths' exclusive pairs) the free list stays whole: every block
 * comes back exactly once. */
static struct pica_timer churn_timer;
static void *isr_held[2];
static volatile uint32_t isr_allocs;

static void
churn_in_isr(void *arg)
{
    (void)arg;
    for (int i = 0; i < 2; i++) {
        if (isr_held[i] != NULL) {
            pica_assert_eq(pica_pool_free(&pool, isr_held[i]), 0);
            isr_held[i] = NULL;
        } else {
            isr_held[i] = pica_pool_alloc(&pool, PICA_NO_WAIT);
            isr_allocs += isr_held[i] != NULL;
        }
    }
}

PICA_TEST(fast_paths_keep_the_free_list_whole_under_interrupts)
{
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    isr_held[0] = isr_held[1] = NULL;
    isr_allocs = 0;
    pica_assert_eq(pica_timer_init_isr(&churn_timer, churn_in_isr, NULL), 0);
    pica_assert_eq(pica_timer_start(&churn_timer, 1, 1), 0);
    void *mine[3] = {NULL, NULL, NULL};
    uint32_t rounds = 0;
    pica_tick_t end = pica_tick_now() + 100;
    while (pica_tick_now() < end) {
        int i = (int)(rounds++ % 3u);
        if (mine[i] != NULL) {
            pica_assert_eq(pica_pool_free(&pool, mine[i]), 0);
            mine[i] = NULL;
        } else {
            mine[i] = pica_pool_alloc(&pool, PICA_NO_WAIT);
            pica_assert(mine[i] != NULL); /* at most 5 of 8 are ever out */
        }
    }
    pica_assert_eq(pica_timer_stop(&churn_timer), 0);
    pica_assert_gt(isr_allocs, 50);
    for (int i = 0; i < 3; i++) {
        if (mine[i] != NULL) {
            pica_assert_eq(pica_pool_free(&pool, mine[i]), 0);
        }
    }
    for (int i = 0; i < 2; i++) {
        if (isr_held[i] != NULL) {
            pica_assert_eq(pica_pool_free(&pool, isr_held[i]), 0);
        }
    }
    pica_assert_eq(pica_pool_free_count(&pool), NBLOCKS);
    drain(); /* NBLOCKS allocations succeed... */
    for (int i = 0; i < NBLOCKS; i++) {
        for (int j = i + 1; j < NBLOCKS; j++) {
            pica_assert(blocks[i] != blocks[j]); /* ...and all differ */
        }
    }
}

PICA_TEST(bad_arguments_are_refused_without_state_change)
{
    static struct pica_pool never_used;
    void *blk;
    pica_assert_eq(pica_pool_init(NULL, pool_buf, BLOCK, NBLOCKS), -EINVAL);
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    void *held = pica_pool_alloc(&pool, PICA_NO_WAIT);
    pica_assert(held != NULL);
    /* A failed init leaves the live pool as it was. */
    pica_assert_eq(pica_pool_init(&pool, NULL, BLOCK, NBLOCKS), -EINVAL);
    pica_assert_eq(pica_pool_init(&pool, pool_buf, 0, NBLOCKS), -EINVAL);
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, 0), -EINVAL);
    pica_assert_eq(pica_pool_init(&pool, (char *)pool_buf + 1, BLOCK, NBLOCKS), -EINVAL);
    pica_assert_eq(pica_pool_init(&pool, pool_buf, 0x40000000u, 0x40000000u), -EINVAL);
    pica_assert_eq(pica_pool_alloc_err(NULL, &blk, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_pool_alloc_err(&pool, NULL, PICA_NO_WAIT), -EINVAL);
    pica_assert_eq(pica_pool_alloc_err(&pool, &blk, -4), -EINVAL);
    assert_ptr_eq(pica_pool_alloc(NULL, PICA_NO_WAIT), NULL);
    pica_assert_eq(pica_pool_alloc_err(&never_used, &blk, PICA_FOREVER), -EINVAL);
    pica_assert_eq(pica_pool_free(&never_used, held), -EINVAL);
    pica_assert_eq(pica_pool_free_count(NULL), 0);
    pica_assert_eq(pica_pool_free_count(&pool), NBLOCKS - 1);
    pica_assert_eq(pica_pool_free(&pool, held), 0);
    pica_assert_eq(pica_pool_free_count(&pool), NBLOCKS);
}

PICA_TEST(named_pools_are_listed_in_naming_order_with_their_use)
{
    static struct pica_pool other;
    PICA_POOL_BUF_DEFINE(other_buf, 40, 3);
    struct pica_pool_info in;
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    pica_assert_eq(pica_pool_init(&other, other_buf, 40, 3), 0);
    pica_assert_eq(pica_pool_info_at(0, &in), -ENOENT); /* none named yet */
    pica_assert_eq(pica_pool_set_name(&pool, "first"), 0);
    pica_assert_eq(pica_pool_set_name(&other, "second"), 0);
    pica_assert_eq(pica_pool_set_name(&pool, "first-again"), 0); /* renamed, not listed twice */
    void *held = pica_pool_alloc(&other, PICA_NO_WAIT);
    pica_assert(held != NULL);
    pica_assert_eq(pica_pool_info_at(0, &in), 0);
    pica_assert_eq(strcmp(in.name, "first-again"), 0);
    pica_assert_eq(in.count, NBLOCKS);
    pica_assert_eq(in.free, NBLOCKS);
    pica_assert_eq(in.block_size, PICA_POOL_BLOCK_SIZE(BLOCK));
    pica_assert_eq(pica_pool_info_at(1, &in), 0);
    pica_assert_eq(strcmp(in.name, "second"), 0);
    pica_assert_eq(in.free, 2);
    pica_assert_eq(in.count, 3);
    pica_assert_eq(in.waiters, 0);
    pica_assert_eq(pica_pool_info_at(2, &in), -ENOENT);
    /* Init again keeps the name; unnaming takes it off the list. */
    pica_assert_eq(pica_pool_init(&pool, pool_buf, BLOCK, NBLOCKS), 0);
    pica_assert_eq(pica_pool_info_at(0, &in), 0);
    pica_assert_eq(strcmp(in.name, "first-again"), 0);
    pica_assert_eq(pica_pool_set_name(&pool, NULL), 0);
    pica_assert_eq(pica_pool_set_name(&pool, NULL), 0); /* not listed: nothing */
    pica_assert_eq(pica_pool_info_at(0, &in), 0);
    pica_assert_eq(strcmp(in.name, "second"), 0);
    pica_assert_eq(pica_pool_info_at(1, &in), -ENOENT);
    pica_assert_eq(pica_pool_set_name(&other, NULL), 0);
    pica_assert_eq(pica_pool_info_at(0, &in), -ENOENT);
    pica_assert_eq(pica_pool_set_name(NULL, "x"), -EINVAL);
    /* The table is bounded: one more than it holds is refused. */
    static struct pica_pool many[PICA_CFG_POOL_NAMES + 1];
    for (unsigned i = 0; i < PICA_CFG_POOL_NAMES; i++) {
        pica_assert_eq(pica_pool_set_name(&many[i], "many"), 0);
    }
    pica_assert_eq(pica_pool_set_name(&many[PICA_CFG_POOL_NAMES], "one more"), -ENOSPC);
    for (unsigned i = 0; i < PICA_CFG_POOL_NAMES; i++) {
        pica_assert_eq(pica_pool_set_name(&many[i], NULL), 0);
    }
    pica_assert_eq(pica_pool_info_at(0, NULL), -EINVAL);
    pica_assert_eq(pica_pool_free(&other, held), 0);
}

int
main(void)
{
    pica_test_run();
}
