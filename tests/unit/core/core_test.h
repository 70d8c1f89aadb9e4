/* SPDX-License-Identifier: MIT */
/* Support for the host tests of the kernel core: a runner that gives every
 * test a fresh process (the kernel's state cannot be reset), marks for
 * tests that show a known, not yet fixed defect, threads on ready-made
 * stacks, a trace to compare against, a check of the scheduler's
 * invariants, and a loop that replays a scenario with an interrupt at each
 * of its interrupt windows. The fake port itself: fake_port/fake_port.h. */
#pragma once

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <pica/thread.h>

#include "fake_port.h"

/* The clock every test boots with: 1 MHz, so a cycle is a microsecond and
 * a tick (1 kHz) is 1000 cycles. */
#define CORE_HZ 1000000u
#define CORE_CPT (CORE_HZ / PICA_CFG_TICK_HZ)

struct core_test {
    const char *name;
    void (*fn)(void **state);
    const char *known_bug; /* NULL, or the defect that makes it fail today */
};

#define CORE_TEST(fn) {#fn, fn, NULL}
/* A test that fails until @why is fixed: the run reports it without
 * failing, and fails once it passes, so that the mark is removed. */
#define CORE_TEST_KNOWN_BUG(fn, why) {#fn, fn, why}

/* Run @tests (or only the one named by argv[1]), each in a child process;
 * returns the exit status for main(). */
int core_test_main(const struct core_test *tests, size_t n, int argc, char **argv);
#define CORE_TEST_MAIN(tests)                                                                     \
    int main(int argc, char **argv)                                                               \
    {                                                                                             \
        return core_test_main(tests, sizeof(tests) / sizeof(tests[0]), argc, argv);               \
    }

/* fake_boot(CORE_HZ). */
void core_boot(void);

/* Create and start a thread on one of a fixed set of stacks; asserts. */
struct pica_thread *core_spawn(const char *name, void (*entry)(void *), void *arg, unsigned prio);
/* The same with pica_thread_create() flags; returns its result. */
int core_spawn_flags(struct pica_thread **t, const char *name, void (*entry)(void *), void *arg,
                     unsigned prio, unsigned flags);

/* Append one space-separated word to the trace; core_traced() is all of
 * it, for assert_string_equal(). */
__attribute__((format(printf, 1, 2))) void core_trace(const char *fmt, ...);
const char *core_traced(void);

/* A result as a word for traces: "0", "ETIMEDOUT", ... (numbers differ
 * between C libraries; symbols do not). */
const char *core_err(int result);

/* The tick now: pica_tick_now(). */
pica_tick_t core_tick(void);

/* Assert the scheduler's invariants: the bitmap against the ready rings,
 * every thread in a ring ready at that ring's priority, every ready thread
 * core_spawn() made in its ring, the running thread ready. Context: a
 * thread, or the test between runs. */
void core_check_sched(void);

/* Replay @scenario in a fresh process for n = 1, 2, ...: it arms
 * fake_isr_at_window(n, ...) at the point it wants covered and returns 0,
 * or CORE_WINDOW_PAST if window n was never reached (the loop ends there).
 * Anything else, or a failed assertion, fails the test with n. Returns
 * the number of windows covered. */
#define CORE_WINDOW_PAST 42
unsigned core_for_each_window(int (*scenario)(unsigned n), unsigned max);

/* Run @fn in a fresh process and assert that it ends with exit status
 * @status (PICA_EXIT_PANIC for a kernel panic). */
void core_expect_exit(void (*fn)(void), int status);
