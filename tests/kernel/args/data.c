/* SPDX-License-Identifier: MIT */
/* Argument rows of message queues and memory pools (include/pica/queue.h,
 * pool.h), through the inline fast paths or, in the _calls build
 * (PICA_CFG_INLINE_FAST_PATHS=0), the out-of-line calls alone. Each
 * fixture could serve the call at once: a queue with one message and room
 * for more, a pool with one block taken and the rest free. */
#include <pica/errno.h>
#include <pica/pool.h>
#include <pica/queue.h>
#include <pica/test.h>
#include <string.h>

#include "args.h"

/* A buffer at the very top of the address space: one that would wrap past
 * its end. Never touched by a call that checks its arguments. */
#define TOP_OF_MEMORY ((void *)(uintptr_t)(UINTPTR_MAX - 0xffu))

/* ---- queues ---- */

#define MSG_SIZE 8u
#define MSG_SLOTS 4u

static struct pica_queue queue, queue_zeroed;
static uint32_t ring[MSG_SLOTS * MSG_SIZE / 4u];
static const uint32_t msg_in[2] = {0x11111111u, 0x22222222u};
static uint32_t msg_out[2];

static void
queue_setup(const struct arg_row *r)
{
    pica_assert_eq(pica_queue_init(&queue, ring, MSG_SIZE, MSG_SLOTS), 0);
    static const uint32_t first[2] = {0xabababab, 0xcdcdcdcd};
    pica_assert_eq(pica_queue_send(&queue, first, PICA_NO_WAIT), 0);
    /* A receive that fails leaves @msg as it was. */
    msg_out[0] = msg_out[1] = 0x5a5a5a5au;
    args_snap("the queue", &queue, sizeof(queue));
    args_snap("the ring", ring, sizeof(ring));
    args_snap("the receive buffer", msg_out, sizeof(msg_out));
    args_snap("the never-initialised queue", &queue_zeroed, sizeof(queue_zeroed));
}

static void *
queue_buf_arg(const struct arg_row *r)
{
    return r->ptr == PTR_BAD ? TOP_OF_MEMORY : ARG_PTR(r, (void *)ring);
}

static int
queue_init_call(const struct arg_row *r)
{
    return pica_queue_init(ARG_OBJ(r, &queue, &queue_zeroed), queue_buf_arg(r), (size_t)r->a,
                           (uint32_t)r->b);
}

static int
queue_send_call(const struct arg_row *r)
{
    return pica_queue_send(ARG_OBJ(r, &queue, &queue_zeroed), ARG_PTR(r, msg_in), r->t);
}

static int
queue_send_front_call(const struct arg_row *r)
{
    return pica_queue_send_front(ARG_OBJ(r, &queue, &queue_zeroed), ARG_PTR(r, msg_in), r->t);
}

static int
queue_recv_call(const struct arg_row *r)
{
    return pica_queue_recv(ARG_OBJ(r, &queue, &queue_zeroed), ARG_PTR(r, msg_out), r->t);
}

static int
queue_count_call(const struct arg_row *r)
{
    return (int)pica_queue_count(ARG_OBJ(r, &queue, &queue_zeroed));
}

#define QUEUE_BAD_CALLS(call, name)                                                               \
    {call, name "(NULL, msg, NO_WAIT)", -EINVAL, .obj = ARG_NULL},                                \
        {call, name "(never initialised, msg, NO_WAIT)", -EINVAL, .obj = ARG_ZEROED},             \
        {call, name "(never initialised, msg, NO_WAIT)", -EINVAL, .obj = ARG_ZEROED,              \
         .isr = true},                                                                            \
        {call, name "(q, NULL, NO_WAIT)", -EINVAL, .ptr = PTR_NULL},                              \
        {call, name "(q, NULL, NO_WAIT)", -EINVAL, .ptr = PTR_NULL, .isr = true},                 \
        {call, name "(q, msg, -2)", -EINVAL, .t = -2},                                            \
        {call, name "(q, msg, INT32_MIN)", -EINVAL, .t = INT32_MIN},                              \
        {call, name "(q, msg, FOREVER)", -EINVAL, .t = PICA_FOREVER, .isr = true},                \
        {call, name "(q, msg, 5)", -EINVAL, .t = 5, .isr = true},                                 \
        {call, name "(q, msg, -2)", -EINVAL, .t = -2, .isr = true}

