/* SPDX-License-Identifier: MIT */
/* Cron (include/pica/cron.h): a table of jobs and one thread that sleeps
 * until the earliest next fire time, on the wall clock. The schedule
 * arithmetic is lib/cron_expr.c's; here is only when to look and what to
 * start. The thread and the table exist from the first job on: cron is in
 * the services archive, so an image that adds no job carries none of it. */
#include <pica/cron.h>

#include <errno.h>
#include <pica/calendar.h>
#include <pica/errno.h>
#include <pica/heap.h>
#include <pica/irq.h>
#include <pica/log.h>
#include <pica/mutex.h>
#include <pica/sem.h>
#include <pica/shell.h>
#include <pica/tap.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cron_expr.h"
#include "kernel.h"

PICA_LOG_MODULE(cron);

struct cron_job {
    int id; /* 0: free */
    enum pica_cron_kind kind;
    struct cron_expr expr;
    char line[PICA_CRON_LINE_MAX];
    char what[32];
    char name[12];     /* the run thread's name: "cron<id>" */
    int64_t next;      /* -1: none */
    bool reboot_due;   /* @reboot, not yet run */
    uint32_t runs, skips, failures;
    struct pica_thread *run; /* the last run's thread */
    /* Kernel and shell jobs: the run's thread and stack, from the heap. */
    void *block;
    void (*fn)(void *);
    void *fn_arg;
    unsigned prio;
    char command[PICA_CRON_LINE_MAX];
    /* User tasks. */
    pica_cron_start_fn start;
    uintptr_t data[3];
    const void *owner;
};

static struct cron_job jobs[PICA_CFG_CRON_JOBS];
static int next_id = 1;
static struct pica_mutex cron_lock;
static struct pica_sem cron_wake; /* binary: look at the table again */
static struct pica_thread cron_thread;
PICA_THREAD_STACK_DEFINE(cron_stack, PICA_CFG_CRON_STACK_SIZE);
static bool cron_started;

/* A user task is added by the cron thread for the caller, who waits: parsing
 * and the first next-fire search take more stack than a system call's
 * privileged stack has (PICA_CFG_SYSCALL_STACK). One request at a time, in
 * static memory, so that a caller killed while it waits leaves nothing on
 * a stack that is gone: the next caller finds the lock marked and goes on,
 * and the sequence number keeps it from taking the dead caller's answer. */
static struct {
    struct pica_mutex lock;   /* one caller at a time */
    struct pica_sem done;     /* given by the cron thread per answer */
    uint32_t asked, answered; /* sequence numbers */
    char line[PICA_CRON_LINE_MAX];
    pica_cron_start_fn start;
    uintptr_t data[3];
    const void *owner;
    const char *what;
    int result;
} user_req;

static int64_t
now_sec(int64_t *now_us)
{
    struct pica_walltime t;
    pica_time_get(&t);
    if (now_us != NULL) {
        *now_us = t.sec * 1000000 + t.nsec / 1000u;
    }
    return t.sec;
}

static int64_t
next_after(const struct cron_job *j, int64_t now)
{
    int64_t next;
    return cron_next(&j->expr, now, &next) == 0 ? next : -1;
}

/* Whether @j's last run is still going. */
static bool
run_going(const struct cron_job *j)
{
    struct pica_thread_info in;
    return j->run != NULL && pica_thread_info(j->run, &in) == 0 &&
           in.state != PICA_THREAD_DEAD && in.state != PICA_THREAD_INACTIVE;
}

static void
kernel_run(void *arg)
{
    struct cron_job *j = arg;
    j->fn(j->fn_arg);
}

static void
shell_run(void *arg)
{
    struct cron_job *j = arg;
    (void)pica_shell_run(j->command);
}

static void job_release_locked(struct cron_job *j);

