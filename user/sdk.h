/* SPDX-License-Identifier: MIT */
/* What the SDK's files share: each thread's start-up (TLS block and stdout
 * line), the heap's bounds, and the lock picolibc's malloc takes. Private
 * to user/. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <pica/user/pica_user.h>

/* Bytes of stdout a thread collects before writing them (a line or less). */
#define USER_LINE_SIZE 80

struct user_line {
    uint32_t used;
    char buf[USER_LINE_SIZE];
};

/* Bytes user_tls_start() needs, at any address. */
size_t user_tls_reserve(void);
/* Make @area (user_tls_reserve() bytes, in the calling thread's frame that
 * never returns) the calling thread's TLS block, zeroed, and point the
 * thread pointer at it. */
void user_tls_start(void *area);

/* The calling thread's stdout line from now on (after user_tls_start). */
void user_stdio_thread_start(struct user_line *line);

/* sbrk() hands out [start, end). */
void user_heap_init(uint32_t start, uint32_t end);

/* The process-wide lock behind picolibc's malloc: a mutex slot of the
 * process, made before any second thread exists. */
void user_lock_init(void);

/* Run a new thread's body with its TLS block and stdout line set up. */
__attribute__((noreturn)) void user_thread_run(void (*fn)(void *), void *arg);
