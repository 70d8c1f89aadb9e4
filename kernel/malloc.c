/* SPDX-License-Identifier: MIT */
/* The system heap: the RAM left after the image and the boot stack, managed
 * by the O(1) allocator in heap.c, behind a mutex (with priority
 * inheritance) once threads run. It also serves picolibc's malloc family,
 * so library code and applications share one heap and one set of stats.
 * Interrupt handlers cannot take the mutex: their frees wait in a small
 * queue for the next heap call from a thread (docs/heap.md).
 *
 * A thread inside the heap cannot be killed halfway: pica_thread_kill()
 * takes effect as it leaves (thread_no_kill_begin/end). Only a death the
 * thread cannot put off (a stack overflow, a fault) can stop it there; the
 * mutex then reports -EOWNERDEAD to the next user, which checks the whole
 * heap: if it is intact it goes on, if not the system stops with what was
 * found, rather than run on a corrupt heap. */
#include <pica/heap.h>

#include <errno.h>
#include <pica/config.h>
#include <pica/mutex.h>
#include <pica/panic.h>
#include <stdlib.h>
#include <string.h>

#include "arch.h"
#include "heap.h"
#include "sched.h"
#include "thread_priv.h"

extern char __heap_start[], __heap_end[];

static struct heap sys_heap;
static struct pica_mutex sys_heap_lock;

/* Blocks freed in interrupt handlers, not yet returned to the heap. Only
 * pointers are stored: a handler must not write into the block (it may not
 * be one), nor touch the allocator's lists, which a thread may be changing
 * under the mutex. Under the kernel lock. */
static void *isr_frees[PICA_CFG_HEAP_ISR_FREES];
static volatile unsigned isr_free_count;
/* Calls refused in handlers, added to failed_allocs and bad_frees: the
 * heap's own counters belong to the mutex holder. Under the kernel lock. */
static uint32_t isr_failed_allocs, isr_bad_frees;

/* The heap is set up by its first user, so an image that never allocates
 * links neither the allocator nor its lock. Under the kernel lock: two
 * threads may race to be first. Context: thread or boot. */
static void
heap_setup_once(void)
{
    static volatile bool ready;
    if (ready) {
        return;
    }
    unsigned key = arch_irq_lock();
    if (!ready) {
        if (heap_init(&sys_heap, __heap_start, (size_t)(__heap_end - __heap_start)) != 0) {
            PICA_PANIC("no room for a heap");
        }
        pica_mutex_init(&sys_heap_lock);
        ready = true;
    }
    arch_irq_unlock(key);
}

/* Return the blocks handlers freed. Each is checked by heap_free() like any
 * other free, so a bad one is counted in bad_frees. The unlocked test keeps
 * the usual case (none) to one load. Heap lock held. */
static void
heap_take_isr_frees(void)
{
    while (isr_free_count != 0) {
        unsigned key = arch_irq_lock();
        void *p = isr_free_count != 0 ? isr_frees[--isr_free_count] : NULL;
        arch_irq_unlock(key);
        (void)heap_free(&sys_heap, p); /* NULL: nothing */
    }
}

/* In an interrupt handler the heap is refused: its mutex would have to
 * wait. Holding it, first catch up with the frees handlers left. */
static bool
heap_lock(void)
{
    if (arch_in_isr()) {
        return false;
    }
    heap_setup_once();
    if (sched_started) {
        thread_no_kill_begin();
        int err = pica_mutex_lock(&sys_heap_lock, PICA_FOREVER);
        if (err == -EOWNERDEAD) {
            /* Its last user died inside: trust nothing unchecked. */
            if (heap_check(&sys_heap) != 0) {
                PICA_PANIC("heap left corrupt by a thread that died using it: %s",
                           sys_heap.corruption != NULL ? sys_heap.corruption : "?");
            }
            pica_mutex_consistent(&sys_heap_lock);
        } else if (err != 0) {
            /* No wait possible (the caller holds the kernel lock): refused. */
            thread_no_kill_end();
            return false;
        }
    }
    heap_take_isr_frees();
    return true;
}

static void
heap_unlock(void)
{
    if (sched_started) {
        pica_mutex_unlock(&sys_heap_lock);
        thread_no_kill_end();
    }
}

/* Count a call refused in a handler in @counter. */
static void
heap_count_isr_refusal(uint32_t *counter)
{
    unsigned key = arch_irq_lock();
    (*counter)++;
    arch_irq_unlock(key);
}

/* pica_free() in a handler: queue @p for the next thread-side heap call. */
static void
heap_free_from_isr(void *p)
{
    unsigned key = arch_irq_lock();
    bool queued = isr_free_count < PICA_CFG_HEAP_ISR_FREES;
    if (queued) {
        isr_frees[isr_free_count++] = p;
    } else {
        isr_bad_frees++; /* the block stays allocated: a leak, but a counted one */
    }
    arch_irq_unlock(key);
}

void *
pica_malloc(size_t n)
{
    if (!heap_lock()) {
        heap_count_isr_refusal(&isr_failed_allocs);
        return NULL;
    }
    void *p = heap_alloc(&sys_heap, n);
    if (!sched_started) {
        return p;
    }
    pica_mutex_unlock(&sys_heap_lock);
    if (thread_no_kill_leave()) {
        /* Killed while taking it: the block never reaches the caller, so it
         * goes back before the thread dies, and kills never leak the heap.
         * (pica_free ends the thread as it leaves the heap again.) */
        pica_free(p);
        pica_thread_exit(-EINTR);
    }
    return p;
}

void
pica_free(void *p)
{
    if (p == NULL) {
        return;
    }
    if (!heap_lock()) {
        heap_free_from_isr(p);
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
    unsigned key = arch_irq_lock();
    st->failed_allocs += isr_failed_allocs;
    st->bad_frees += isr_bad_frees;
    arch_irq_unlock(key);
    return err;
}

int
pica_heap_check(const char **what)
{
    if (!heap_lock()) {
        return -EINVAL;
    }
    int err = heap_check(&sys_heap) == 0 ? 0 : -EIO;
    if (err != 0 && what != NULL) {
        *what = sys_heap.corruption;
    }
    heap_unlock();
    return err;
}

static void *
heap_aligned(size_t align, size_t n)
{
    if (!heap_lock()) {
        heap_count_isr_refusal(&isr_failed_allocs);
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
        /* @p stays allocated, as after any failed realloc. */
        heap_count_isr_refusal(&isr_failed_allocs);
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
