/* SPDX-License-Identifier: MIT */
/* Cron: jobs started on schedule from crontab lines (lib/cron_expr.h has
 * the syntax; docs/cron.md the policies). A job is a kernel function run in
 * a thread of its own, a shell command line, or a user task (a thread of a
 * user process, registered by the process with sys_cron_add). One thread
 * sleeps until the next fire time; setting the wall clock recomputes every
 * job. A job whose previous run is still going when it falls due is not
 * started again: the run is skipped and counted. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>

/* Jobs at once, and the longest schedule line kept. */
#ifndef PICA_CFG_CRON_JOBS
#define PICA_CFG_CRON_JOBS 8
#endif
#define PICA_CRON_LINE_MAX 64
#ifndef PICA_CFG_CRON_PRIO
#define PICA_CFG_CRON_PRIO 8
#endif
/* The cron thread's stack, and that of a kernel function's or a shell
 * command's run. */
#ifndef PICA_CFG_CRON_STACK_SIZE
#define PICA_CFG_CRON_STACK_SIZE 1024
#endif
#ifndef PICA_CFG_CRON_RUN_STACK
#define PICA_CFG_CRON_RUN_STACK 1536
#endif

struct cron_error;
struct pica_thread;

enum pica_cron_kind {
    PICA_CRON_KERNEL, /* fn(arg) in a kernel thread */
    PICA_CRON_SHELL,  /* a shell command line */
    PICA_CRON_USER,   /* a thread of a user process */
};

/* A job's start: make its run go with the job's @data and return the
 * thread that carries it (cron watches it to know when the run is over),
 * or NULL with *@err set when it could not start (counted as a failed
 * run). Context: the cron thread. */
typedef struct pica_thread *(*pica_cron_start_fn)(const uintptr_t data[3], int *err);

/* Add a job that runs @fn(@arg) in a new kernel thread at @prio each time
 * @line fires. The thread's stack comes from the heap for as long as the
 * job exists. @err (may be NULL) says why a line was refused.
 * Context: thread. Returns: the job's id (>= 1), -EINVAL (a bad line, NULL
 * @fn, or @prio out of range), -ENOSPC (PICA_CFG_CRON_JOBS in use),
 * -ENOMEM. */
int pica_cron_add(const char *line, void (*fn)(void *arg), void *arg, unsigned prio,
                  struct cron_error *err);

/* Add a job that runs the shell command @command (quotes as at the prompt)
 * each time @line fires. Context: thread. Returns: as pica_cron_add(),
 * -ENOTSUP (no shell in the image). */
int pica_cron_add_shell(const char *line, const char *command, struct cron_error *err);

/* Add a user task: each run is @start(@data) (the three words are kept in
 * the job), owned by @owner (the process, whose jobs
 * pica_cron_del_owned() removes), described as @what in listings.
 * Context: thread. Returns: as pica_cron_add(). */
int pica_cron_add_user(const char *line, pica_cron_start_fn start, const uintptr_t data[3],
                       const void *owner, const char *what, struct cron_error *err);

/* Remove job @id. A user task's run in progress goes on to its end; a
 * kernel function's or shell command's runs on the job's own thread and
 * stack, so such a job cannot be removed until its run is over.
 * Context: thread. Returns: 0, -ENOENT, -EBUSY (its run is going). */
int pica_cron_del(int id);
/* Remove job @id only if @owner owns it (-EPERM otherwise), or every job
 * of @owner when @id is 0. Context: thread. Returns: 0, -ENOENT, -EPERM, -EBUSY. */
int pica_cron_del_owned(int id, const void *owner);

struct pica_cron_info {
    int id;
    enum pica_cron_kind kind;
    char line[PICA_CRON_LINE_MAX];
    char what[32];       /* the command, function or process */
    int64_t next;        /* next fire time, Unix seconds; -1: none (@reboot done, or never) */
    uint32_t runs;       /* runs started */
    uint32_t skips;      /* fire times passed over while a run was still going */
    uint32_t failures;   /* runs that could not start */
    bool running;        /* a run is going now */
};

/* The @index-th job in use (0, 1...). Context: thread.
 * Returns: 0, -ENOENT (past the last). */
int pica_cron_info_at(unsigned index, struct pica_cron_info *info);

/* Add a shell job for each line of the crontab file @path (a path of
 * include/pica/fs.h): each line is what follows `cron add` at the prompt,
 * a quoted schedule and a command (`"@hourly" log demo inf`);
 * empty lines and lines starting with '#' are skipped. A line that is
 * refused is reported on the console with its number and the reason, and
 * the others still load. Part of the file system (fs/crontab.c): linked
 * with pica_link_fs(). Context: thread.
 * Returns: the jobs added, -ENOENT (no such file), or the error that
 * stopped the reading. */
int pica_cron_load(const char *path);
