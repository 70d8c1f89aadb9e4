/* SPDX-License-Identifier: MIT */
/* The system heap as applications see it (kernel/malloc.c): frees of
 * pointers that are not live blocks are refused and counted, never a stop;
 * malloc and free from interrupt handlers; picolibc's malloc family on the
 * same heap. The allocator itself is tested on the host (tests/unit/heap). */
#include <errno.h>
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"

static struct pica_heap_stats
stats(void)
{
    struct pica_heap_stats st;
    pica_assert_eq(pica_heap_stats(&st), 0);
    return st;
}

static uint64_t not_a_block[4];

PICA_TEST(bad_frees_are_refused_and_counted_not_fatal)
{
    char on_stack[16];
    char *p = pica_malloc(64);
    pica_assert(p != NULL);
    struct pica_heap_stats before = stats();
    pica_free(on_stack);
    pica_free(&not_a_block[2]);
    pica_free(p + 8); /* inside a live block */
    struct pica_heap_stats after = stats();
    pica_assert_eq(after.bad_frees, before.bad_frees + 3);
    pica_assert_eq(after.free_bytes, before.free_bytes);
    pica_assert_eq(after.allocated_blocks, before.allocated_blocks);
    pica_free(p);
    pica_free(p); /* double free */
    after = stats();
    pica_assert_eq(after.bad_frees, before.bad_frees + 4);
    pica_assert_eq(after.free_count, before.free_count + 1);
    pica_assert_eq(after.allocated_blocks, before.allocated_blocks - 1);
    /* The heap is intact. */
    void *q = malloc(64);
    pica_assert(q != NULL);
    free(q);
}

/* What the interrupt handler below does with the heap. */
enum isr_job { FREE_BLOCKS, MALLOC };
static volatile enum isr_job isr_job;
static void *isr_blocks[PICA_CFG_HEAP_ISR_FREES + 2];
static volatile unsigned isr_block_count;
static void *volatile isr_malloc_result;

static void
heap_isr(void *arg)
{
    (void)arg;
    if (isr_job == MALLOC) {
        isr_malloc_result = pica_malloc(16);
        return;
    }
    for (unsigned i = 0; i < isr_block_count; i++) {
        pica_free(isr_blocks[i]);
    }
}

