/* SPDX-License-Identifier: MIT */
/* Each thread has its own TLS block: errno and every _Thread_local (set
 * from .tdata, zero in .tbss, over-aligned) stay each thread's own while
 * threads interleave, and a thread created later starts from the image's
 * initial values, whatever the others did to theirs. */
#include <errno.h>
#include <limits.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define ROUNDS 200
#define WORKER_PRIO 10 /* more urgent than main: they run as they are spawned */

static _Thread_local unsigned counter = 1000;                        /* .tdata */
static _Thread_local unsigned zeroed;                                 /* .tbss */
static _Thread_local uint64_t wide __attribute__((aligned(16))) = 7u; /* over-aligned */

/* Workers cannot assert (an assertion ends the test, not a thread): they
 * count what they saw wrong, and the test checks the counts. */
static volatile unsigned wrong[3];
static volatile unsigned rounds_done[2];
static uintptr_t wide_addr[3];

/* Worker 0 gets ERANGE from a failing library call, worker 1 assigns its
 * own values; each yields to the other between setting and reading. */
static void
errno_worker(void *arg)
{
    unsigned id = (unsigned)(uintptr_t)arg;
    wide_addr[id] = (uintptr_t)&wide;
    if (counter != 1000 || zeroed != 0 || wide != 7u || errno != 0) {
        wrong[id]++;
    }
    for (unsigned i = 0; i < ROUNDS; i++) {
        int want;
        if (id == 0) {
            errno = 0;
            long v = strtol("99999999999999999999999", NULL, 10);
            want = ERANGE;
            if (v != LONG_MAX) {
                wrong[id]++;
            }
        } else {
            want = 1000 + (int)i;
            errno = want;
        }
        counter += 1 + id;
        zeroed += 10;
        wide += 3u + id;
        pica_yield();
        if (errno != want || counter != 1000 + (i + 1) * (1 + id) || zeroed != (i + 1) * 10 ||
            wide != 7u + (uint64_t)(i + 1) * (3u + id)) {
            wrong[id]++;
        }
        rounds_done[id]++;
        pica_yield();
    }
}

static void
late_worker(void *arg)
{
    (void)arg;
    wide_addr[2] = (uintptr_t)&wide;
    if (counter != 1000 || zeroed != 0 || wide != 7u || errno != 0) {
        wrong[2]++;
    }
}

PICA_TEST(two_threads_each_see_only_their_own_errno_and_thread_locals)
{
    /* main's block is its own from its first instruction, not only after
     * its first switch: the address does not move across the switches. */
    uintptr_t main_wide = (uintptr_t)&wide;
    pica_assert_eq(main_wide % 16u, 0);
    errno = 0;
    counter = 1000;
    pica_assert_eq(pica_test_spawn(0, errno_worker, (void *)0, WORKER_PRIO), 0);
    pica_assert_eq(pica_test_spawn(1, errno_worker, (void *)1, WORKER_PRIO), 0);
    pica_test_join_workers(2);
    pica_assert_eq(rounds_done[0], ROUNDS);
    pica_assert_eq(rounds_done[1], ROUNDS);
    pica_assert_eq(wrong[0], 0);
    pica_assert_eq(wrong[1], 0);
    pica_assert_ne(wide_addr[0], wide_addr[1]);
    pica_assert_eq((uintptr_t)&wide, main_wide);
    pica_assert_eq(wide_addr[0] % 16u, 0);
    pica_assert_eq(wide_addr[1] % 16u, 0);
    /* main's own copies were never touched by the workers */
    pica_assert_eq(errno, 0);
    pica_assert_eq(counter, 1000);
    pica_assert_eq(zeroed, 0);
    pica_assert_eq(wide, 7u);
}

PICA_TEST(a_thread_created_later_starts_from_the_initial_values)
{
    /* main changes its own copies first: the new thread, on worker 0's
     * stack, must see neither them nor what worker 0 left in its block. */
    errno = EIO;
    counter = 5;
    zeroed = 6;
    wide = 8u;
    pica_assert_eq(pica_test_spawn(0, late_worker, NULL, WORKER_PRIO), 0);
    pica_test_join_workers(1);
    pica_assert_eq(wrong[2], 0);
    pica_assert_eq(wide_addr[2] % 16u, 0);
    pica_assert_eq(errno, EIO);
    pica_assert_eq(counter, 5);
}

int
main(void)
{
    pica_test_run();
}
