/* SPDX-License-Identifier: MIT */
/* The system heap: the RAM left after the image and the boot stack, managed
 * by the O(1) allocator in heap.c, behind a mutex (with priority
 * inheritance) once threads run. It also serves picolibc's malloc family,
 * so library code and applications share one heap and one set of stats. */
#include <pica/heap.h>

#include <errno.h>
#include <pica/mutex.h>
#include <pica/panic.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "heap.h"
#include "sched.h"

extern char __heap_start[], __heap_end[];

static struct heap sys_heap;
static struct pica_mutex sys_heap_lock;

void
malloc_init(void)
{
    if (heap_init(&sys_heap, __heap_start, (size_t)(__heap_end - __heap_start)) != 0) {
        PICA_PANIC("no room for a heap");
    }
    pica_mutex_init(&sys_heap_lock);
}

/* Allocation from an interrupt handler is refused: it would have to wait. */
static bool
heap_lock(void)
{
    if (arch_in_isr()) {
        return false;
    }
    if (sched_started) {
        pica_mutex_lock(&sys_heap_lock, PICA_FOREVER);
    }
    return true;
}

static void
heap_unlock(void)
{
    if (sched_started) {
        pica_mutex_unlock(&sys_heap_lock);
    }
}

void *
pica_malloc(size_t n)
{
    if (!heap_lock()) {
        return NULL;
    }
    void *p = heap_alloc(&sys_heap, n);
    heap_unlock();
    return p;
}

void
pica_free(void *p)
{
    if (p == NULL || !heap_lock()) {
        return;
    }
    /* A pointer that is not a live block is refused without touching the
     * heap and counted in bad_frees (heap_free), as heap.h promises: the
     * system goes on, and the count shows the caller's bug. */
    (void)heap_free(&sys_heap, p);
    heap_unlock();
}

int
pica_heap_stats(struct pica_heap_stats *st)
{
    PICA_CHECK(st != NULL, -EINVAL);
    if (!heap_lock()) {
        return -EINVAL;
    }
    int err = heap_stats(&sys_heap, st);
    heap_unlock();
    return err;
}

static void *
heap_aligned(size_t align, size_t n)
{
    if (!heap_lock()) {
        return NULL;
    }
    void *p = heap_alloc_aligned(&sys_heap, align, n);
    heap_unlock();
    return p;
}

/* picolibc's malloc family, replaced so every allocation shares the heap. */
void *
malloc(size_t n)
{
    return pica_malloc(n);
}

void
free(void *p)
{
    pica_free(p);
}

void *
calloc(size_t count, size_t size)
{
    size_t n;
    if (__builtin_mul_overflow(count, size, &n)) {
        errno = ENOMEM;
        return NULL;
    }
    void *p = pica_malloc(n);
    if (p != NULL) {
        memset(p, 0, n);
    }
    return p;
}

void *
realloc(void *p, size_t n)
{
    if (!heap_lock()) {
        return NULL;
    }
    void *q = heap_realloc(&sys_heap, p, n);
    heap_unlock();
    return q;
}

void *
memalign(size_t align, size_t n)
{
    return heap_aligned(align, n);
}

void *
aligned_alloc(size_t align, size_t n)
{
    return heap_aligned(align, n);
}

int
posix_memalign(void **out, size_t align, size_t n)
{
    void *p = heap_aligned(align, n);
    if (p == NULL) {
        return ENOMEM;
    }
    *out = p;
    return 0;
}
