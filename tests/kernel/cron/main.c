/* SPDX-License-Identifier: MIT */
/* Cron on the board, in guest time (icount): jobs with a seconds field fire
 * on their seconds, a run still going makes the next fire time skipped and
 * counted, setting the clock moves the schedule (a jump back repeats fire
 * times, a jump forward passes them over), bad lines are refused with the
 * field and the reason, and a user task started by cron runs unprivileged:
 * its read of kernel memory is stopped, and its process's jobs end with it. */
#include <errno.h>
#include <pica/cron.h>
#include <pica/pica.h>
#include <pica/heap.h>
#include <pica/proc.h>
#include <pica/sem.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "cron_expr.h"

#define T0 1767225600LL /* 2026-01-01 00:00:00 UTC */

static void
set_clock(int64_t sec, uint32_t nsec)
{
    const struct pica_walltime t = {.sec = sec, .nsec = nsec};
    pica_assert_eq(pica_time_set(&t), 0);
}

static int64_t
wall_ms(void)
{
    struct pica_walltime t;
    pica_time_get(&t);
    return t.sec * 1000 + t.nsec / 1000000u;
}

static int
job_info(int id, struct pica_cron_info *out)
{
    for (unsigned i = 0; pica_cron_info_at(i, out) == 0; i++) {
        if (out->id == id) {
            return 0;
        }
    }
    return -ENOENT;
}

/* ---- fire times ---- */

#define MAX_STAMPS 8
static int64_t stamps[MAX_STAMPS];
static volatile unsigned nstamps;

static void
stamp(void *arg)
{
    (void)arg;
    if (nstamps < MAX_STAMPS) {
        stamps[nstamps] = wall_ms();
    }
    nstamps++;
}

PICA_TEST(a_seconds_field_fires_on_its_seconds)
{
    /* The clock is set just short of each second that matters, so guest
     * time is not spent waiting for whole seconds (20 ms before it; a
     * sleep of 30 ms then passes it). */
    nstamps = 0;
    set_clock(T0 + 1, 980000000u);
    int id = pica_cron_add("*/2 * * * * *", stamp, NULL, 10, NULL);
    pica_assert_ge(id, 1);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* T0 + 2 */
    set_clock(T0 + 3, 980000000u);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* T0 + 4 */
    set_clock(T0 + 4, 980000000u);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* T0 + 5: odd, nothing */
    pica_assert_eq(pica_cron_del(id), 0);
    printf("cron: %u runs:", nstamps);
    for (unsigned i = 0; i < nstamps && i < MAX_STAMPS; i++) {
        printf(" +%ld ms", (long)(stamps[i] - T0 * 1000));
    }
    printf("\n");
    pica_assert_eq(nstamps, 2); /* T0 + 2, + 4 */
    for (unsigned i = 0; i < 2; i++) {
        int64_t want = (T0 + 2 * (int64_t)(i + 1)) * 1000;
        pica_assert_ge(stamps[i], want);
        pica_assert_le(stamps[i], want + 20); /* a tick or two late at most */
    }
}

/* A kernel job's thread and stack come from the heap: whatever a block
 * held before, even what looks like a live thread, must not stop it. */
PICA_TEST(a_job_starts_on_heap_memory_that_held_anything)
{
    size_t size = ((sizeof(struct pica_thread) + 7u) & ~7u) + PICA_CFG_CRON_RUN_STACK;
    void *used = pica_malloc(size);
    pica_assert(used != NULL);
    memset(used, 0x01, size); /* a control block's state would read "alive" */
    pica_free(used);
    nstamps = 0;
    set_clock(T0 + 50, 980000000u);
    int id = pica_cron_add("* * * * * *", stamp, NULL, 10, NULL);
    pica_assert_ge(id, 1);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* T0 + 51 */
    struct pica_cron_info in;
    pica_assert_eq(job_info(id, &in), 0);
    pica_assert_eq(pica_cron_del(id), 0);
    printf("cron: job on reused heap: %lu runs, %lu failures\n", (unsigned long)in.runs,
           (unsigned long)in.failures);
    pica_assert_eq(in.failures, 0);
    pica_assert_eq(in.runs, 1);
    pica_assert_eq(nstamps, 1);
}

/* ---- overruns ---- */

static volatile int inside, overlapped;
static struct pica_sem release;

static void
slow(void *arg)
{
    (void)arg;
    overlapped += inside;
    inside++;
    (void)pica_sem_take(&release, PICA_MS(5000));
    inside--;
}

PICA_TEST(a_run_still_going_makes_the_next_skipped_and_counted)
{
    pica_assert_eq(pica_sem_init(&release, 0, 1), 0);
    set_clock(T0 + 100, 980000000u);
    int id = pica_cron_add("* * * * * *", slow, NULL, 10, NULL);
    pica_assert_ge(id, 1);
    for (int s = 101; s <= 103; s++) {
        pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* fire time s */
        set_clock(T0 + s, 980000000u);
    }
    /* 101 started a run that has not ended: 102 and 103 were skipped. Its
     * run is on the job's own thread, so the job stays until it ends. */
    pica_assert_eq(pica_cron_del(id), -EBUSY);
    pica_assert_eq(pica_sem_give(&release), 0);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* 104: a new run */
    struct pica_cron_info in;
    pica_assert_eq(job_info(id, &in), 0);
    printf("cron: overrunning job: %lu runs, %lu skips\n", (unsigned long)in.runs,
           (unsigned long)in.skips);
    pica_assert_eq(in.runs, 2);
    pica_assert_eq(in.skips, 2);
    pica_assert_eq(overlapped, 0);
    pica_assert_eq(pica_sem_give(&release), 0);
    pica_assert_eq(pica_sleep(PICA_MS(10)), 0);
    pica_assert_eq(pica_cron_del(id), 0);
    pica_assert_eq(pica_cron_del(id), -ENOENT);
}

