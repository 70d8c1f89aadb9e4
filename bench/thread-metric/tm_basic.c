/* SPDX-License-Identifier: MIT */
/* Thread-Metric workload 1, basic processing: one thread runs a fixed
 * computation over an array, with no RTOS call at all. It is the baseline:
 * every kernel should score the same here, so it checks the method. The
 * computation is the one the Thread-Metric suite defines (each element
 * becomes (element + round) ^ element), so that figures compare with other
 * kernels' runs of it on the same CPU. */
#include "tm_api.h"
#include "tm_report.h"

#define BASIC_WORDS 1024

static unsigned long basic_rounds;
/* volatile: each element is loaded and stored on every pass, as a real
 * workload touching memory would. */
static volatile unsigned long basic_data[BASIC_WORDS];

static void
basic_worker(void)
{
    for (;;) {
        for (unsigned i = 0; i < BASIC_WORDS; i++) {
            basic_data[i] = (basic_data[i] + basic_rounds) ^ basic_data[i];
        }
        basic_rounds++;
    }
}

static const struct tm_workload basic = {
    .name = "basic",
    .counters = {&basic_rounds},
    .counter_count = 1,
    .ops_counter = 0,
};

static void
basic_init(void)
{
    tm_thread_create(0, 10, basic_worker);
    tm_thread_resume(0);
    tm_report_start(&basic);
}

void
tm_main(void)
{
    tm_initialize(basic_init);
}
