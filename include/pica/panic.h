/* SPDX-License-Identifier: MIT */
/* Stopping the system: PICA_PANIC for broken invariants, PICA_CHECK for a
 * caller's bad arguments, pica_exit() to end a run with a status. */
#pragma once

#include <pica/config.h>

/* Exit statuses seen by the host (QEMU's exit code). */
#define PICA_EXIT_OK 0
#define PICA_EXIT_TEST_FAILED 1
#define PICA_EXIT_PANIC 2
#define PICA_EXIT_FAULT 3
/* The test framework: the run reached its limit of guest (virtual) time. */
#define PICA_EXIT_TIME_LIMIT 4

/* Print "PANIC at file:line: message", flush, and stop the system with
 * PICA_EXIT_PANIC. Context: any. */
#define PICA_PANIC(...) pica_panic(__FILE__, __LINE__, __VA_ARGS__)

/* Argument check: with PICA_CFG_CHECK_PANIC a violated check panics (debug
 * builds), otherwise the function returns @err. */
#ifndef PICA_CFG_CHECK_PANIC
#define PICA_CFG_CHECK_PANIC 0
#endif
#define PICA_CHECK(cond, err)                                                                     \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            if (PICA_CFG_CHECK_PANIC) {                                                           \
                PICA_PANIC("check failed: %s", #cond);                                            \
            }                                                                                     \
            return (err);                                                                         \
        }                                                                                         \
    } while (0)

__attribute__((noreturn, format(printf, 3, 4))) void pica_panic(const char *file, int line,
                                                                const char *fmt, ...);

/* Flush the console and end the run: under QEMU the process exits with
 * @code, on hardware the CPU halts. Context: any. */
__attribute__((noreturn)) void pica_exit(int code);
