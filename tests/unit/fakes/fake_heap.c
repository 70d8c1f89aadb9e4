/* SPDX-License-Identifier: MIT */
/* The kernel heap's interface for host tests (fake_heap.h). */
#include "fake_heap.h"

#include <pica/heap.h>
#include <stdlib.h>

static bool heap_fails;
static unsigned heap_live;

void
fake_heap_fail(bool fail)
{
    heap_fails = fail;
}

unsigned
fake_heap_live(void)
{
    return heap_live;
}

void *
pica_malloc(size_t n)
{
    if (heap_fails || n == 0) {
        return NULL;
    }
    void *p = malloc(n);
    if (p != NULL) {
        heap_live++;
    }
    return p;
}

void
pica_free(void *p)
{
    if (p != NULL) {
        heap_live--;
        free(p);
    }
}
