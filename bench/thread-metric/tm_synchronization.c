/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 7, synchronization processing: a thread takes and
 * gives a binary semaphore nobody else uses. One operation: one uncontended
 * take and one give with no waiter. */
#include "tm_api.h"
#include "tm_report.h"

static unsigned long sync_rounds;

static void
sync_worker(void)
{
    for (;;) {
        if (tm_semaphore_get(0) != TM_SUCCESS || tm_semaphore_put(0) != TM_SUCCESS) {
            tm_errors++;
        }
        sync_rounds++;
    }
}

static const struct tm_workload sync = {
    .name = "synchronization",
    .counters = {&sync_rounds},
    .counter_count = 1,
    .ops_counter = 0,
};

static void
sync_init(void)
{
    tm_semaphore_create(0);
    tm_thread_create(0, 10, sync_worker);
    tm_thread_resume(0);
    tm_report_start(&sync);
}

void
tm_main(void)
{
    tm_initialize(sync_init);
}
