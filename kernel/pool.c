/* SPDX-License-Identifier: MIT */
/* Fixed-block pools: the slow paths behind the inline alloc and free of
 * include/pica/pool.h, and set-up. A free block holds the next free block's
 * address in its first word and a marker in its second (blocks are at least
 * two pointers: PICA_POOL_FREE_MARK(its address)) that makes double frees
 * cheap to spot. The free list is empty whenever threads wait: a free with
 * waiters hands the block over directly instead of listing it. */
#include <pica/pool.h>

#include <errno.h>
#include <pica/panic.h>
#include <stdbool.h>

#include "arch.h"
#include "sched.h"
#include "waitq.h"

struct pool_free_block {
    struct pool_free_block *next;
    uintptr_t mark;
};

static uintptr_t
free_mark(const void *blk)
{
    return PICA_POOL_FREE_MARK(blk);
}

static void
pool_put_locked(struct pica_pool *p, void *blk)
{
    struct pool_free_block *b = blk;
    b->next = p->free_list;
    b->mark = free_mark(blk);
    p->free_list = b;
}

static void *
pool_take_locked(struct pica_pool *p)
{
    struct pool_free_block *b = p->free_list;
    p->free_list = b->next;
    b->mark = 0; /* so that freeing it once is not taken for a double free */
    return b;
}

/* @blk is the start of one of @p's blocks. */
static bool
pool_owns(const struct pica_pool *p, const void *blk)
{
    uintptr_t off = (uintptr_t)blk - (uintptr_t)p->buf; /* huge if below buf */
    return blk != NULL && off < (uintptr_t)p->block_size * p->count && off % p->block_size == 0;
}

/* @blk (one of @p's blocks) is on the free list. */
static bool
pool_is_free_locked(const struct pica_pool *p, const void *blk)
{
    if (((const struct pool_free_block *)blk)->mark != free_mark(blk)) {
        return false; /* every free block carries the mark */
    }
    /* The mark may also be user data that happens to match: confirm. */
    const struct pool_free_block *b = p->free_list;
    for (uint32_t i = 0; b != NULL && i < p->count; i++, b = b->next) {
        if (b == blk) {
            return true;
        }
    }
    return false;
}

int
pica_pool_init(struct pica_pool *p, void *buf, size_t block_size, uint32_t count)
{
    PICA_CHECK(p != NULL && buf != NULL && block_size != 0 && count != 0, -EINVAL);
    PICA_CHECK(((uintptr_t)buf & (sizeof(void *) - 1u)) == 0, -EINVAL);
    PICA_CHECK(block_size <= UINT32_MAX - sizeof(void *), -EINVAL);
    size_t size = PICA_POOL_BLOCK_SIZE(block_size);
    PICA_CHECK(size <= UINTPTR_MAX / count, -EINVAL);
    /* A buffer that would run past the end of memory is a bad pointer:
     * the free list below would be written through the wrap. */
    PICA_CHECK(size * count <= UINTPTR_MAX - (uintptr_t)buf, -EINVAL);
    p->buf = buf;
    p->block_size = (uint32_t)size;
    p->count = count;
    bool pow2 = (size & (size - 1u)) == 0;
    p->fast_shift = pow2 ? (uint32_t)__builtin_ctz((unsigned)size) : 0u;
    p->fast_limit = pow2 ? count : 1u;
    p->free_list = NULL;
    waitq_init(&p->waiters);
    /* Listed from the last block down, so allocation starts at the first. */
    for (uint32_t i = count; i-- > 0;) {
        pool_put_locked(p, p->buf + (size_t)i * size);
    }
    return 0;
}

/* The slow half of an allocation: none free, so maybe wait. Unlocks. */
static int
pool_alloc_wait_locked(struct pica_pool *p, void **blk, unsigned key, pica_timeout_t timeout)
{
    if (timeout == PICA_NO_WAIT) {
        arch_irq_unlock(key);
        return -EAGAIN;
    }
    struct pica_thread *self = sched.current;
    /* pica_pool_free() puts the block in wait_data before waking us. */
    int err = waitq_block_locked(&p->waiters, key, timeout); /* unlocks */
    if (err == 0) {
        *blk = self->wait_data;
    }
    return err;
}

