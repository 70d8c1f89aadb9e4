/* SPDX-License-Identifier: MIT */
/* The atomic operations of arch.h's fast paths for ports that do not
 * define ARCH_HAS_ATOMIC_OPS: the same contract under the kernel lock.
 * Included by arch.h after the port's arch_impl.h. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifndef ARCH_HAS_ATOMIC_OPS
static inline bool
arch_count_take(uint32_t *count)
{
    unsigned key = arch_irq_lock();
    uint32_t v = *count;
    bool ok = (int32_t)v > 0;
    if (ok) {
        *count = v - 1u;
    }
    arch_irq_unlock(key);
    return ok;
}

static inline bool
arch_count_give(uint32_t *count, uint32_t max)
{
    unsigned key = arch_irq_lock();
    uint32_t v = *count;
    bool ok = v < max;
    if (ok) {
        *count = v + 1u;
    }
    arch_irq_unlock(key);
    return ok;
}
static inline void *
arch_list_pop(void **head)
{
    unsigned key = arch_irq_lock();
    void *node = *head;
    if (node != NULL) {
        *head = *(void **)node;
    }
    arch_irq_unlock(key);
    return node;
}
#endif
