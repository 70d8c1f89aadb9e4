/* SPDX-License-Identifier: MIT */
/* sbrk() over the process's own heap, for picolibc's malloc: the bounds
 * come from the start-up block (the block the build reserved for the
 * process's RAM, after its data and bss, to its end). The heap only grows;
 * malloc keeps what it frees. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include "sdk.h"

static uintptr_t heap_next;
static uintptr_t heap_end;

void
user_heap_init(uint32_t start, uint32_t end)
{
    heap_next = start;
    heap_end = end;
}

void *
sbrk(ptrdiff_t incr)
{
    if (incr < 0 || (uintptr_t)incr > heap_end - heap_next) {
        errno = ENOMEM;
        return (void *)-1;
    }
    void *old = (void *)heap_next;
    heap_next += (uintptr_t)incr;
    return old;
}
