/* SPDX-License-Identifier: MIT */
/* Reporter of Pica's Thread-Metric workloads. The period is counted in kernel
 * ticks, so under QEMU -icount shift=0 (one instruction per nanosecond) it is
 * an exact number of guest instructions, and instructions per operation is
 * that number divided by the operations counted. Period 1 warms up; the line
 * tools/pica-bench reads is the "result" one, which repeats period 2. */
#include "tm_report.h"

#include <pica/pica.h>

#include "tm_api.h"

#ifndef TM_PERIOD_MS
#define TM_PERIOD_MS 100
#endif
#ifndef TM_PERIODS
#define TM_PERIODS 2
#endif

#define TM_PERIOD_TICKS ((pica_tick_t)TM_PERIOD_MS * PICA_CFG_TICK_HZ / 1000u)
#define TM_PERIOD_INSNS ((uint64_t)TM_PERIOD_MS * 1000000u) /* at 1 ns per instruction */

volatile unsigned long tm_errors;

static const struct tm_workload *tm_work;

static unsigned long
tm_read(int i)
{
    return *(volatile unsigned long *)tm_work->counters[i];
}

static unsigned long
tm_ops(void)
{
    if (tm_work->ops_counter >= 0) {
        return tm_read(tm_work->ops_counter);
    }
    unsigned long sum = 0;
    for (int i = 0; i < tm_work->counter_count; i++) {
        sum += tm_read(i);
    }
    return sum;
}

/* Counters of one workload move in step: each stays within one of their
 * average (the reporter may stop the workers part-way through a round), and
 * each must have moved since the last period. */
static int
tm_counters_ok(unsigned long *last)
{
    unsigned long sum = 0;
    int ok = 1;
    for (int i = 0; i < tm_work->counter_count; i++) {
        sum += tm_read(i);
    }
    unsigned long avg = sum / (unsigned long)tm_work->counter_count;
    for (int i = 0; i < tm_work->counter_count; i++) {
        unsigned long c = tm_read(i);
        if (c + 1u < avg || c > avg + 1u || c == last[i]) {
            ok = 0;
        }
        last[i] = c;
    }
    return ok;
}

static void
tm_print(const char *what, int period, unsigned long ops, int ok)
{
    uint64_t centi = ops ? TM_PERIOD_INSNS * 100u / ops : 0;
    printf("TM %s %s %d ops %lu instr/op %lu.%02lu %s\n", tm_work->name, what, period, ops,
           (unsigned long)(centi / 100u), (unsigned long)(centi % 100u), ok ? "ok" : "ERROR");
}

static void
tm_report_entry(void)
{
    unsigned long last[TM_COUNTERS_MAX] = {0};
    unsigned long last_ops = 0, result_ops = 0;
    int failed = 0;
    pica_tick_t deadline = pica_tick_now();
    printf("TM %s period %lu ms (%lu ticks)\n", tm_work->name, (unsigned long)TM_PERIOD_MS,
           (unsigned long)TM_PERIOD_TICKS);
    for (int period = 1; period <= TM_PERIODS; period++) {
        pica_sleep_until(&deadline, TM_PERIOD_TICKS);
        unsigned long ops = tm_ops() - last_ops;
        last_ops += ops;
        int ok = tm_counters_ok(last) && tm_errors == 0 && ops > 0;
        failed |= !ok;
        if (period == 2 || TM_PERIODS == 1) {
            result_ops = ops;
        }
        tm_print("period", period, ops, ok);
    }
    tm_print("result", 2, result_ops, !failed);
    pica_exit(failed ? PICA_EXIT_TEST_FAILED : PICA_EXIT_OK);
}

void
tm_report_start(const struct tm_workload *w)
{
    tm_work = w;
    if (tm_thread_create(TM_REPORT_THREAD, TM_REPORT_PRIO, tm_report_entry) != TM_SUCCESS ||
        tm_thread_resume(TM_REPORT_THREAD) != TM_SUCCESS) {
        PICA_PANIC("tm: reporter");
    }
}
