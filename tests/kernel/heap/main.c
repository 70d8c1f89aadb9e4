/* SPDX-License-Identifier: MIT */
/* The system heap as applications see it (kernel/malloc.c): frees of
 * pointers that are not live blocks are refused and counted, never a stop;
 * malloc and free from interrupt handlers; picolibc's malloc family on the
 * same heap. The allocator itself is tested on the host (tests/unit/heap). */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdlib.h>

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

int
main(void)
{
    pica_test_run();
}
