/* SPDX-License-Identifier: MIT */
/* Arguments are checked before anything happens, on every path: every
 * public call is fed each kind of bad argument (NULL or never-initialised
 * object, NULL pointer, negative timeout other than PICA_FOREVER, blocking
 * timeout in an interrupt handler, bad flag or value) on a fixture that
 * could have served it at once, and must return the documented error,
 * change nothing, and leave its out-parameters as documented. The tables
 * are in sync.c, data.c, threads.c and services.c; this file runs
 * them. */
#include <pica/errno.h>
#include <pica/irq.h>
#include <pica/panic.h>
#include <pica/test.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "args.h"

/* ---- snapshots ---- */

#define SNAP_MAX 4
#define SNAP_BYTES 176 /* the largest object snapped (a thread), with room; sifive_e has 16 KB */

static struct {
    const char *name;
    const void *obj;
    size_t size;
    unsigned char copy[SNAP_BYTES];
} snaps[SNAP_MAX];
static unsigned snap_count;

void
args_snap(const char *name, const void *obj, size_t size)
{
    pica_assert(snap_count < SNAP_MAX && size <= SNAP_BYTES);
    snaps[snap_count].name = name;
    snaps[snap_count].obj = obj;
    snaps[snap_count].size = size;
    memcpy(snaps[snap_count].copy, obj, size);
    snap_count++;
}

static const char *
snap_changed(void)
{
    for (unsigned i = 0; i < snap_count; i++) {
        if (memcmp(snaps[i].copy, snaps[i].obj, snaps[i].size) != 0) {
            return snaps[i].name;
        }
    }
    return NULL;
}

static char report[160];

const char *
args_fmt(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(report, sizeof(report), fmt, ap);
    va_end(ap);
    return report;
}

/* ---- calls from an interrupt handler ---- */

static unsigned isr_line;
static const struct arg_row *volatile isr_row;
static volatile int isr_result;

static void
row_isr(void *arg)
{
    (void)arg;
    const struct arg_row *r = isr_row;
    if (r != NULL) {
        isr_result = r->call(r);
        isr_row = NULL;
    }
}

unsigned
args_isr_line(void)
{
    if (isr_line == 0) {
        unsigned lines = arch_irq_lines();
        isr_line = (lines < PICA_CFG_IRQ_MAX ? lines : PICA_CFG_IRQ_MAX) - 1u;
        pica_assert_eq(pica_irq_attach(isr_line, row_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
        pica_assert_eq(pica_irq_enable(isr_line), 0);
    }
    return isr_line;
}

unsigned
args_free_line(void)
{
    return args_isr_line() - 1u;
}

static int
call_in_isr(const struct arg_row *r)
{
    /* A result no call returns: tells a handler that did not run. */
    isr_result = INT32_MIN;
    isr_row = r;
    pica_test_fire_irq(args_isr_line());
    isr_row = NULL;
    return isr_result;
}

/* ---- the runner ---- */

/* Set up, call, check, tear down. Returns NULL, or what was wrong. */
static const char *
try_row(const struct arg_group *g, const struct arg_row *r)
{
    snap_count = 0;
    g->setup(r);
    int ret = r->isr ? call_in_isr(r) : r->call(r);
    const char *changed = snap_changed();
    const char *wrong = changed != NULL ? args_fmt("%s changed", changed) : NULL;
    if (wrong == NULL && g->check != NULL) {
        wrong = g->check(r);
    }
    if (ret != r->expect) {
        char also[80] = "";
        if (wrong != NULL) {
            snprintf(also, sizeof(also), "; %s", wrong);
        }
        wrong = args_fmt("returned %d (%s), expected %d (%s)%s", ret,
                         ret == INT32_MIN ? "handler did not run" : pica_strerror(ret), r->expect,
                         pica_strerror(r->expect), also);
    }
    /* Teardown may format a report of its own: keep this one. */
    static char kept[sizeof(report)];
    if (wrong != NULL) {
        snprintf(kept, sizeof(kept), "%s", wrong);
        wrong = kept;
    }
    if (g->teardown != NULL) {
        g->teardown(r);
    }
    return wrong;
}

void
args_run(const struct arg_group *g)
{
    unsigned good = 0, known = 0, not_run = 0, failed = 0;
    for (unsigned i = 0; i < g->n; i++) {
        const struct arg_row *r = &g->rows[i];
        const char *where = r->isr ? " in an ISR" : "";
        if (r->not_run) {
            printf("  NOT RUN %s %s%s: known defect: %s\n", g->name, r->what, where, r->known);
            not_run++;
            continue;
        }
        const char *wrong = try_row(g, r);
        if (r->known != NULL && wrong != NULL) {
            printf("  KNOWN   %s %s%s: %s; known defect: %s\n", g->name, r->what, where, wrong,
                   r->known);
            known++;
        } else if (r->known != NULL) {
            printf("  FIXED?  %s %s%s is as documented: remove its known-defect mark (%s)\n",
                   g->name, r->what, where, r->known);
            failed++;
        } else if (wrong != NULL) {
            printf("  FAIL    %s %s%s: %s\n", g->name, r->what, where, wrong);
            failed++;
        } else {
            good++;
        }
    }
    printf("  %s: %u rows, %u as documented, %u known defects (%u not run), %u failed\n", g->name,
           g->n, good, known + not_run, not_run, failed);
    pica_assert_eq(failed, 0);
}

/* ---- the tests: one per group ---- */

PICA_TEST(semaphore_calls_refuse_bad_arguments)
{
    args_run(&args_sem);
}

PICA_TEST(mutex_calls_refuse_bad_arguments)
{
    args_run(&args_mutex);
}

PICA_TEST(event_calls_refuse_bad_arguments)
{
    args_run(&args_event);
}

PICA_TEST(queue_calls_refuse_bad_arguments)
{
    args_run(&args_queue);
}

PICA_TEST(pool_calls_refuse_bad_arguments)
{
    args_run(&args_pool);
}

PICA_TEST(thread_calls_refuse_bad_arguments)
{
    args_run(&args_thread);
}

PICA_TEST(time_calls_refuse_bad_arguments)
{
    args_run(&args_time);
}

PICA_TEST(timer_calls_refuse_bad_arguments)
{
    args_run(&args_timer);
}

PICA_TEST(irq_calls_refuse_bad_arguments)
{
    args_run(&args_irq);
}

PICA_TEST(heap_calls_refuse_bad_arguments)
{
    args_run(&args_heap);
}

PICA_TEST(log_calls_refuse_bad_arguments)
{
    args_run(&args_log);
}

PICA_TEST(console_calls_refuse_bad_arguments)
{
    args_run(&args_console);
}

int
main(void)
{
    /* A kernel whose checks panic (PICA_CFG_CHECK_PANIC) cannot be fed bad
     * arguments: nothing to test there. */
    if (PICA_CFG_CHECK_PANIC) {
        printf("argument checks panic in this configuration: skipped\n");
        pica_exit(PICA_EXIT_OK);
    }
    pica_test_run();
}
