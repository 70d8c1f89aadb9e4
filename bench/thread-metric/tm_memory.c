/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 8, memory allocation: a thread allocates a 128-byte
 * block from a fixed-block pool and frees it. One operation: one allocation
 * and one free, never waiting. */
#include "tm_api.h"
#include "tm_report.h"

static unsigned long mem_rounds;

static void
mem_worker(void)
{
    unsigned char *blk;
    for (;;) {
        if (tm_memory_pool_allocate(0, &blk) != TM_SUCCESS ||
            tm_memory_pool_deallocate(0, blk) != TM_SUCCESS) {
            tm_errors++;
        }
        mem_rounds++;
    }
}

static const struct tm_workload mem = {
    .name = "memory",
    .counters = {&mem_rounds},
    .counter_count = 1,
    .ops_counter = 0,
};

static void
mem_init(void)
{
    tm_memory_pool_create(0);
    tm_thread_create(0, 10, mem_worker);
    tm_thread_resume(0);
    tm_report_start(&mem);
}

void
tm_main(void)
{
    tm_initialize(mem_init);
}
