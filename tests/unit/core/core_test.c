/* SPDX-License-Identifier: MIT */
/* The runner and helpers of the host core tests (core_test.h). Each test
 * runs in a forked child, under an alarm, so a hang or a crash is that
 * test's failure and no kernel state leaks from one test to the next. */
#include "core_test.h"

#include <pica/errno.h>
#include <pica/panic.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sched.h"

#define TEST_SECONDS 20 /* a test's wall-clock limit: far beyond any real one */
#define THREADS 24
#define STACK_SIZE 1024 /* holds the canary and the fake port's frame only */
#define TRACE_SIZE 4096

static struct pica_thread threads[THREADS];
static uint64_t stacks[THREADS][STACK_SIZE / 8] __attribute__((aligned(PICA_STACK_GUARD_BYTES)));
static unsigned spawned;
static char trace[TRACE_SIZE];
static size_t trace_len;

/* The child's exit status, described; NULL when it passed. */
static const char *
outcome(int status, char *buf, size_t size)
{
    if (WIFSIGNALED(status)) {
        snprintf(buf, size, "killed by signal %d%s", WTERMSIG(status),
                 WTERMSIG(status) == SIGALRM ? " (hung)" : "");
    } else if (WEXITSTATUS(status) == PICA_EXIT_PANIC) {
        snprintf(buf, size, "kernel panic");
    } else if (WEXITSTATUS(status) == 3) {
        snprintf(buf, size, "fake port check failed");
    } else if (WEXITSTATUS(status) != 0) {
        snprintf(buf, size, "failed (exit %d)", WEXITSTATUS(status));
    } else {
        return NULL;
    }
    return buf;
}

static int
run_child(const struct core_test *t)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        alarm(TEST_SECONDS);
        const struct CMUnitTest one[] = {{t->name, t->fn, NULL, NULL, NULL}};
        exit(_cmocka_run_group_tests(t->name, one, 1, NULL, NULL) == 0 ? 0 : 1);
    }
    int status = 0;
    if (pid < 0 || waitpid(pid, &status, 0) != pid) {
        perror("fork/wait");
        exit(1);
    }
    return status;
}

int
core_test_main(const struct core_test *tests, size_t n, int argc, char **argv)
{
    unsigned ran = 0, failed = 0, known = 0;
    for (size_t i = 0; i < n; i++) {
        const struct core_test *t = &tests[i];
        if (argc > 1 && strcmp(argv[1], t->name) != 0) {
            continue;
        }
        ran++;
        char buf[96];
        const char *bad = outcome(run_child(t), buf, sizeof(buf));
        if (t->known_bug != NULL && bad != NULL) {
            known++;
            printf("[ KNOWN BUG ] %s %s, as expected until fixed: %s\n", t->name, bad,
                   t->known_bug);
        } else if (t->known_bug != NULL) {
            failed++;
            printf("[ FIXED?    ] %s passes: remove its known-bug mark (%s)\n", t->name,
                   t->known_bug);
        } else if (bad != NULL) {
            failed++;
            printf("[ FAILED    ] %s: %s\n", t->name, bad);
        }
    }
    printf("%u tests: %u passed, %u known bugs, %u failed\n", ran, ran - failed - known, known,
           failed);
    return ran == 0 || failed != 0;
}

void
core_boot(void)
{
    fake_boot(CORE_HZ);
}

int
core_spawn_flags(struct pica_thread **t, const char *name, void (*entry)(void *), void *arg,
                 unsigned prio, unsigned flags)
{
    assert_true(spawned < THREADS);
    unsigned i = spawned++;
    *t = &threads[i];
    return pica_thread_create(*t, name, entry, arg, stacks[i], sizeof(stacks[i]), prio, flags);
}

struct pica_thread *
core_spawn(const char *name, void (*entry)(void *), void *arg, unsigned prio)
{
    struct pica_thread *t;
    assert_int_equal(core_spawn_flags(&t, name, entry, arg, prio, 0), 0);
    return t;
}

void
core_trace(const char *fmt, ...)
{
    va_list ap;
    if (trace_len != 0 && trace_len < TRACE_SIZE - 1) {
        trace[trace_len++] = ' ';
    }
    va_start(ap, fmt);
    int len = vsnprintf(trace + trace_len, TRACE_SIZE - trace_len, fmt, ap);
    va_end(ap);
    assert_true(len >= 0 && (size_t)len < TRACE_SIZE - trace_len);
    trace_len += (size_t)len;
}

