/* SPDX-License-Identifier: MIT */
/* Service threads for system calls (kernel/proc/syscall_service.h). */
#include "syscall_service.h"

#include <errno.h>
#include <pica/irq.h>
#include <string.h>

static void
service_main(void *arg)
{
    struct syscall_service *s = arg;
    for (;;) {
        (void)pica_sem_take(&s->wake, PICA_FOREVER);
        /* The request is copied while no caller can change it: a caller
         * writes it only once the one before is taken or dropped. */
        unsigned key = pica_irq_lock();
        uint32_t seq = s->asked;
        bool pending = seq != s->taken;
        if (pending) {
            memcpy(s->copy, s->req, s->req_size);
            s->taken = seq;
        }
        pica_irq_unlock(key);
        if (!pending) {
            continue;
        }
        int result = s->run(s->copy, s->req);
        key = pica_irq_lock();
        s->result = result;
        s->answered = seq;
        pica_irq_unlock(key);
        (void)pica_sem_give(&s->done);
    }
}

bool
syscall_service_started(const struct syscall_service *s)
{
    return s->started;
}

/* The locks, ready before any caller can use them. */
static void
service_init(struct syscall_service *s)
{
    unsigned key = pica_irq_lock();
    if (!s->ready) {
        (void)pica_mutex_init(&s->lock);
        (void)pica_sem_init(&s->wake, 0, 1);
        (void)pica_sem_init(&s->done, 0, 1);
        s->ready = true;
    }
    pica_irq_unlock(key);
}

void *
syscall_service_begin(struct syscall_service *s, int *err)
{
    service_init(s);
    int r = pica_mutex_lock(&s->lock, PICA_FOREVER);
    if (r == -EOWNERDEAD) {
        r = pica_mutex_consistent(&s->lock); /* a caller died meanwhile */
    }
    if (r == 0 && !s->started) {
        /* Under the lock: one thread, made by the first caller. */
        r = pica_thread_create(&s->thread, s->name, service_main, s, s->stack, s->stack_size,
                               s->prio, 0);
        s->started = r == 0;
        if (r != 0) {
            (void)pica_mutex_unlock(&s->lock);
        }
    }
    if (r != 0) {
        *err = r;
        return NULL;
    }
    unsigned key = pica_irq_lock();
    s->taken = s->asked; /* a dead caller's request not yet taken: dropped */
    pica_irq_unlock(key);
    memset(s->req, 0, s->req_size);
    return s->req;
}

void
syscall_service_abort(struct syscall_service *s)
{
    (void)pica_mutex_unlock(&s->lock);
}

int
syscall_service_end(struct syscall_service *s)
{
    unsigned key = pica_irq_lock();
    uint32_t mine = ++s->asked;
    pica_irq_unlock(key);
    (void)pica_sem_give(&s->wake);
    int r;
    for (;;) {
        r = pica_sem_take(&s->done, PICA_FOREVER);
        key = pica_irq_lock();
        bool answered = s->answered == mine;
        int result = s->result;
        pica_irq_unlock(key);
        if (r != 0) {
            break;
        }
        if (answered) {
            r = result;
            break;
        }
    }
    (void)pica_mutex_unlock(&s->lock);
    return r;
}