static const struct arg_row queue_rows[] = {
    {queue_init_call, "init(NULL, buf, 8, 4)", -EINVAL, .obj = ARG_NULL, .a = 8, .b = 4},
    {queue_init_call, "init(q, NULL, 8, 4)", -EINVAL, .ptr = PTR_NULL, .a = 8, .b = 4},
    {queue_init_call, "init(q, buf, 0, 4): no message size", -EINVAL, .a = 0, .b = 4},
    {queue_init_call, "init(q, buf, 8, 0): no capacity", -EINVAL, .a = 8, .b = 0},
    {queue_init_call, "init(q, buf, 0x10000, 0x10000): size overflows", -EINVAL, .a = 0x10000,
     .b = 0x10000},
    {queue_init_call, "init(q, buf, 1, UINT32_MAX): capacity too large", -EINVAL, .a = 1,
     .b = UINT32_MAX},
    {queue_init_call, "init(q, top of memory, 0x80, 4): buffer wraps", -EINVAL, .ptr = PTR_BAD,
     .a = 0x80, .b = 4},
    QUEUE_BAD_CALLS(queue_send_call, "send"),
    QUEUE_BAD_CALLS(queue_send_front_call, "send_front"),
    QUEUE_BAD_CALLS(queue_recv_call, "recv"),
    {queue_count_call, "count(NULL) is 0", 0, .obj = ARG_NULL},
};

const struct arg_group args_queue = ARGS_GROUP("queue", queue_setup, NULL, NULL, queue_rows);

/* ---- pools ---- */

/* Blocks of a power-of-two size (the inline free's fast bound) or not
 * (the first block passes it, the others go to the division). */
enum { POOL_ODD = ARG_VARIANT };

#define BLOCKS 4u
#define BLOCK_POW2 16u
#define BLOCK_ODD 12u

static struct pica_pool pool, pool_zeroed;
PICA_POOL_BUF_DEFINE(pool_buf, BLOCK_POW2, BLOCKS);
static void *taken;     /* the fixture's allocated block: block 0 */
static void *block_out; /* the alloc out-parameter */
static uint32_t block_size;

/* Not NULL, not a block: the documented NULL after a failure shows. */
#define UNTOUCHED ((void *)(uintptr_t)0x5a5a5a5au)

static void
pool_setup(const struct arg_row *r)
{
    block_size = r->obj == POOL_ODD ? BLOCK_ODD : BLOCK_POW2;
    pica_assert_eq(pica_pool_init(&pool, pool_buf, block_size, BLOCKS), 0);
    pica_assert_eq(pica_pool_alloc_err(&pool, &taken, PICA_NO_WAIT), 0);
    pica_assert(taken == (void *)pool_buf);
    block_out = UNTOUCHED;
    args_snap("the pool", &pool, sizeof(pool));
    args_snap("the pool's blocks", pool_buf, sizeof(pool_buf));
    args_snap("the never-initialised pool", &pool_zeroed, sizeof(pool_zeroed));
}

static int pool_alloc_err_call(const struct arg_row *r);

static const char *
pool_check(const struct arg_row *r)
{
    if (block_out != UNTOUCHED && block_out != NULL) {
        return args_fmt("*blk is %p, a block handed out by a failed call", block_out);
    }
    /* Alloc's out-parameter is NULL after every failure (pool.h). */
    if (r->call == pool_alloc_err_call && r->ptr == PTR_OK && block_out == UNTOUCHED) {
        return "*blk was left as it was, not set to NULL";
    }
    return NULL;
}

/* Pool buffers besides a good one and NULL. */
enum { POOL_BUF_TOP = PTR_BAD, POOL_BUF_MISALIGNED };

static int
pool_init_call(const struct arg_row *r)
{
    void *buf = r->ptr == POOL_BUF_TOP          ? TOP_OF_MEMORY
                : r->ptr == POOL_BUF_MISALIGNED ? (void *)((char *)pool_buf + 2)
                                                : ARG_PTR(r, (void *)pool_buf);
    return pica_pool_init(ARG_OBJ(r, &pool, &pool_zeroed), buf, (size_t)r->a, (uint32_t)r->b);
}

static int
pool_alloc_err_call(const struct arg_row *r)
{
    return pica_pool_alloc_err(ARG_OBJ(r, &pool, &pool_zeroed), ARG_PTR(r, &block_out), r->t);
}

static int
pool_alloc_call(const struct arg_row *r)
{
    void *blk = pica_pool_alloc(ARG_OBJ(r, &pool, &pool_zeroed), r->t);
    if (blk != NULL) {
        block_out = blk; /* reported by the check */
    }
    return blk != NULL;
}

/* @blk: block 0 (taken) plus an offset in bytes, or NULL. */
static int
pool_free_call(const struct arg_row *r)
{
    char *blk = r->ptr == PTR_NULL ? NULL : (char *)taken + (int32_t)r->a * (int32_t)block_size +
                                                 (int32_t)r->b;
    return pica_pool_free(ARG_OBJ(r, &pool, &pool_zeroed), blk);
}

