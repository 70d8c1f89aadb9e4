/* SPDX-License-Identifier: MIT */
/* Runner of the in-kernel test framework (include/pica/test.h): walks the
 * table the linker builds from PICA_TEST() and longjmps out of a test on the
 * first failed assertion. */
#include <pica/test.h>

#include <pica/irq.h>
#include <pica/panic.h>
#include <pica/thread.h>
#include <setjmp.h>
#include <stdio.h>

extern const struct pica_test_case __pica_tests_start[], __pica_tests_end[];

static char trace[64];
static volatile unsigned trace_len;

void
pica_test_trace(char c)
{
    unsigned key = pica_irq_lock();
    if (trace_len < sizeof(trace) - 1) {
        trace[trace_len++] = c;
        trace[trace_len] = '\0';
    }
    pica_irq_unlock(key);
}

void
pica_test_trace_reset(void)
{
    unsigned key = pica_irq_lock();
    trace_len = 0;
    trace[0] = '\0';
    pica_irq_unlock(key);
}

const char *
pica_test_trace_get(void)
{
    return trace;
}

unsigned
pica_test_trace_len(void)
{
    return trace_len;
}

static jmp_buf test_escape;
static int test_running;
static struct pica_thread *test_runner;   /* the thread running the tests */
static volatile int failed_elsewhere;     /* an assertion failed in another thread */

/* picolibc's integer printf has no 64-bit conversions. */
static const char *
fmt_i64(char buf[24], int64_t v)
{
    uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
    char *p = buf + 23;
    *p = '\0';
    do {
        *--p = (char)('0' + u % 10u);
        u /= 10u;
    } while (u != 0);
    if (v < 0) {
        *--p = '-';
    }
    return p;
}

static void
fail_end(void)
{
    if (test_running && pica_thread_self() != test_runner) {
        /* Not the runner's stack: no longjmp; stop this thread and let the
         * runner count the failure when the test returns. */
        failed_elsewhere = 1;
        pica_thread_exit(-1);
    }
    if (!test_running) {
        printf("  assertion failed outside a test\n");
        pica_exit(PICA_EXIT_TEST_FAILED);
    }
    longjmp(test_escape, 1);
}

void
pica_test_fail(const char *file, int line, const char *expr)
{
    printf("  %s:%d: assertion failed: %s\n", file, line, expr);
    fail_end();
    __builtin_unreachable();
}

void
pica_test_fail_cmp(const char *file, int line, const char *expr, int64_t a, int64_t b)
{
    char ba[24], bb[24];
    printf("  %s:%d: assertion failed: %s (%s vs %s)\n", file, line, expr, fmt_i64(ba, a),
           fmt_i64(bb, b));
    fail_end();
    __builtin_unreachable();
}

void
pica_test_run(void)
{
    /* volatile: they live across setjmp/longjmp. */
    volatile unsigned passed = 0, failed = 0;
    /* Tests run under QEMU icount; see pica_idle_set_busy(). */
    pica_idle_set_busy(true);
    for (const struct pica_test_case *volatile t = __pica_tests_start; t < __pica_tests_end; t++) {
        test_running = 1;
        test_runner = pica_thread_self();
        failed_elsewhere = 0;
        if (setjmp(test_escape) == 0) {
            t->fn();
        } else {
            failed_elsewhere = 1;
        }
        if (!failed_elsewhere) {
            printf("PASS %s\n", t->name);
            passed++;
        } else {
            printf("FAIL %s\n", t->name);
            failed++;
        }
        test_running = 0;
    }
    if (passed + failed == 0) {
        printf("no tests registered\n");
        failed = 1;
    }
    printf("%u passed, %u failed\n", (unsigned)passed, (unsigned)failed);
    pica_exit(failed ? PICA_EXIT_TEST_FAILED : PICA_EXIT_OK);
}