/* Run the handler once for @job, on a line of its own. */
static void
run_in_isr(enum isr_job job)
{
    unsigned irq = arch_irq_lines() - 1;
    isr_job = job;
    pica_assert_eq(pica_irq_attach(irq, heap_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    pica_test_fire_irq(irq);
    pica_assert_eq(pica_irq_detach(irq), 0);
}

PICA_TEST(free_in_an_interrupt_handler_returns_the_block_to_the_heap)
{
    struct pica_heap_stats before = stats();
    isr_blocks[0] = pica_malloc(200);
    isr_blocks[1] = NULL; /* ignored, as in a thread */
    pica_assert(isr_blocks[0] != NULL);
    isr_block_count = 2;
    run_in_isr(FREE_BLOCKS);
    struct pica_heap_stats after = stats();
    pica_assert_eq(after.allocated_blocks, before.allocated_blocks);
    pica_assert_eq(after.free_bytes, before.free_bytes);
    pica_assert_eq(after.free_count, before.free_count + 1);
    pica_assert_eq(after.bad_frees, before.bad_frees);
}

PICA_TEST(frees_in_a_handler_past_the_queue_are_refused_and_counted)
{
    unsigned n = PICA_CFG_HEAP_ISR_FREES + 2;
    struct pica_heap_stats before = stats();
    for (unsigned i = 0; i < n; i++) {
        isr_blocks[i] = pica_malloc(24);
        pica_assert(isr_blocks[i] != NULL);
    }
    isr_block_count = n;
    run_in_isr(FREE_BLOCKS);
    struct pica_heap_stats after = stats();
    pica_assert_eq(after.bad_frees, before.bad_frees + 2);
    pica_assert_eq(after.allocated_blocks, before.allocated_blocks + 2);
    /* The two refused ones are still allocated, and can be freed here. */
    pica_free(isr_blocks[n - 2]);
    pica_free(isr_blocks[n - 1]);
    after = stats();
    pica_assert_eq(after.allocated_blocks, before.allocated_blocks);
    pica_assert_eq(after.free_bytes, before.free_bytes);
}

PICA_TEST(a_bad_free_in_a_handler_is_counted_when_the_heap_takes_it)
{
    struct pica_heap_stats before = stats();
    isr_blocks[0] = &not_a_block[1];
    isr_block_count = 1;
    run_in_isr(FREE_BLOCKS);
    struct pica_heap_stats after = stats();
    pica_assert_eq(after.bad_frees, before.bad_frees + 1);
    pica_assert_eq(after.free_bytes, before.free_bytes);
}

PICA_TEST(malloc_in_an_interrupt_handler_is_refused_and_counted)
{
    struct pica_heap_stats before = stats();
    isr_malloc_result = &not_a_block[0];
    run_in_isr(MALLOC);
    pica_assert(isr_malloc_result == NULL);
    struct pica_heap_stats after = stats();
    pica_assert_eq(after.failed_allocs, before.failed_allocs + 1);
    pica_assert_eq(after.allocated_blocks, before.allocated_blocks);
}

/* A thread killed at random moments while it allocates and frees: a kill
 * that finds it inside the heap waits until it leaves, so the heap is never
 * left half-updated. A killed thread's memory is not tracked (the kill
 * model): the victim shows the block it holds in victim_block, and the
 * killer, its owner, frees what it left; a block the victim was being given
 * when the kill came goes back to the heap before it dies. The heap stays
 * whole; a block leaks only if the kill lands in the few instructions
 * between pica_malloc()'s return and the victim's store of it (no kernel
 * can see that), a handful in 150 kills, where every kill inside
 * pica_malloc() used to leak one (47 of 150 on sifive_e's 8 KB heap, which
 * ran it dry). */
static struct pica_thread victim, killer;
PICA_THREAD_STACK_DEFINE(victim_stack, 1024);
PICA_THREAD_STACK_DEFINE(killer_stack, 1024);
static struct pica_sem kill_now;
static volatile uint32_t kills, kills_deferred;
static void *volatile victim_block;

static void
churn(void *arg)
{
    uint32_t x = (uint32_t)(uintptr_t)arg * 2654435761u + 1u;
    for (;;) {
        x ^= x << 13;
        x ^= x >> 17;
        x ^= x << 5;
        size_t n = 8u + x % 300u;
        char *p = pica_malloc(n);
        if (p != NULL) {
            victim_block = p;
            memset(p, 0x5a, n);
            victim_block = NULL;
            pica_free(p);
        }
    }
}

static void
kill_tick(void)
{
    pica_sem_give(&kill_now);
}

static void
kill_victim(void *arg)
{
    (void)arg;
    for (uint32_t round = 1; round <= 150; round++) {
        pica_sem_take(&kill_now, PICA_FOREVER);
        pica_assert_eq(pica_thread_kill(&victim), 0);
        struct pica_thread_info info;
        pica_thread_info(&victim, &info);
        if (info.state != PICA_THREAD_DEAD) {
            kills_deferred++; /* inside the heap: it dies on the way out */
        }
        pica_assert_eq(pica_thread_join(&victim, PICA_MS(50)), 0);
        pica_free(victim_block); /* what the dead thread held, if anything */
        victim_block = NULL;
        kills++;
        pica_assert_eq(pica_thread_create(&victim, "victim", churn, (void *)(uintptr_t)round,
                                          victim_stack, sizeof(victim_stack), 12, 0),
                       0);
    }
    pica_thread_kill(&victim);
    pica_thread_join(&victim, PICA_MS(50));
    pica_free(victim_block);
    victim_block = NULL;
}

PICA_TEST(a_kill_never_leaves_the_heap_half_updated)
{
    pica_assert_eq(pica_sem_init(&kill_now, 0, 1), 0);
    struct pica_heap_stats before = stats();
    /* An odd period against the churn loop's length: kills land all over it. */
    int err = pica_test_devtimer_start(37000, kill_tick);
    if (err == -ENOTSUP) {
        printf("  skipped: no device timer on this board\n");
        return;
    }
    pica_assert_eq(err, 0);
    /* The killer first: the victim, more urgent than this thread, runs
     * from its creation on. */
    pica_assert_eq(pica_thread_create(&killer, "killer", kill_victim, NULL, killer_stack,
                                      sizeof(killer_stack), 3, 0),
                   0);
    pica_assert_eq(pica_thread_create(&victim, "victim", churn, NULL, victim_stack,
                                      sizeof(victim_stack), 12, 0),
                   0);
    pica_assert_eq(pica_thread_join(&killer, PICA_MS(2000)), 0);
    pica_test_devtimer_stop();
    pica_assert_eq(kills, 150);
    pica_assert_gt(kills_deferred, 0); /* the window inside the heap was hit */
    struct pica_heap_stats st = stats();
    uint32_t leaked = st.allocated_blocks - before.allocated_blocks;
    printf("  %lu of 150 kills inside the heap, %lu blocks lost outside it\n",
           (unsigned long)kills_deferred, (unsigned long)leaked);
    pica_assert_le(leaked, 15u);
    const char *what = NULL;
    pica_assert_eq(pica_heap_check(&what), 0);
    /* And it still serves. */
    void *p = pica_malloc(100);
    pica_assert(p != NULL);
    pica_free(p);
}

int
main(void)
{
    pica_test_run();
}
