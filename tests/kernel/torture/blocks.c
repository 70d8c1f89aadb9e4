/* SPDX-License-Identifier: MIT */
/* The torture test's pools: no block is handed out twice, nor written by
 * anyone but its owner while owned. A bit per block says who owns it,
 * changed under pica_irq_lock() together with the kernel call, so that
 * threads, handlers and a killed drifter's reaper agree on it. */
#include <pica/test.h>

#include "torture.h"

struct pica_pool tt_pool[TT_POOLS];

/* Pools: 32-byte blocks (a power of two: the inline free's shift path)
 * and 20-byte ones (its division path); a bit per block says who owns it. */
PICA_POOL_BUF_DEFINE(pool0_buf, 32, 12);
PICA_POOL_BUF_DEFINE(pool1_buf, 20, 6);
static char *const pool_buf[TT_POOLS] = {(char *)pool0_buf, (char *)pool1_buf};
static const uint32_t pool_count[TT_POOLS] = {12, 6};
static const size_t pool_block[TT_POOLS] = {PICA_POOL_BLOCK_SIZE(32), PICA_POOL_BLOCK_SIZE(20)};
static uint32_t pool_owned[TT_POOLS];
static uint32_t pool_serial;

static int
pool_index(unsigned pool, const void *blk)
{
    size_t off = (size_t)((const char *)blk - pool_buf[pool]);
    if ((const char *)blk < pool_buf[pool] || off % pool_block[pool] != 0 ||
        off / pool_block[pool] >= pool_count[pool]) {
        return -1;
    }
    return (int)(off / pool_block[pool]);
}

int
tt_pool_alloc(unsigned id, unsigned pool, pica_timeout_t t)
{
    struct tt_ctx *c = &tt_ctx[id];
    void *blk = &blk; /* must become the block or NULL */
    int r = pica_pool_alloc_err(&tt_pool[pool], &blk, t);
    TT_CHECK_WAIT(r, t);
    if (r != 0) {
        TT_CHECK(blk == NULL);
        c->n.pool_misses++;
        return r;
    }
    int i = pool_index(pool, blk);
    TT_CHECK(i >= 0 && c->pool_n < TT_POOL_HOLD);
    if (i < 0 || c->pool_n >= TT_POOL_HOLD) {
        return -EFAULT;
    }
    unsigned key = pica_irq_lock();
    TT_CHECK((pool_owned[pool] & (1u << i)) == 0); /* someone else has it */
    pool_owned[pool] |= 1u << i;
    c->pool_held[c->pool_n].blk = blk;
    c->pool_held[c->pool_n].pool = pool;
    c->pool_n++;
    c->n.pool_allocs++;
    pica_irq_unlock(key);
    return 0;
}

/* Fill held block @i with its owner and a serial number, and the rest with
 * a pattern derived from them. */
void
tt_pool_tag(unsigned id, unsigned i)
{
    struct tt_pool_ref *ref = &tt_ctx[id].pool_held[i];
    uint32_t *w = ref->blk;
    unsigned key = pica_irq_lock();
    uint32_t tag = id | ++pool_serial << 8;
    pica_irq_unlock(key);
    w[0] = tag;
    for (size_t k = 1; k < pool_block[ref->pool] / 4; k++) {
        w[k] = tt_mix(tag + (uint32_t)k);
    }
}

void
tt_pool_free(unsigned id, unsigned i, bool check_tag)
{
    struct tt_ctx *c = &tt_ctx[id];
    struct tt_pool_ref ref = c->pool_held[i];
    const uint32_t *w = ref.blk;
    if (check_tag) {
        TT_CHECK_EQ(w[0] & 0xffu, id);
        for (size_t k = 1; k < pool_block[ref.pool] / 4; k++) {
            TT_CHECK_EQ(w[k], tt_mix(w[0] + (uint32_t)k));
        }
    }
    int b = pool_index(ref.pool, ref.blk);
    /* Ownership, the free and the count change together: a drifter killed
     * around them leaves the block either held (its reaper frees it) or
     * free, never both. */
    unsigned key = pica_irq_lock();
    TT_CHECK(pool_owned[ref.pool] & (1u << b));
    pool_owned[ref.pool] &= ~(1u << b);
    TT_CHECK_EQ(pica_pool_free(&tt_pool[ref.pool], ref.blk), 0);
    c->pool_held[i] = c->pool_held[--c->pool_n];
    c->n.pool_frees++;
    pica_irq_unlock(key);
}

void
tt_pools_init(void)
{
    for (unsigned p = 0; p < TT_POOLS; p++) {
        pica_assert_eq(pica_pool_init(&tt_pool[p], pool_buf[p], pool_block[p], pool_count[p]), 0);
    }
}

/* With every block returned. */
void
tt_pools_check(void)
{
    for (unsigned p = 0; p < TT_POOLS; p++) {
        TT_CHECK_EQ(pool_owned[p], 0);
        TT_CHECK_EQ(pica_pool_free_count(&tt_pool[p]), pool_count[p]);
    }
}
