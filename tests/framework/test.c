/* SPDX-License-Identifier: MIT */
/* Runner of the in-kernel test framework (include/pica/test.h): walks the
 * table the linker builds from PICA_TEST() and longjmps out of a test on the
 * first failed assertion. A run that outlives its virtual-time limit is
 * stopped by a timer here, with the name of the test it was in. */
#include <pica/test.h>

#include <pica/irq.h>
#include <pica/panic.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <pica/timer.h>
#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

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

static struct pica_thread workers[PICA_TEST_WORKERS];
static uint64_t worker_stacks[PICA_TEST_WORKERS][PICA_TEST_WORKER_STACK / 8]
    __attribute__((aligned(32)));

int
pica_test_spawn(int i, void (*fn)(void *), void *arg, unsigned prio)
{
    if (i < 0 || i >= PICA_TEST_WORKERS) {
        return -EINVAL;
    }
    return pica_thread_create(&workers[i], "worker", fn, arg, worker_stacks[i],
                              sizeof(worker_stacks[i]), prio, 0);
}

struct pica_thread *
pica_test_worker(int i)
{
    return i >= 0 && i < PICA_TEST_WORKERS ? &workers[i] : NULL;
}

void
pica_test_join_workers(int n)
{
    for (int i = 0; i < n; i++) {
        pica_assert_eq(pica_thread_join(&workers[i], PICA_MS(5000)), 0);
    }
}

struct find_arg {
    const char *name;
    struct pica_thread_info *info;
    int found;
};

static void
find_one(struct pica_thread *t, void *arg)
{
    struct find_arg *fa = arg;
    struct pica_thread_info info;
    if (pica_thread_info(t, &info) == 0 && strcmp(info.name, fa->name) == 0) {
        *fa->info = info;
        fa->found = 1;
    }
}

int
pica_test_find_thread(const char *name, struct pica_thread_info *info)
{
    struct find_arg fa = {name, info, 0};
    pica_thread_foreach(find_one, &fa);
    return fa.found ? 0 : -ENOENT;
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

/* The run's limit of guest time in milliseconds, counted from boot; 0: none.
 * pica_add_qemu_test() links in a strong definition from its
 * VIRTUAL_TIMEOUT; this weak one serves an image run by hand (volatile, or
 * the compiler would use its 0 here). Under QEMU icount the guest's clock
 * follows executed instructions, so the limit stops a hung test at the same
 * point however busy the host is. */
__attribute__((weak)) const volatile uint32_t pica_test_time_limit_ms = 0;

static const char *volatile current_test; /* NULL between tests */
static struct pica_timer time_limit;

/* Runs in the timer interrupt, so it preempts any thread a hung test left
 * running. A test that masks interrupts forever cannot be stopped from
 * here; the runner, which counts the guest's instructions, stops it. */
static void
time_limit_reached(void *arg)
{
    (void)arg;
    unsigned ms = (unsigned)pica_test_time_limit_ms;
    char fraction[5] = "";
    if (ms % 1000u != 0) {
        snprintf(fraction, sizeof(fraction), ".%03u", ms % 1000u);
        for (char *end = fraction + strlen(fraction) - 1; *end == '0'; end--) {
            *end = '\0';
        }
    }
    const char *name = current_test;
    printf("\nvirtual time limit of %u%s s reached %s%s\n", ms / 1000u, fraction,
           name != NULL ? "in test " : "outside a test", name != NULL ? name : "");
    pica_exit(PICA_EXIT_TIME_LIMIT);
}

static void
time_limit_start(void)
{
    uint64_t now_ms = pica_uptime_us() / 1000u;
    uint32_t limit_ms = pica_test_time_limit_ms;
    uint32_t left_ms = now_ms < limit_ms ? limit_ms - (uint32_t)now_ms : 0;
    if (pica_timer_init_isr(&time_limit, time_limit_reached, NULL) != 0 ||
        pica_timer_start(&time_limit, PICA_MS(left_ms), 0) != 0) {
        printf("  could not start the virtual-time limit\n");
        pica_exit(PICA_EXIT_TEST_FAILED);
    }
}

static void
print_stack_use(struct pica_thread *t, void *arg)
{
    (void)arg;
    struct pica_thread_info info;
    if (pica_thread_info(t, &info) == 0 && info.state != PICA_THREAD_DEAD) {
        printf(" %s %u/%u", info.name, (unsigned)info.stack_used_max, (unsigned)info.stack_size);
        if (info.kstack_size != 0) {
            printf(" (+%u/%u privileged)", (unsigned)info.kstack_used_max,
                   (unsigned)info.kstack_size);
        }
    }
}

void
pica_test_run(void)
{
    /* volatile: they live across setjmp/longjmp. */
    volatile unsigned passed = 0, failed = 0;
    /* Tests run under QEMU icount; see pica_idle_set_busy(). */
    pica_idle_set_busy(true);
    if (pica_test_time_limit_ms != 0) {
        time_limit_start();
    }
    for (const struct pica_test_case *volatile t = __pica_tests_start; t < __pica_tests_end; t++) {
        current_test = t->name;
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
        current_test = NULL;
    }
    if (passed + failed == 0) {
        printf("no tests registered\n");
        failed = 1;
    }
    /* High-water marks of the threads still alive, for sizing stacks
     * (boards with little RAM shrink the kernel's from these figures). */
    printf("stack use:");
    pica_thread_foreach(print_stack_use, NULL);
    printf("\n%u passed, %u failed\n", (unsigned)passed, (unsigned)failed);
    pica_exit(failed ? PICA_EXIT_TEST_FAILED : PICA_EXIT_OK);
}

void
pica_test_fire_irq(unsigned irq)
{
    uint32_t before = pica_irq_count(irq);
    pica_assert_eq(pica_irq_trigger(irq), 0);
    pica_sleep(PICA_TICKS(1));
    pica_assert_eq(pica_irq_count(irq), before + 1);
}
