/* SPDX-License-Identifier: MIT */
/* The one rule for blocking calls: a call that would block where no switch
 * can happen (before the scheduler starts, with the kernel lock held, with
 * interrupts masked) is refused with -EDEADLK and changes nothing; and
 * pica_sleep_until() reports an overrun instead of hiding it. */
#include <errno.h>
#include <pica/event.h>
#include <pica/mutex.h>
#include <pica/pica.h>
#include <pica/pool.h>
#include <pica/queue.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <stdbool.h>

static struct pica_sem sem;
static struct pica_mutex mtx;
static struct pica_queue queue;
static uint32_t queue_buf[4];
static struct pica_event ev;
static struct pica_pool pool;
static uint64_t pool_buf[2];
static struct pica_thread holder;
PICA_THREAD_STACK_DEFINE(holder_stack, 1024);

/* Before the scheduler starts, nothing could switch away from the boot
 * code: a blocking call must come back at once with an error. */
static int boot_take = 1, boot_sleep = 1;

__attribute__((constructor)) static void
block_at_boot(void)
{
    static struct pica_sem boot_sem;
    if (pica_sem_init(&boot_sem, 0, 1) == 0) {
        boot_take = pica_sem_take(&boot_sem, PICA_TICKS(10));
    }
    boot_sleep = pica_sleep(PICA_TICKS(10));
}

PICA_TEST(blocking_before_the_scheduler_starts_is_refused)
{
    pica_assert_eq(boot_take, -EDEADLK);
    pica_assert_eq(boot_sleep, -EDEADLK);
}

static void
hold_mutex(void *arg)
{
    (void)arg;
    pica_assert_eq(pica_mutex_lock(&mtx, PICA_FOREVER), 0);
    pica_sleep(PICA_TICKS(1000000));
}

PICA_TEST(setup)
{
    pica_assert_eq(pica_sem_init(&sem, 0, 4), 0);
    pica_assert_eq(pica_mutex_init(&mtx), 0);
    pica_assert_eq(pica_queue_init(&queue, queue_buf, sizeof(uint32_t), 4), 0);
    pica_assert_eq(pica_event_init(&ev), 0);
    pica_assert_eq(pica_pool_init(&pool, pool_buf, 8, 2), 0);
    pica_assert_eq(pica_thread_create(&holder, "holder", hold_mutex, NULL, holder_stack,
                                      sizeof(holder_stack), 5, 0),
                   0);
}

/* Every blocking call, in a context where it cannot block: each is
 * refused with -EDEADLK, no time passes and no object changes. */
static void
every_blocking_call_is_refused(void)
{
    pica_tick_t t0 = pica_tick_now();
    uint32_t msg = 0x1234u;
    void *blocks[2];
    blocks[0] = pica_pool_alloc(&pool, PICA_NO_WAIT);
    blocks[1] = pica_pool_alloc(&pool, PICA_NO_WAIT);
    pica_assert(blocks[0] != NULL && blocks[1] != NULL);
    pica_assert_eq(pica_sleep(PICA_TICKS(5)), -EDEADLK);
    pica_assert_eq(pica_sem_take(&sem, PICA_TICKS(5)), -EDEADLK);
    pica_assert_eq(pica_sem_take(&sem, PICA_FOREVER), -EDEADLK);
    pica_assert_eq(pica_mutex_lock(&mtx, PICA_TICKS(5)), -EDEADLK);
    pica_assert_eq(pica_queue_recv(&queue, &msg, PICA_TICKS(5)), -EDEADLK);
    pica_assert_eq(msg, 0x1234u);
    pica_assert_eq(pica_event_wait(&ev, 1u, 0, PICA_TICKS(5)), -EDEADLK);
    void *blk = (void *)1;
    pica_assert_eq(pica_pool_alloc_err(&pool, &blk, PICA_TICKS(5)), -EDEADLK);
    pica_assert_eq(pica_thread_join(&holder, PICA_TICKS(5)), -EDEADLK);
    pica_tick_t next = t0;
    pica_assert_eq(pica_sleep_until(&next, 5), -EDEADLK);
    pica_assert_eq(next, t0); /* nothing done */
    /* Still no time passed, no waiter anywhere, nothing taken. */
    pica_assert_eq(pica_tick_now(), t0);
    pica_assert_eq(pica_pool_free(&pool, blocks[0]), 0);
    pica_assert_eq(pica_pool_free(&pool, blocks[1]), 0);
    pica_assert_eq(pica_sem_give(&sem), 0);
    pica_assert_eq(pica_sem_take(&sem, PICA_NO_WAIT), 0);
}

PICA_TEST(blocking_with_the_kernel_lock_held_is_refused)
{
    unsigned key = pica_irq_lock();
    every_blocking_call_is_refused();
    pica_irq_unlock(key);
    /* And unlocked, the same calls block and time out as usual. */
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_sem_take(&sem, PICA_TICKS(3)), -ETIMEDOUT);
    pica_assert_eq(pica_tick_now() - t0, 3);
    pica_assert_eq(pica_mutex_lock(&mtx, PICA_TICKS(2)), -ETIMEDOUT);
}

PICA_TEST(blocking_with_interrupts_masked_is_refused)
{
#if defined(__arm__)
    /* PRIMASK masks the switch as surely as the kernel lock does. */
    __asm volatile("cpsid i" ::: "memory");
    every_blocking_call_is_refused();
    __asm volatile("cpsie i" ::: "memory");
#endif
}

PICA_TEST(sleep_until_reports_an_overrun)
{
    pica_assert_eq(pica_sleep(PICA_TICKS(1)), 0);
    pica_tick_t next = pica_tick_now();
    pica_tick_t start = next;
    pica_assert_eq(pica_sleep_until(&next, 4), 0);
    pica_assert_eq(pica_tick_now(), start + 4);
    /* A body that takes 6 ticks of a 4-tick period: the next deadline
     * (start + 8) began 2 ticks before now (start + 10): 3 is returned. */
    pica_assert_eq(pica_sleep(PICA_TICKS(6)), 0);
    pica_assert_eq(pica_sleep_until(&next, 4), 3);
    pica_assert_eq(next, start + 8);
    /* A deadline that begins now is an overrun by 1. */
    pica_tick_t now = pica_tick_now();
    next = now - 4;
    pica_assert_eq(pica_sleep_until(&next, 4), 1);
    pica_assert_eq(pica_tick_now(), now);
    /* Back on time, it sleeps again. */
    next = pica_tick_now();
    pica_assert_eq(pica_sleep_until(&next, 2), 0);
    pica_assert_eq(pica_sleep_until(NULL, 2), -EINVAL);
}

int
main(void)
{
    pica_test_run();
}
