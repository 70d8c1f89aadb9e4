/* SPDX-License-Identifier: MIT */
/* A service thread for system calls whose work needs more stack than a
 * process's privileged stack has (the file system's calls, eBPF loads):
 * the handler fills the service's one request block, the thread copies and
 * runs it on its own stack, the handler waits for the result.
 *
 * One request at a time, in static memory, so a caller killed while it
 * waits leaves nothing on a stack that is gone: the next caller finds the
 * lock marked (-EOWNERDEAD) and goes on; a request the thread had not taken
 * yet is dropped, one it had taken it finishes from its own copy, and
 * sequence numbers keep the next caller from taking the dead one's answer.
 * Code: kernel/syscall_service.c. */
#pragma once

#include <pica/mutex.h>
#include <pica/sem.h>
#include <pica/thread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct syscall_service {
    /* set by the owner, statically */
    const char *name;       /* the thread's */
    void *stack;
    size_t stack_size;
    unsigned prio;
    void *req;              /* the request block callers fill */
    void *copy;             /* the thread's copy of it (as large) */
    size_t req_size;
    /* Run the request copied into @copy; @req is where callers filled it,
     * for pointers into it that must now point into the copy. */
    int (*run)(void *copy, const void *req);
    /* private */
    struct pica_mutex lock; /* one caller at a time */
    struct pica_sem wake;   /* given per request */
    struct pica_sem done;   /* given per answer */
    uint32_t asked;         /* the last request made */
    uint32_t taken;         /* the last the thread took (or a caller dropped) */
    uint32_t answered;      /* the last it answered */
    int result;             /* the answer to `answered` */
    bool ready;             /* its locks are made */
    bool started;           /* its thread is */
    struct pica_thread thread;
};

/* Take the service and its cleared request block, starting the thread at
 * the first call. Context: thread (a system call's handler).
 * Returns the block, or NULL with *@err set (the lock's or the thread's
 * error). */
void *syscall_service_begin(struct syscall_service *s, int *err);

/* Hand the request filled since syscall_service_begin() to the thread and
 * wait for its result, then give the service up. */
int syscall_service_end(struct syscall_service *s);

/* Give up the request begun: nothing is run. */
void syscall_service_abort(struct syscall_service *s);

/* Whether the thread was started (a first request came). */
bool syscall_service_started(const struct syscall_service *s);
