/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 5, interrupt preemption processing: a thread pends
 * a real interrupt whose handler resumes a more urgent thread; at interrupt
 * exit that thread preempts, counts and suspends itself, and the first one
 * goes on. One operation: an interrupt, a resume from it, two switches. */
#include "tm_api.h"
#include "tm_report.h"

static unsigned long ipre_urgent_count;
static unsigned long ipre_trigger_count;
static unsigned long ipre_handler_count;

void
tm_interrupt_preemption_handler(void)
{
    ipre_handler_count++;
    if (tm_thread_resume(0) != TM_SUCCESS) {
        tm_errors++;
    }
}

static void
ipre_urgent(void)
{
    for (;;) {
        ipre_urgent_count++;
        tm_thread_suspend(0);
    }
}

static void
ipre_trigger(void)
{
    for (;;) {
        TM_CAUSE_INTERRUPT
        ipre_trigger_count++;
    }
}

static const struct tm_workload ipre = {
    .name = "interrupt_preemption",
    .counters = {&ipre_urgent_count, &ipre_trigger_count, &ipre_handler_count},
    .counter_count = 3,
    .ops_counter = 2,
};

static void
ipre_init(void)
{
    tm_thread_create(0, 3, ipre_urgent);
    tm_thread_create(1, 10, ipre_trigger);
    tm_thread_resume(1);
    tm_report_start(&ipre);
}

void
tm_main(void)
{
    tm_initialize(ipre_init);
}
