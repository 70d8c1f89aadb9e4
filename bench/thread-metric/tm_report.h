/* SPDX-License-Identifier: MIT */
/* The reporting thread shared by Pica's own Thread-Metric workloads (tm_*.c):
 * every period it prints the operations counted in it, checks the workers'
 * counters and ends the run after TM_PERIODS periods. tm_report.c. */
#pragma once

#include <stdint.h>

#define TM_COUNTERS_MAX 5

/* Thread id and Thread-Metric priority of the reporter (the most urgent). */
#define TM_REPORT_THREAD 9
#define TM_REPORT_PRIO 1

struct tm_workload {
    const char *name;
    unsigned long *counters[TM_COUNTERS_MAX]; /* one per worker or handler */
    int counter_count;
    int ops_counter; /* index of the counter that counts operations; -1: their sum */
};

/* Workers count here every call that did not return TM_SUCCESS. */
extern volatile unsigned long tm_errors;

/* Create and resume the reporter for @w (call from the test's init function). */
void tm_report_start(const struct tm_workload *w);