/* Start one run of @j. Cron's lock is held. */
static void
fire(struct cron_job *j)
{
    if (__builtin_expect(pica_taps.cron != NULL, 0)) {
        pica_taps.cron(j->id, j->what);
    }
    if (run_going(j)) {
        j->skips++;
        return;
    }
    int err = 0;
    if (j->kind == PICA_CRON_USER) {
        j->run = j->start(j->data, &err);
    } else {
        /* The block holds the thread's control block, then its stack. */
        struct pica_thread *t = j->block;
        void *stack = (char *)j->block + ((sizeof(*t) + 7u) & ~7u);
        err = pica_thread_create(t, j->name, j->kind == PICA_CRON_KERNEL ? kernel_run : shell_run,
                                 j, stack, PICA_CFG_CRON_RUN_STACK, j->prio, 0);
        j->run = err == 0 ? t : NULL;
    }
    if (j->run == NULL && err == -ESRCH) {
        /* A user task whose process has ended: its jobs end with it. */
        job_release_locked(j);
    } else if (j->run == NULL) {
        j->failures++;
        PICA_LOG_WRN("job %d could not start: %d", j->id, err);
    } else {
        j->runs++;
    }
}

static void user_req_serve(void);

static void
cron_main(void *arg)
{
    (void)arg;
    for (;;) {
        user_req_serve();
        pica_mutex_lock(&cron_lock, PICA_FOREVER);
        int64_t now = now_sec(NULL);
        int64_t earliest = INT64_MAX;
        for (unsigned i = 0; i < PICA_CFG_CRON_JOBS; i++) {
            struct cron_job *j = &jobs[i];
            if (j->id == 0) {
                continue;
            }
            if (j->reboot_due) {
                j->reboot_due = false;
                fire(j);
            }
            if (j->next >= 0 && j->next <= now) {
                /* Fire times a late wake-up passed over are not made up:
                 * one run, then the schedule from now. */
                fire(j);
                j->next = next_after(j, now);
            }
            if (j->next >= 0 && j->next < earliest) {
                earliest = j->next;
            }
        }
        pica_mutex_unlock(&cron_lock);
        if (earliest == INT64_MAX) {
            pica_sem_take(&cron_wake, PICA_FOREVER);
            continue;
        }
        int64_t now_us;
        (void)now_sec(&now_us);
        int64_t wait_us = earliest * 1000000 - now_us;
        if (wait_us > 0) {
            /* Rounded up by PICA_US: woken at the second or just after. */
            pica_sem_take(&cron_wake, PICA_US((uint64_t)wait_us));
        }
    }
}

/* Cron's lock, set up with the thread on first use. */
static int
cron_start(void)
{
    if (cron_started) {
        return 0;
    }
    unsigned key = pica_irq_lock();
    bool first = !cron_started;
    cron_started = true;
    pica_irq_unlock(key);
    if (!first) {
        return 0;
    }
    pica_mutex_init(&cron_lock);
    pica_sem_init(&cron_wake, 0, 1);
    pica_mutex_init(&user_req.lock);
    pica_sem_init(&user_req.done, 0, 1);
    return pica_thread_create(&cron_thread, "cron", cron_main, NULL, cron_stack,
                              sizeof(cron_stack), PICA_CFG_CRON_PRIO, 0);
}

static void
copy_text(char *dst, size_t n, const char *src)
{
    size_t len = strlen(src);
    len = len < n - 1 ? len : n - 1;
    memcpy(dst, src, len);
    dst[len] = '\0';
}

/* Claim a free job for @line, parsed; the lock is held on success. */
static int
job_claim(const char *line, struct cron_error *err, struct cron_job **out)
{
    struct cron_expr expr;
    if (line == NULL || strlen(line) >= PICA_CRON_LINE_MAX) {
        if (err != NULL) {
            *err = (struct cron_error){.field = -1, .column = 1};
            copy_text(err->reason, sizeof(err->reason), "missing, or longer than 63 characters");
        }
        return -EINVAL;
    }
    int r = cron_parse(line, &expr, err);
    if (r != 0) {
        return r;
    }
    r = cron_start();
    if (r != 0) {
        return r;
    }
    pica_mutex_lock(&cron_lock, PICA_FOREVER);
    for (unsigned i = 0; i < PICA_CFG_CRON_JOBS; i++) {
        struct cron_job *j = &jobs[i];
        if (j->id == 0) {
            memset(j, 0, sizeof(*j));
            j->expr = expr;
            copy_text(j->line, sizeof(j->line), line);
            *out = j;
            return 0;
        }
    }
    pica_mutex_unlock(&cron_lock);
    return -ENOSPC;
}

