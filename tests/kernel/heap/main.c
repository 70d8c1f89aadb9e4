/* SPDX-License-Identifier: MIT */
/* The system heap as applications see it (kernel/malloc.c): frees of
 * pointers that are not live blocks are refused and counted, never a stop;
 * malloc and free from interrupt handlers; picolibc's malloc family on the
 * same heap. The allocator itself is tested on the host (tests/unit/heap). */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdlib.h>

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

int
main(void)
{
    pica_test_run();
}
