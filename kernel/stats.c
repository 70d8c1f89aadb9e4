/* SPDX-License-Identifier: MIT */
/* pica_sys_stats(): gathers the kernel's counters in one snapshot. */
#include <pica/stats.h>

#include <errno.h>
#include <pica/irq.h>
#include <pica/panic.h>
#include <pica/thread.h>

#include "arch.h"
#include "sched.h"
#include "timeout.h"

static void
count_thread(struct pica_thread *t, void *arg)
{
    (void)t;
    (*(uint32_t *)arg)++;
}

int
pica_sys_stats(struct pica_sys_stats *st)
{
    PICA_CHECK(st != NULL && !arch_in_isr(), -EINVAL);
    st->uptime_us = pica_uptime_us();
    st->ticks = pica_tick_now();
    st->context_switches = sched_switch_count;
    st->timer_interrupts = timer_interrupts;
    st->interrupts = 0;
    for (unsigned irq = 0; irq < arch_irq_lines(); irq++) {
        st->interrupts += pica_irq_count(irq);
    }
    st->threads = 0;
    pica_thread_foreach(count_thread, &st->threads);
    return pica_heap_stats(&st->heap);
}