/* Make @j a job: its id and first fire time; then the thread looks. */
static int
job_commit(struct cron_job *j)
{
    j->id = next_id++;
    snprintf(j->name, sizeof(j->name), "cron%d", j->id);
    j->reboot_due = (j->expr.flags & CRON_REBOOT) != 0;
    j->next = j->reboot_due ? -1 : next_after(j, now_sec(NULL));
    int id = j->id;
    pica_mutex_unlock(&cron_lock);
    pica_sem_give(&cron_wake);
    return id;
}

static void
job_release_locked(struct cron_job *j)
{
    j->id = 0;
    pica_free(j->block); /* no run is going: see pica_cron_del_owned() */
    j->block = NULL;
}

static int
add_threaded(const char *line, enum pica_cron_kind kind, void (*fn)(void *), void *arg,
             unsigned prio, const char *command, struct cron_error *err)
{
    struct cron_job *j;
    int r = job_claim(line, err, &j);
    if (r != 0) {
        return r;
    }
    j->block = pica_malloc(((sizeof(struct pica_thread) + 7u) & ~7u) + PICA_CFG_CRON_RUN_STACK);
    if (j->block == NULL) {
        pica_mutex_unlock(&cron_lock);
        return -ENOMEM;
    }
    /* pica_thread_create() reads the control block's state: a live one is
     * refused. Heap memory holds whatever was there before. */
    memset(j->block, 0, sizeof(struct pica_thread));
    j->kind = kind;
    j->fn = fn;
    j->fn_arg = arg;
    j->prio = prio;
    if (command != NULL) {
        copy_text(j->command, sizeof(j->command), command);
        copy_text(j->what, sizeof(j->what), command);
    } else {
        snprintf(j->what, sizeof(j->what), "function %p", (void *)fn);
    }
    return job_commit(j);
}

int
pica_cron_add(const char *line, void (*fn)(void *arg), void *arg, unsigned prio,
              struct cron_error *err)
{
    if (fn == NULL || prio >= PICA_CFG_PRIORITIES - 1u) {
        return -EINVAL;
    }
    return add_threaded(line, PICA_CRON_KERNEL, fn, arg, prio, NULL, err);
}

/* The shell is linked only into images that want it. */
#pragma weak pica_shell_run

int
pica_cron_add_shell(const char *line, const char *command, struct cron_error *err)
{
    if (pica_shell_run == NULL) {
        return -ENOTSUP;
    }
    if (command == NULL || command[0] == '\0' || strlen(command) >= PICA_CRON_LINE_MAX) {
        return -EINVAL;
    }
    return add_threaded(line, PICA_CRON_SHELL, NULL, NULL, PICA_CFG_SHELL_PRIO, command, err);
}

static int
add_user_here(const char *line, pica_cron_start_fn start, const uintptr_t data[3],
              const void *owner, const char *what, struct cron_error *err)
{
    struct cron_job *j;
    int r = job_claim(line, err, &j);
    if (r != 0) {
        return r;
    }
    j->kind = PICA_CRON_USER;
    j->start = start;
    memcpy(j->data, data, sizeof(j->data));
    j->owner = owner;
    copy_text(j->what, sizeof(j->what), what != NULL ? what : "user task");
    return job_commit(j);
}

/* The cron thread's side. */
static void
user_req_serve(void)
{
    unsigned key = pica_irq_lock();
    bool pending = user_req.asked != user_req.answered;
    pica_irq_unlock(key);
    if (!pending) {
        return;
    }
    user_req.result = add_user_here(user_req.line, user_req.start, user_req.data,
                                    user_req.owner, user_req.what, NULL);
    key = pica_irq_lock();
    user_req.answered = user_req.asked;
    pica_irq_unlock(key);
    pica_sem_give(&user_req.done);
}

