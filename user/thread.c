/* SPDX-License-Identifier: MIT */
/* Threads of a process: every thread, the first included, runs its body
 * through user_thread_run(), which gives it a TLS block (picolibc keeps
 * errno there) and a stdout line in its own stack, and ends it with
 * sys_thread_exit() when the body returns. The kernel starts new threads
 * at an entry of this file; both interfaces' calls are here. */
#include <errno.h>
#include <stdlib.h>
#include <sys/lock.h>

#include <pica/user/user.h>

#include "sdk.h"

/* What sys_thread_create() hands its new thread, in the process's heap. */
struct thread_call {
    void (*fn)(void *);
    void *arg;
};

void
user_thread_run(void (*fn)(void *), void *arg)
{
    /* This frame never returns, so blocks carved in it last as long as
     * the thread. */
    void *tls = __builtin_alloca(user_tls_reserve());
    user_tls_start(tls);
    struct user_line line = {.used = 0};
    user_stdio_thread_start(&line);
    fn(arg);
    sys_thread_exit();
}

/* The process's priority, a number the build gives the partial link
 * (cmake/pica-user.cmake). */
extern char __pica_user_prio[];

int
sys_prio(void)
{
    return (int)(uintptr_t)__pica_user_prio;
}

void
sys_thread_exit(void)
{
    sys_flush();
    pica_sys_thread_exit(0);
}

static void
call_run(void *p)
{
    struct thread_call call = *(struct thread_call *)p;
    free(p);
    call.fn(call.arg);
}

static void
call_start(void *p)
{
    user_thread_run(call_run, p);
}

int
sys_thread_create(void (*fn)(void *), void *arg, int prio)
{
    struct thread_call *call = malloc(sizeof(*call));
    if (call == NULL) {
        return -ENOMEM;
    }
    call->fn = fn;
    call->arg = arg;
    int slot = pica_sys_thread_create((uint32_t)(uintptr_t)call_start, (uint32_t)(uintptr_t)call,
                                      (uint32_t)prio);
    if (slot < 0) {
        free(call);
    }
    return slot;
}

/* ---- user.h ---- */

static void
task_run(void *fn)
{
    ((void (*)(void))fn)();
}

static void
task_start(void *fn)
{
    user_thread_run(task_run, fn);
}

bool
sys_task_create(void (*fn)(void))
{
    return pica_sys_thread_create((uint32_t)(uintptr_t)task_start, (uint32_t)(uintptr_t)fn,
                                  (uint32_t)sys_prio()) >= 0;
}

void
sys_task_delete(void)
{
    sys_thread_exit();
}

void
sys_task_yield(void)
{
    (void)pica_sys_yield();
}

void
sys_task_delay(uint32_t us)
{
    (void)pica_sys_sleep_us(us);
}

int
sys_write(int fd, const void *buf, size_t len)
{
    return pica_sys_write(fd, buf, len);
}

/* Cron jobs: each run starts at cron_start() with the job's call, which
 * lives in the heap as long as the job; the list finds it again to free it
 * when the job is removed. */
struct cron_call {
    struct thread_call call;
    int id;
    struct cron_call *next;
};

static struct cron_call *cron_calls; /* under the C library's lock */

static void
cron_run(void *p)
{
    const struct thread_call *call = p;
    call->fn(call->arg);
}

static void
cron_start(void *p)
{
    user_thread_run(cron_run, p);
}

int
sys_cron_add(const char *line, void (*fn)(void *), void *arg)
{
    struct cron_call *c = malloc(sizeof(*c));
    if (c == NULL) {
        return -ENOMEM;
    }
    c->call.fn = fn;
    c->call.arg = arg;
    int id = pica_sys_cron_add(line, (uint32_t)(uintptr_t)cron_start, (uint32_t)(uintptr_t)&c->call);
    if (id < 0) {
        free(c);
        return id;
    }
    __retarget_lock_acquire_recursive(&__lock___libc_recursive_mutex);
    c->id = id;
    c->next = cron_calls;
    cron_calls = c;
    __retarget_lock_release_recursive(&__lock___libc_recursive_mutex);
    return id;
}

int
sys_cron_del(int id)
{
    int r = pica_sys_cron_del((uint32_t)id);
    if (r != 0) {
        return r;
    }
    __retarget_lock_acquire_recursive(&__lock___libc_recursive_mutex);
    struct cron_call **at = &cron_calls;
    while (*at != NULL && (*at)->id != id) {
        at = &(*at)->next;
    }
    struct cron_call *c = *at;
    if (c != NULL) {
        *at = c->next;
    }
    __retarget_lock_release_recursive(&__lock___libc_recursive_mutex);
    free(c);
    return 0;
}
