/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 4, interrupt processing: a thread pends a real
 * interrupt whose handler gives a semaphore, then takes it. The handler
 * readies nobody more urgent, so there is no preemption: one operation is
 * interrupt entry and exit, a give from the handler and a take. */
#include "tm_api.h"
#include "tm_report.h"

static unsigned long irq_thread_count;
static unsigned long irq_handler_count;

void
tm_interrupt_handler(void)
{
    irq_handler_count++;
    if (tm_semaphore_put(0) != TM_SUCCESS) {
        tm_errors++;
    }
}

static void
irq_worker(void)
{
    /* The semaphore starts available: take it so the handler's give is
     * what the loop takes. */
    if (tm_semaphore_get(0) != TM_SUCCESS) {
        tm_errors++;
    }
    for (;;) {
        TM_CAUSE_INTERRUPT
        if (tm_semaphore_get(0) != TM_SUCCESS) {
            tm_errors++;
        }
        irq_thread_count++;
    }
}

static const struct tm_workload irq_work = {
    .name = "interrupt",
    .counters = {&irq_thread_count, &irq_handler_count},
    .counter_count = 2,
    .ops_counter = 1,
};

static void
irq_init(void)
{
    tm_semaphore_create(0);
    tm_thread_create(0, 10, irq_worker);
    tm_thread_resume(0);
    tm_report_start(&irq_work);
}

void
tm_main(void)
{
    tm_initialize(irq_init);
}