int
pica_cron_add_user(const char *line, pica_cron_start_fn start, const uintptr_t data[3],
                   const void *owner, const char *what, struct cron_error *err)
{
    (void)err; /* the reason stays with the cron thread: -EINVAL says enough */
    if (start == NULL || data == NULL || line == NULL) {
        return -EINVAL;
    }
    if (strlen(line) >= PICA_CRON_LINE_MAX) {
        return -EINVAL;
    }
    int r = cron_start();
    if (r != 0) {
        return r;
    }
    r = pica_mutex_lock(&user_req.lock, PICA_FOREVER);
    if (r == -EOWNERDEAD) {
        pica_mutex_consistent(&user_req.lock); /* a caller died waiting */
    } else if (r != 0) {
        return r;
    }
    copy_text(user_req.line, sizeof(user_req.line), line);
    user_req.start = start;
    memcpy(user_req.data, data, sizeof(user_req.data));
    user_req.owner = owner;
    user_req.what = what;
    unsigned key = pica_irq_lock();
    uint32_t mine = ++user_req.asked;
    pica_irq_unlock(key);
    pica_sem_give(&cron_wake);
    for (;;) {
        r = pica_sem_take(&user_req.done, PICA_FOREVER);
        key = pica_irq_lock();
        bool answered = user_req.answered == mine;
        pica_irq_unlock(key);
        if (r != 0 || answered) {
            break;
        }
    }
    if (r == 0) {
        r = user_req.result;
    }
    pica_mutex_unlock(&user_req.lock);
    return r;
}

int
pica_cron_del_owned(int id, const void *owner)
{
    if (!cron_started) {
        return -ENOENT;
    }
    int r = -ENOENT;
    pica_mutex_lock(&cron_lock, PICA_FOREVER);
    for (unsigned i = 0; i < PICA_CFG_CRON_JOBS; i++) {
        struct cron_job *j = &jobs[i];
        if (j->id == 0 || (id != 0 && j->id != id) || (id == 0 && j->owner != owner)) {
            continue;
        }
        if (id != 0 && owner != NULL && j->owner != owner) {
            r = -EPERM;
            break;
        }
        if (j->block != NULL && run_going(j)) {
            /* Its run is on the job's own thread and stack. */
            r = -EBUSY;
            break;
        }
        job_release_locked(j);
        r = 0;
    }
    pica_mutex_unlock(&cron_lock);
    pica_sem_give(&cron_wake);
    return r;
}

int
pica_cron_del(int id)
{
    return id <= 0 ? -ENOENT : pica_cron_del_owned(id, NULL);
}

int
pica_cron_info_at(unsigned index, struct pica_cron_info *info)
{
    if (!cron_started || info == NULL) {
        return -ENOENT;
    }
    int r = -ENOENT;
    pica_mutex_lock(&cron_lock, PICA_FOREVER);
    for (unsigned i = 0; i < PICA_CFG_CRON_JOBS; i++) {
        const struct cron_job *j = &jobs[i];
        if (j->id == 0 || index-- != 0) {
            continue;
        }
        info->id = j->id;
        info->kind = j->kind;
        memcpy(info->line, j->line, sizeof(info->line));
        memcpy(info->what, j->what, sizeof(info->what));
        info->next = j->next;
        info->runs = j->runs;
        info->skips = j->skips;
        info->failures = j->failures;
        info->running = run_going(j);
        r = 0;
        break;
    }
    pica_mutex_unlock(&cron_lock);
    return r;
}

/* The wall clock moved (kernel/walltime.c): every job's next fire time
 * from the new now. Jumping forward, the fire times jumped over are not
 * run; jumping back, those between the new time and the old come again. */
void
cron_clock_changed(void)
{
    if (!cron_started) {
        return;
    }
    pica_mutex_lock(&cron_lock, PICA_FOREVER);
    int64_t now = now_sec(NULL);
    for (unsigned i = 0; i < PICA_CFG_CRON_JOBS; i++) {
        struct cron_job *j = &jobs[i];
        if (j->id != 0 && !j->reboot_due) {
            j->next = next_after(j, now);
        }
    }
    pica_mutex_unlock(&cron_lock);
    pica_sem_give(&cron_wake);
}

