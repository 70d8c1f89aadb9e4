/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 3, preemptive scheduling: five threads of distinct
 * priorities. Each resumes the next more urgent one, which preempts it at
 * once; the most urgent counts and suspends itself, and the chain unwinds,
 * each thread counting and suspending in turn down to thread 0, which never
 * suspends. Every resume and every suspend is a context switch. */
#include "tm_api.h"
#include "tm_report.h"

#define PREEMPT_THREADS 5

static unsigned long preempt_count[PREEMPT_THREADS];

static void
preempt_step(int n)
{
    if (n + 1 < PREEMPT_THREADS && tm_thread_resume(n + 1) != TM_SUCCESS) {
        tm_errors++;
    }
    preempt_count[n]++;
}

static void
preempt_worker_0(void)
{
    for (;;) {
        preempt_step(0);
    }
}

#define PREEMPT_WORKER(n)                                                                         \
    static void preempt_worker_##n(void)                                                          \
    {                                                                                             \
        for (;;) {                                                                                \
            preempt_step(n);                                                                      \
            tm_thread_suspend(n);                                                                 \
        }                                                                                         \
    }
PREEMPT_WORKER(1)
PREEMPT_WORKER(2)
PREEMPT_WORKER(3)
PREEMPT_WORKER(4)

static void (*const preempt_workers[PREEMPT_THREADS])(void) = {
    preempt_worker_0, preempt_worker_1, preempt_worker_2, preempt_worker_3, preempt_worker_4,
};

static const struct tm_workload preempt = {
    .name = "preemptive",
    .counters = {&preempt_count[0], &preempt_count[1], &preempt_count[2], &preempt_count[3],
                 &preempt_count[4]},
    .counter_count = PREEMPT_THREADS,
    .ops_counter = -1,
};

/* Thread n at priority 10 - n: thread 4 is the most urgent. */
static void
preempt_init(void)
{
    for (int i = 0; i < PREEMPT_THREADS; i++) {
        tm_thread_create(i, 10 - i, preempt_workers[i]);
    }
    tm_thread_resume(0);
    tm_report_start(&preempt);
}

void
tm_main(void)
{
    tm_initialize(preempt_init);
}
