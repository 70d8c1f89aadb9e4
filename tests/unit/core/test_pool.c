/* SPDX-License-Identifier: MIT */
/* Block pools on the fake port: an allocation waits for a free, which hands
 * its block straight to the most urgent waiter; waits time out on their
 * tick; interrupts allocate and free without waiting; a killed waiter
 * takes no block with it. */
#include <errno.h>
#include <pica/pool.h>
#include <pica/time.h>

#include "core_test.h"

#define BLOCKS 2

static struct pica_pool pool;
PICA_POOL_BUF_DEFINE(pool_buf, 32, BLOCKS);
static void *held[BLOCKS];

static void
setup(void)
{
    core_boot();
    assert_int_equal(pica_pool_init(&pool, pool_buf, 32, BLOCKS), 0);
}

static void
hog_entry(void *arg)
{
    (void)arg;
    for (int i = 0; i < BLOCKS; i++) {
        held[i] = pica_pool_alloc(&pool, PICA_NO_WAIT);
        assert_non_null(held[i]);
    }
    void *blk = NULL;
    assert_int_equal(pica_pool_alloc_err(&pool, &blk, PICA_TICKS(3)), -ETIMEDOUT);
    assert_null(blk);
    assert_int_equal(fake_now(), 3 * CORE_CPT);
    pica_sleep(2);
    core_trace("free");
    assert_int_equal(pica_pool_free(&pool, held[1]), 0);
    assert_int_equal(pica_pool_free(&pool, held[0]), 0);
}

static void
waiter_entry(void *arg)
{
    void *blk = pica_pool_alloc(&pool, PICA_TICKS(10));
    int which = -1; /* which of the blocks held before, or none */
    for (int i = 0; i < BLOCKS; i++) {
        if (blk == held[i]) {
            which = i;
        }
    }
    core_trace("%s:%d@%llu", (const char *)arg, which, (unsigned long long)core_tick());
}

static void
test_free_hands_its_block_to_the_most_urgent_waiter(void **state)
{
    (void)state;
    setup();
    core_spawn("hog", hog_entry, NULL, 5);
    core_spawn("low", waiter_entry, "low", 12);
    core_spawn("high", waiter_entry, "high", 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "free high:1@5 low:0@5");
    assert_int_equal(pica_pool_free_count(&pool), 0);
}

static void *isr_block;
static int isr_results[3];

static void
alloc_isr(void *arg)
{
    (void)arg;
    isr_results[0] = pica_pool_alloc_err(&pool, &isr_block, PICA_NO_WAIT);
    void *other;
    isr_results[1] = pica_pool_alloc_err(&pool, &other, PICA_TICKS(1));
}

static void
free_isr(void *arg)
{
    (void)arg;
    isr_results[2] = pica_pool_free(&pool, isr_block);
}

/* From tick 1, when one block is held and the other the first handler's. */
static void
late_waiter_entry(void *arg)
{
    (void)arg;
    pica_sleep(1);
    void *blk = pica_pool_alloc(&pool, PICA_TICKS(10));
    core_trace("waiter:%s@%llu", blk == isr_block ? "isr's" : "other",
               (unsigned long long)fake_now());
}

static void
test_isr_allocates_and_frees_without_waiting(void **state)
{
    (void)state;
    setup();
    held[0] = pica_pool_alloc(&pool, PICA_NO_WAIT);
    fake_irq_every(500, 0, alloc_isr, NULL);
    fake_irq_every(2500, 0, free_isr, NULL);
    core_spawn("waiter", late_waiter_entry, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_int_equal(isr_results[0], 0);
    assert_int_equal(isr_results[1], -EINVAL);
    assert_int_equal(isr_results[2], 0);
    assert_string_equal(core_traced(), "waiter:isr's@2500");
}

static struct pica_thread *doomed;

static void
killer_entry(void *arg)
{
    (void)arg;
    for (int i = 0; i < BLOCKS; i++) {
        held[i] = pica_pool_alloc(&pool, PICA_NO_WAIT);
    }
    pica_sleep(1);
    assert_int_equal(pica_thread_kill(doomed), 0);
    assert_int_equal(pica_pool_free(&pool, held[0]), 0);
    assert_int_equal(pica_pool_free_count(&pool), 1);
    assert_int_equal(pica_pool_free(&pool, held[0]), -EINVAL); /* double free */
}

static void
test_killed_waiter_takes_no_block(void **state)
{
    (void)state;
    setup();
    core_spawn("killer", killer_entry, NULL, 10);
    doomed = core_spawn("doomed", waiter_entry, "doomed", 11);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    assert_string_equal(core_traced(), "");
}

static const struct core_test tests[] = {
    CORE_TEST(test_free_hands_its_block_to_the_most_urgent_waiter),
    CORE_TEST(test_isr_allocates_and_frees_without_waiting),
    CORE_TEST(test_killed_waiter_takes_no_block),
};

CORE_TEST_MAIN(tests)