/* ---- the shell's cron command ---- */

static void
print_time(int64_t t)
{
    if (t < 0) {
        printf("%-19s", "-");
        return;
    }
    struct pica_datetime dt;
    char text[PICA_DATETIME_TEXT_LEN + 1];
    pica_datetime_from_unix(t, &dt);
    pica_datetime_format(text, sizeof(text), &dt);
    printf("%s", text);
}

static int
print_refusal(const char *cmd, int r, const struct cron_error *e)
{
    if (r == -EINVAL && e->reason[0] != '\0') {
        char why[96];
        cron_error_format(why, sizeof(why), e);
        printf("%s: %s\n", cmd, why);
    } else {
        printf("%s: %s\n", cmd, pica_strerror(r));
    }
    return r;
}

static int
cron_cmd_list(void)
{
    struct pica_cron_info in;
    printf(" id  next fire (UTC)      runs skips fails  schedule / what\n");
    for (unsigned i = 0; pica_cron_info_at(i, &in) == 0; i++) {
        printf("%3d  ", in.id);
        print_time(in.next);
        printf("  %5lu %5lu %5lu  %s  %s%s\n", (unsigned long)in.runs, (unsigned long)in.skips,
               (unsigned long)in.failures, in.line, in.what, in.running ? " (running)" : "");
    }
    return 0;
}

static int
cron_cmd_next(int argc, char **argv)
{
    unsigned n = 1;
    if (argc == 4) {
        char *end;
        unsigned long v = strtoul(argv[3], &end, 10);
        if (*end != '\0' || v == 0 || v > 100) {
            return PICA_SHELL_USAGE;
        }
        n = (unsigned)v;
    } else if (argc != 3) {
        return PICA_SHELL_USAGE;
    }
    struct cron_expr e;
    struct cron_error err = {0};
    int r = cron_parse(argv[2], &e, &err);
    if (r != 0) {
        return print_refusal("cron next", r, &err);
    }
    int64_t t = now_sec(NULL);
    for (unsigned i = 0; i < n; i++) {
        if (cron_next(&e, t, &t) != 0) {
            printf("cron next: no %sfire time\n", i == 0 ? "" : "further ");
            break;
        }
        print_time(t);
        printf("\n");
    }
    return 0;
}

static int
cmd_cron(int argc, char **argv)
{
    if (argc == 1 || (argc == 2 && strcmp(argv[1], "list") == 0)) {
        return cron_cmd_list();
    }
    if (strcmp(argv[1], "next") == 0) {
        return cron_cmd_next(argc, argv);
    }
    if (strcmp(argv[1], "del") == 0 && argc == 3) {
        int r = pica_cron_del(atoi(argv[2]));
        if (r != 0) {
            printf("cron del: no job %s\n", argv[2]);
        }
        return r;
    }
    if (strcmp(argv[1], "add") == 0 && argc >= 4) {
        /* The rest of the line is the command, its words joined again. */
        char command[PICA_CRON_LINE_MAX];
        size_t len = 0;
        for (int i = 3; i < argc; i++) {
            size_t w = strlen(argv[i]);
            if (len + w + 2 > sizeof(command)) {
                printf("cron add: the command is longer than %u characters\n",
                       (unsigned)sizeof(command) - 1u);
                return -E2BIG;
            }
            if (len > 0) {
                command[len++] = ' ';
            }
            memcpy(command + len, argv[i], w);
            len += w;
        }
        command[len] = '\0';
        struct cron_error err = {0};
        int id = pica_cron_add_shell(argv[2], command, &err);
        if (id < 0) {
            return print_refusal("cron add", id, &err);
        }
        printf("cron: job %d\n", id);
        return 0;
    }
    return PICA_SHELL_USAGE;
}
PICA_SHELL_CMD(cron, "jobs started on schedule from crontab lines\n"
                     "cron [list]                 jobs, next fire time, runs and skips\n"
                     "cron add \"<schedule>\" <command...>  run a shell command on schedule\n"
                     "cron del <id>               remove a job\n"
                     "cron next \"<schedule>\" [n]  the next n fire times (default 1)",
               cmd_cron);
