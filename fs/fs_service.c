/* SPDX-License-Identifier: MIT */
/* The file system's service thread for user processes (fs/fs_user.h): a
 * system call's privileged stack (PICA_CFG_SYSCALL_STACK) is far smaller
 * than a file system call needs, so the handler fills the one request and
 * this thread, with a stack of PICA_CFG_FS_SERVICE_STACK bytes, runs it.
 * Started by the first request; its counterpart is fs/fs_syscalls.c.
 *
 * One request at a time, in static memory: a caller killed while it waits
 * leaves nothing on a stack that is gone. The next caller finds the lock
 * marked (-EOWNERDEAD) and goes on; a request the thread had not taken yet
 * is dropped, one it had taken it finishes from its own copy, and the
 * sequence numbers keep the next caller from taking the dead one's answer. */
#include "fs_user.h"

#include <errno.h>
#include <string.h>

#include <pica/irq.h>
#include <pica/mutex.h>
#include <pica/sem.h>
#include <pica/thread.h>

static struct {
    struct pica_mutex lock; /* one caller at a time */
    struct pica_sem wake;   /* given per request */
    struct pica_sem done;   /* given per answer */
    uint32_t asked;         /* the last request made */
    uint32_t taken;         /* the last the thread took (or a caller dropped) */
    uint32_t answered;      /* the last it answered */
    int result;             /* the answer to `answered` */
    struct fs_req req;
} svc;

static struct pica_thread svc_thread;
PICA_THREAD_STACK_DEFINE(svc_stack, PICA_CFG_FS_SERVICE_STACK);
static bool svc_started;

static void
svc_main(void *arg)
{
    (void)arg;
    for (;;) {
        (void)pica_sem_take(&svc.wake, PICA_FOREVER);
        /* The request is copied while no caller can change it: a caller
         * writes it only once the one before is taken or dropped. */
        struct fs_req r;
        unsigned key = pica_irq_lock();
        uint32_t seq = svc.asked;
        bool pending = seq != svc.taken;
        if (pending) {
            r = svc.req;
            svc.taken = seq;
        }
        pica_irq_unlock(key);
        if (!pending) {
            continue;
        }
        int result = fs_req_run(&r);
        key = pica_irq_lock();
        svc.result = result;
        svc.answered = seq;
        pica_irq_unlock(key);
        (void)pica_sem_give(&svc.done);
    }
}

bool
fs_service_started(void)
{
    return svc_started;
}

/* The locks, ready before any caller can use them. */
static void
svc_init(void)
{
    static bool ready;
    unsigned key = pica_irq_lock();
    if (!ready) {
        pica_mutex_init(&svc.lock);
        pica_sem_init(&svc.wake, 0, 1);
        pica_sem_init(&svc.done, 0, 1);
        ready = true;
    }
    pica_irq_unlock(key);
}

struct fs_req *
fs_service_begin(int *err)
{
    svc_init();
    int r = pica_mutex_lock(&svc.lock, PICA_FOREVER);
    if (r == -EOWNERDEAD) {
        r = pica_mutex_consistent(&svc.lock); /* a caller died meanwhile */
    }
    if (r == 0 && !svc_started) {
        /* Under the lock: one thread, made by the first caller. */
        r = pica_thread_create(&svc_thread, "fs", svc_main, NULL, svc_stack, sizeof(svc_stack),
                               PICA_CFG_FS_SERVICE_PRIO, 0);
        svc_started = r == 0;
        if (r != 0) {
            (void)pica_mutex_unlock(&svc.lock);
        }
    }
    if (r != 0) {
        *err = r;
        return NULL;
    }
    unsigned key = pica_irq_lock();
    svc.taken = svc.asked; /* a dead caller's request not yet taken: dropped */
    pica_irq_unlock(key);
    memset(&svc.req, 0, sizeof(svc.req));
    return &svc.req;
}

void
fs_service_abort(void)
{
    (void)pica_mutex_unlock(&svc.lock);
}

int
fs_service_end(void)
{
    unsigned key = pica_irq_lock();
    uint32_t mine = ++svc.asked;
    pica_irq_unlock(key);
    (void)pica_sem_give(&svc.wake);
    int r;
    for (;;) {
        r = pica_sem_take(&svc.done, PICA_FOREVER);
        key = pica_irq_lock();
        bool answered = svc.answered == mine;
        int result = svc.result;
        pica_irq_unlock(key);
        if (r != 0) {
            break;
        }
        if (answered) {
            r = result;
            break;
        }
    }
    (void)pica_mutex_unlock(&svc.lock);
    return r;
}