static int
pool_free_count_call(const struct arg_row *r)
{
    return (int)pica_pool_free_count(ARG_OBJ(r, &pool, &pool_zeroed));
}

/* The free rows, for both block sizes: @a counts blocks from block 0,
 * @b adds bytes. */
#define POOL_BAD_FREES(variant, size)                                                             \
    {pool_free_call, "free(p, NULL) of " size, -EINVAL, .obj = variant, .ptr = PTR_NULL},     \
        {pool_free_call, "free(p, a block below the buffer) of " size, -EINVAL, .obj = variant,   \
         .a = (uint64_t)-1},                                                                      \
        {pool_free_call, "free(p, inside block 0) of " size, -EINVAL, .obj = variant, .b = 4},    \
        {pool_free_call, "free(p, inside block 1) of " size, -EINVAL, .obj = variant, .a = 1,     \
         .b = 8},                                                                                 \
        {pool_free_call, "free(p, past the last block) of " size, -EINVAL, .obj = variant,        \
         .a = BLOCKS},                                                                            \
        {pool_free_call, "free(p, block 1, which is free) of " size, -EINVAL, .obj = variant,     \
         .a = 1},                                                                                 \
        {pool_free_call, "free(p, block 1, which is free) of " size, -EINVAL, .obj = variant,     \
         .a = 1, .isr = true}

static const struct arg_row pool_rows[] = {
    {pool_init_call, "init(NULL, buf, 16, 4)", -EINVAL, .obj = ARG_NULL, .a = 16, .b = 4},
    {pool_init_call, "init(p, NULL, 16, 4)", -EINVAL, .ptr = PTR_NULL, .a = 16, .b = 4},
    {pool_init_call, "init(p, buf + 2, 16, 3): buffer not aligned", -EINVAL,
     .ptr = POOL_BUF_MISALIGNED, .a = 16, .b = 3},
    {pool_init_call, "init(p, buf, 0, 4): block size 0", -EINVAL, .a = 0, .b = 4},
    {pool_init_call, "init(p, buf, 16, 0): no blocks", -EINVAL, .a = 16, .b = 0},
    {pool_init_call, "init(p, buf, UINT32_MAX, 1): block size overflows", -EINVAL,
     .a = UINT32_MAX, .b = 1},
    {pool_init_call, "init(p, buf, 0x10000, 0x10000): pool size overflows", -EINVAL,
     .a = 0x10000, .b = 0x10000},
    {pool_init_call, "init(p, top of memory, 16, 32): buffer wraps", -EINVAL,
     .ptr = POOL_BUF_TOP, .a = 16, .b = 32},
    {pool_alloc_err_call, "alloc_err(NULL, &blk, NO_WAIT)", -EINVAL, .obj = ARG_NULL},
    {pool_alloc_err_call, "alloc_err(never initialised, &blk, NO_WAIT)", -EINVAL,
     .obj = ARG_ZEROED},
    {pool_alloc_err_call, "alloc_err(never initialised, &blk, NO_WAIT)", -EINVAL,
     .obj = ARG_ZEROED, .isr = true},
    {pool_alloc_err_call, "alloc_err(p, NULL, NO_WAIT)", -EINVAL, .ptr = PTR_NULL},
    {pool_alloc_err_call, "alloc_err(p, &blk, -2)", -EINVAL, .t = -2},
    {pool_alloc_err_call, "alloc_err(p, &blk, INT32_MIN)", -EINVAL, .t = INT32_MIN},
    {pool_alloc_err_call, "alloc_err(p, &blk, FOREVER)", -EINVAL, .t = PICA_FOREVER, .isr = true},
    {pool_alloc_err_call, "alloc_err(p, &blk, 5)", -EINVAL, .t = 5, .isr = true},
    {pool_alloc_err_call, "alloc_err(p, &blk, -2)", -EINVAL, .t = -2, .isr = true},
    {pool_alloc_call, "alloc(NULL, NO_WAIT) is NULL", 0, .obj = ARG_NULL},
    {pool_alloc_call, "alloc(p, -2) is NULL", 0, .t = -2},
    {pool_alloc_call, "alloc(p, FOREVER) is NULL", 0, .t = PICA_FOREVER, .isr = true},
    {pool_free_call, "free(NULL, block 0)", -EINVAL, .obj = ARG_NULL},
    {pool_free_call, "free(never initialised, block 0)", -EINVAL, .obj = ARG_ZEROED},
    POOL_BAD_FREES(ARG_READY, "16-byte blocks"),
    POOL_BAD_FREES(POOL_ODD, "12-byte blocks"),
    {pool_free_count_call, "free_count(NULL) is 0", 0, .obj = ARG_NULL},
};

const struct arg_group args_pool = ARGS_GROUP("pool", pool_setup, pool_check, NULL, pool_rows);
