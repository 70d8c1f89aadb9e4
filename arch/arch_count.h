/* SPDX-License-Identifier: MIT */
/* The semaphore count operations of arch.h for ports that do not define
 * ARCH_HAS_COUNT_OPS: the same contract under the kernel lock. Included by
 * arch.h after the port's arch_impl.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#ifndef ARCH_HAS_COUNT_OPS
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
#endif