/* ---- the clock moves ---- */

PICA_TEST(setting_the_clock_moves_the_schedule)
{
    nstamps = 0;
    const int64_t noon = T0 + 12 * 3600;
    set_clock(noon - 1, 980000000u); /* 11:59:59.98 */
    int id = pica_cron_add("0 0 12 * * *", stamp, NULL, 10, NULL);
    pica_assert_ge(id, 1);
    struct pica_cron_info in;
    pica_assert_eq(job_info(id, &in), 0);
    pica_assert_eq(in.next, noon);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0);
    pica_assert_eq(nstamps, 1); /* 12:00:00 */
    /* Back to 11:59:59.98: 12:00:00 comes again. */
    set_clock(noon - 1, 980000000u);
    pica_assert_eq(job_info(id, &in), 0);
    pica_assert_eq(in.next, noon);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0);
    pica_assert_eq(nstamps, 2);
    /* Forward from 11:59:59.98 to 12:00:05: passed over, tomorrow next. */
    set_clock(noon - 1, 980000000u);
    set_clock(noon + 5, 0);
    pica_assert_eq(job_info(id, &in), 0);
    pica_assert_eq(in.next, noon + 24 * 3600);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0);
    pica_assert_eq(nstamps, 2);
    pica_assert_eq(pica_cron_del(id), 0);
}

PICA_TEST(bad_lines_are_refused_with_the_field_and_the_reason)
{
    struct cron_error err;
    memset(&err, 0, sizeof(err));
    pica_assert_eq(pica_cron_add("0 25 * * *", stamp, NULL, 10, &err), -EINVAL);
    pica_assert_eq(err.field, 1);
    char why[96];
    cron_error_format(why, sizeof(why), &err);
    printf("cron: refused: %s\n", why);
    pica_assert(strstr(why, "hour") != NULL);
    pica_assert_eq(pica_cron_add("* * * *", stamp, NULL, 10, &err), -EINVAL);
    pica_assert_eq(pica_cron_add("@often", stamp, NULL, 10, &err), -EINVAL);
    pica_assert_eq(pica_cron_add("* * * * *", NULL, NULL, 10, &err), -EINVAL);
    pica_assert_eq(pica_cron_add(NULL, stamp, NULL, 10, &err), -EINVAL);
    struct pica_cron_info in;
    pica_assert_eq(pica_cron_info_at(0, &in), -ENOENT); /* nothing was added */
}

PICA_TEST(the_table_is_bounded_and_gives_everything_back)
{
    /* Each kernel job holds its run's thread and stack from the heap: on a
     * board with a small heap, memory runs out before the table does. */
    struct pica_heap_stats before, after;
    pica_assert_eq(pica_heap_stats(&before), 0);
    int ids[PICA_CFG_CRON_JOBS];
    unsigned n = 0;
    int r;
    while ((r = pica_cron_add("0 0 1 1 *", stamp, NULL, 10, NULL)) >= 1) {
        pica_assert_lt(n, PICA_CFG_CRON_JOBS);
        ids[n++] = r;
    }
    printf("cron: %u jobs, then %s\n", n, r == -ENOSPC ? "the table is full" : "no memory");
    pica_assert(r == -ENOSPC || r == -ENOMEM);
    pica_assert(r == -ENOMEM || n == PICA_CFG_CRON_JOBS);
    pica_assert_ge(n, 1);
    for (unsigned i = 0; i < n; i++) {
        pica_assert_eq(pica_cron_del(ids[i]), 0);
    }
    pica_assert_eq(pica_heap_stats(&after), 0);
    pica_assert_eq(after.free_bytes, before.free_bytes);
}

/* ---- a user task ---- */

PICA_TEST(a_user_task_started_by_cron_runs_unprivileged)
{
    struct pica_proc *p = pica_proc_find("cronuser");
    pica_assert(p != NULL);
    set_clock(T0 + 1000, 0);
    uint32_t faults = p->faults;
    pica_assert_eq(pica_proc_start(p), 0);
    /* Its job runs at +1 s (counts) and +2 s (reads the kernel: stopped,
     * the process ends); at +3 s its job ends with it. */
    pica_assert_eq(pica_sleep(PICA_MS(20)), 0); /* it registers its job */
    set_clock(T0 + 1000, 980000000u);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* 1001: run 1 */
    set_clock(T0 + 1001, 980000000u);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* 1002: run 2 */
    set_clock(T0 + 1002, 980000000u);
    pica_assert_eq(pica_sleep(PICA_MS(30)), 0); /* 1003: its process is gone */
    pica_assert_eq(p->faults, faults + 1);
    pica_assert(p->state != PICA_PROC_RUNNING);
    pica_assert_eq(p->last_fault.addr, (uint32_t)CRON_KERNEL_ADDR);
    struct pica_cron_info in;
    pica_assert_eq(pica_cron_info_at(0, &in), -ENOENT);
}

int
main(void)
{
    pica_test_run();
}
