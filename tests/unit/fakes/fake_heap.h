/* SPDX-License-Identifier: MIT */
/* pica_malloc()/pica_free() for host tests, over the C library's heap (so
 * the sanitizers see every block), with a switch that makes the next
 * allocations fail and a count of live blocks. */
#pragma once

#include <stdbool.h>

/* Make every pica_malloc() return NULL (true) or allocate again (false). */
void fake_heap_fail(bool fail);
/* Blocks allocated and not yet freed. */
unsigned fake_heap_live(void);
