/* SPDX-License-Identifier: MIT */
/* The in-kernel test framework for QEMU test apps:
 *
 *     PICA_TEST(sem_take_times_out) { pica_assert_eq(f(), -ETIMEDOUT); }
 *     int main(void) { pica_test_run(); }
 *
 * Each test prints one line ("PASS name" / "FAIL name"), a failed assertion
 * prints file, line, the expression and both values and ends that test; the
 * run ends with "N passed, N failed" and exits QEMU with 0 or
 * PICA_EXIT_TEST_FAILED. Tests run in definition order. */
#pragma once

#include <stdint.h>

struct pica_test_case {
    const char *name;
    void (*fn)(void);
};

#define PICA_TEST_STR2(x) #x
#define PICA_TEST_STR(x) PICA_TEST_STR2(x)

/* The section suffix is the line number; the linker sorts it numerically,
 * which keeps tests in the order they appear in the file. */
#define PICA_TEST(name)                                                                           \
    static void name(void);                                                                       \
    __attribute__((used, section(".pica_tests." PICA_TEST_STR(__LINE__)), aligned(4)))              \
    static const struct pica_test_case name##_case = {#name, name};                               \
    static void name(void)

#define pica_assert(cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            pica_test_fail(__FILE__, __LINE__, #cond);                                            \
        }                                                                                         \
    } while (0)

#define PICA_ASSERT_CMP(a, op, b)                                                                 \
    do {                                                                                          \
        int64_t pica_a_ = (int64_t)(a), pica_b_ = (int64_t)(b);                                   \
        if (!(pica_a_ op pica_b_)) {                                                              \
            pica_test_fail_cmp(__FILE__, __LINE__, #a " " #op " " #b, pica_a_, pica_b_);          \
        }                                                                                         \
    } while (0)

#define pica_assert_eq(a, b) PICA_ASSERT_CMP(a, ==, b)
#define pica_assert_ne(a, b) PICA_ASSERT_CMP(a, !=, b)
#define pica_assert_lt(a, b) PICA_ASSERT_CMP(a, <, b)
#define pica_assert_le(a, b) PICA_ASSERT_CMP(a, <=, b)
#define pica_assert_gt(a, b) PICA_ASSERT_CMP(a, >, b)
#define pica_assert_ge(a, b) PICA_ASSERT_CMP(a, >=, b)

/* An ordering trace for tests: threads and interrupt handlers append one
 * letter each, and the test compares the string. Context: any. */
void pica_test_trace(char c);
void pica_test_trace_reset(void);
const char *pica_test_trace_get(void);
unsigned pica_test_trace_len(void);

/* Worker threads for tests: PICA_TEST_WORKERS control blocks with stacks of
 * PICA_TEST_WORKER_STACK bytes. Spawn returns pica_thread_create()'s result;
 * joining asserts that each of the first @n ends within five seconds. */
#define PICA_TEST_WORKERS 5
#ifndef PICA_TEST_WORKER_STACK /* boards with little RAM set it smaller */
#define PICA_TEST_WORKER_STACK 1024
#endif
struct pica_thread;
struct pica_thread_info;
int pica_test_spawn(int i, void (*fn)(void *), void *arg, unsigned prio);
struct pica_thread *pica_test_worker(int i);
void pica_test_join_workers(int n);

/* Find a thread by name (kernel services such as "timer", "log").
 * Returns: 0 with @info filled, -ENOENT. */
int pica_test_find_thread(const char *name, struct pica_thread_info *info);

/* Pend interrupt line @irq from software, give its handler a tick to run
 * and assert that it ran exactly once. */
void pica_test_fire_irq(unsigned irq);

/* A periodic interrupt from a device timer of the board, apart from the
 * kernel's own timer, for tests that need events the kernel does not
 * cause: @fn runs in its handler every @period_ns nanoseconds of the
 * board's time (virtual time under icount). One at a time.
 * Returns: 0, -EINVAL (period out of the device's range), -ENOTSUP (the
 * board has none; the test says it skips), or pica_irq_attach()'s error. */
int pica_test_devtimer_start(uint32_t period_ns, void (*fn)(void));
void pica_test_devtimer_stop(void);

/* Run every registered test, print the summary and exit with the result. */
__attribute__((noreturn)) void pica_test_run(void);

/* Record a failure of the running test and end it. */
__attribute__((noreturn)) void pica_test_fail(const char *file, int line, const char *expr);
__attribute__((noreturn)) void pica_test_fail_cmp(const char *file, int line, const char *expr,
                                                  int64_t a, int64_t b);
