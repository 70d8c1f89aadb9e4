/* SPDX-License-Identifier: MIT */
/* A ps-like table from pica_thread_foreach()/pica_thread_info() and the
 * system figures from pica_sys_stats(). */
#include <pica/pica.h>
#include <pica/stats.h>
#include <pica/thread.h>
#include <stdio.h>

#include "demo.h"

static void
print_thread(struct pica_thread *t, void *arg)
{
    (void)arg;
    struct pica_thread_info in;
    if (pica_thread_info(t, &in) != 0) {
        return;
    }
    printf("  %-12s %-10s %-9s %3u/%-3u %5lu/%-5lu %8lu %9lu\n", in.name,
           in.process != NULL ? in.process : "(kernel)",
           in.running ? "running" : pica_thread_state_name(in.state), in.prio, in.base_prio,
           (unsigned long)in.stack_used_max, (unsigned long)in.stack_size,
           (unsigned long)in.switches, (unsigned long)(in.cpu_us / 1000u));
}

void
demo_ps_print(void)
{
    struct pica_sys_stats st;
    pica_sys_stats(&st);
    printf("\n  %-12s %-10s %-9s %7s %11s %8s %9s\n", "thread", "process", "state", "prio", "stack",
           "switches", "cpu ms");
    pica_thread_foreach(print_thread, NULL);
    printf("  uptime %lu ms, %lu switches, %lu interrupts, heap %lu of %lu bytes free "
           "(largest %lu)\n",
           (unsigned long)(st.uptime_us / 1000u), (unsigned long)st.context_switches,
           (unsigned long)st.interrupts, (unsigned long)st.heap.free_bytes,
           (unsigned long)st.heap.total_bytes, (unsigned long)st.heap.largest_free_block);
}