int
pica_pool_alloc_slow(struct pica_pool *p, void **blk, pica_timeout_t timeout)
{
    PICA_CHECK(blk != NULL, -EINVAL);
    /* NULL is the documented result of every failure, bad arguments
     * included, so it is set before any check can fail. */
    *blk = NULL;
    PICA_CHECK(p != NULL && p->buf != NULL, -EINVAL);
    PICA_CHECK(pica_wait_allowed(timeout), -EINVAL);
    unsigned key = arch_irq_lock();
    if (__builtin_expect(p->free_list == NULL, 0)) {
        return pool_alloc_wait_locked(p, blk, key, timeout);
    }
    *blk = pool_take_locked(p);
    arch_irq_unlock(key);
    return 0;
}

int
pica_pool_free_slow(struct pica_pool *p, void *blk)
{
    PICA_CHECK(p != NULL && p->buf != NULL && pool_owns(p, blk), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (__builtin_expect(!pica_list_empty(&p->waiters.head), 0)) {
        /* Waiters mean an empty free list, so @blk cannot be on it. */
        waitq_first_locked(&p->waiters)->wait_data = blk;
        waitq_wake_one_locked(&p->waiters, 0);
    } else if (__builtin_expect(pool_is_free_locked(p, blk), 0)) {
        err = -EINVAL; /* double free: refused, nothing changes */
    } else {
        pool_put_locked(p, blk);
    }
    arch_irq_unlock(key);
    PICA_CHECK(err == 0, err); /* a debug build panics on a double free */
    return 0;
}

uint32_t
pica_pool_free_count(const struct pica_pool *p)
{
    if (p == NULL) {
        return 0;
    }
    /* Counted on demand, so alloc and free need not keep a count. */
    unsigned key = arch_irq_lock();
    uint32_t n = 0;
    for (const struct pool_free_block *b = p->free_list; b != NULL && n < p->count; b = b->next) {
        n++;
    }
    arch_irq_unlock(key);
    return n;
}

/* ---- named pools, for `free` ---- */

/* In naming order; empty entries only after the used ones. */
static struct {
    struct pica_pool *pool;
    const char *name;
} named_pools[PICA_CFG_POOL_NAMES];

int
pica_pool_set_name(struct pica_pool *p, const char *name)
{
    PICA_CHECK(p != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    unsigned i = 0;
    while (i < PICA_CFG_POOL_NAMES && named_pools[i].pool != NULL && named_pools[i].pool != p) {
        i++;
    }
    int err = 0;
    if (name == NULL) {
        if (i < PICA_CFG_POOL_NAMES && named_pools[i].pool == p) {
            /* Closed up, so the order of the rest stays. */
            for (; i + 1 < PICA_CFG_POOL_NAMES; i++) {
                named_pools[i] = named_pools[i + 1];
            }
            named_pools[PICA_CFG_POOL_NAMES - 1].pool = NULL;
        }
    } else if (i == PICA_CFG_POOL_NAMES) {
        err = -ENOSPC;
    } else {
        named_pools[i].pool = p;
        named_pools[i].name = name;
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_pool_info_at(unsigned index, struct pica_pool_info *info)
{
    PICA_CHECK(info != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    struct pica_pool *p = index < PICA_CFG_POOL_NAMES ? named_pools[index].pool : NULL;
    if (p == NULL) {
        arch_irq_unlock(key);
        return -ENOENT;
    }
    info->name = named_pools[index].name;
    info->block_size = p->block_size;
    info->count = p->count;
    uint32_t waiters = 0;
    for (const struct pica_list *n = p->waiters.head.next; n != &p->waiters.head; n = n->next) {
        waiters++;
    }
    info->waiters = waiters;
    arch_irq_unlock(key);
    info->free = pica_pool_free_count(p);
    return 0;
}
