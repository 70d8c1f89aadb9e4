/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 2, cooperative scheduling: five threads of one
 * priority each count and relinquish, so every operation is one yield to
 * the next ready thread of equal priority. */
#include "tm_api.h"
#include "tm_report.h"

#define COOP_THREADS 5

static unsigned long coop_count[COOP_THREADS];

/* One entry per thread: Thread-Metric entries take no argument. */
#define COOP_WORKER(n)                                                                            \
    static void coop_worker_##n(void)                                                             \
    {                                                                                             \
        for (;;) {                                                                                \
            coop_count[n]++;                                                                      \
            tm_thread_relinquish();                                                               \
        }                                                                                         \
    }
COOP_WORKER(0)
COOP_WORKER(1)
COOP_WORKER(2)
COOP_WORKER(3)
COOP_WORKER(4)

static void (*const coop_workers[COOP_THREADS])(void) = {
    coop_worker_0, coop_worker_1, coop_worker_2, coop_worker_3, coop_worker_4,
};

static const struct tm_workload coop = {
    .name = "cooperative",
    .counters = {&coop_count[0], &coop_count[1], &coop_count[2], &coop_count[3], &coop_count[4]},
    .counter_count = COOP_THREADS,
    .ops_counter = -1,
};

static void
coop_init(void)
{
    for (int i = 0; i < COOP_THREADS; i++) {
        tm_thread_create(i, 3, coop_workers[i]);
        tm_thread_resume(i);
    }
    tm_report_start(&coop);
}

void
tm_main(void)
{
    tm_initialize(coop_init);
}
