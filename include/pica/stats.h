/* SPDX-License-Identifier: MIT */
/* System-wide figures for tools such as the shell's `top` and `free`; per
 * thread figures come from pica_thread_info(), per line from
 * pica_irq_count(). */
#pragma once

#include <stdint.h>

#include <pica/heap.h>
#include <pica/time.h>

struct pica_sys_stats {
    uint64_t uptime_us;
    pica_tick_t ticks;
    uint32_t context_switches; /* since boot (0 without PICA_CFG_THREAD_STATS) */
    uint32_t interrupts;       /* handler runs on all lines since boot */
    uint32_t timer_interrupts; /* kernel timer interrupts: one per tick while
                                  threads run, few while idle (tickless) */
    uint32_t threads;          /* created and not dead */
    struct pica_heap_stats heap;
};

/* Fill @st. Context: thread. Returns: 0, -EINVAL. */
int pica_sys_stats(struct pica_sys_stats *st);