const char *
core_traced(void)
{
    return trace;
}

const char *
core_err(int result)
{
    static char buf[16];
    switch (result) {
    case 0: return "0";
    case -EAGAIN: return "EAGAIN";
    case -EDEADLK: return "EDEADLK";
    case -EFAULT: return "EFAULT";
    case -EINTR: return "EINTR";
    case -EINVAL: return "EINVAL";
    case -EOVERFLOW: return "EOVERFLOW";
    case -EOWNERDEAD: return "EOWNERDEAD";
    case -EPERM: return "EPERM";
    case -ESRCH: return "ESRCH";
    case -ETIMEDOUT: return "ETIMEDOUT";
    default:
        snprintf(buf, sizeof(buf), "%d", result);
        return buf;
    }
}

pica_tick_t
core_tick(void)
{
    return pica_tick_now();
}

/* The ring of priority @prio: every member ready at @prio, linked both
 * ways; returns its length. */
static unsigned
check_ring(unsigned prio)
{
    struct pica_thread *head = sched.ready_heads[prio];
    unsigned n = 0;
    if (head == NULL) {
        return 0;
    }
    struct pica_list *p = &head->node;
    do {
        struct pica_thread *t = sched_thread_of(p);
        assert_int_equal(t->state, PICA_THREAD_READY);
        assert_int_equal(t->prio, prio);
        assert_ptr_equal(p->next->prev, p);
        assert_true(++n <= THREADS + 2);
        p = p->next;
    } while (p != &head->node);
    return n;
}

static bool
ring_has(const struct pica_thread *t)
{
    struct pica_thread *head = sched.ready_heads[t->prio];
    if (head == NULL) {
        return false;
    }
    const struct pica_list *p = &head->node;
    do {
        if (p == &t->node) {
            return true;
        }
        p = p->next;
    } while (p != &head->node);
    return false;
}

void
core_check_sched(void)
{
    unsigned key = arch_irq_lock();
    for (unsigned prio = 0; prio < PICA_CFG_PRIORITIES; prio++) {
        bool bit = (sched.ready_bits[sched_bit_word(prio)] & sched_bit(prio)) != 0;
        assert_int_equal(bit, sched.ready_heads[prio] != NULL);
        check_ring(prio);
    }
    for (unsigned w = 0; SCHED_BITMAP_WORDS > 1 && w < SCHED_BITMAP_WORDS; w++) {
        assert_int_equal((sched.ready_words >> w) & 1u, sched.ready_bits[w] != 0);
    }
    for (unsigned i = 0; i < spawned; i++) {
        if (threads[i].state == PICA_THREAD_READY) {
            assert_true(ring_has(&threads[i]));
        }
    }
    if (sched_started) {
        assert_int_equal(sched.current->state, PICA_THREAD_READY);
        assert_true(ring_has(sched.current));
    }
    arch_irq_unlock(key);
}

/* Run @fn in a child; its exit status. */
static int
run_forked(int (*fn)(unsigned), unsigned arg)
{
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        exit(fn(arg));
    }
    int status = 0;
    assert_true(pid > 0 && waitpid(pid, &status, 0) == pid);
    return status;
}

unsigned
core_for_each_window(int (*scenario)(unsigned n), unsigned max)
{
    for (unsigned n = 1; n <= max; n++) {
        int status = run_forked(scenario, n);
        if (WIFEXITED(status) && WEXITSTATUS(status) == CORE_WINDOW_PAST) {
            printf("interrupted at each of %u windows\n", n - 1);
            return n - 1;
        }
        char buf[96];
        const char *bad = outcome(status, buf, sizeof(buf));
        if (bad != NULL) {
            fail_msg("with an interrupt at window %u: %s", n, bad);
        }
    }
    fail_msg("more than %u windows: raise the limit", max);
    return max;
}

static void (*expected_fn)(void);

static int
call_expected(unsigned unused)
{
    (void)unused;
    expected_fn();
    return 0;
}

void
core_expect_exit(void (*fn)(void), int status)
{
    expected_fn = fn;
    int got = run_forked(call_expected, 0);
    assert_true(WIFEXITED(got));
    assert_int_equal(WEXITSTATUS(got), status);
}
