/* SPDX-License-Identifier: MIT */
/* The little of the kernel that kernel/proc/cap.c calls, for fuzz_cap without
 * threads or a scheduler: the kernel lock as a flag (nesting checked), one
 * running thread, the revoke mutex as a flag (one revoke at a time), and
 * semaphores whose destroy sets max 0 as kernel/sem.c does and catches a
 * second destroy. Nothing here ever blocks; anything that would, aborts. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <pica/event.h>
#include <pica/mutex.h>
#include <pica/queue.h>
#include <pica/sem.h>

#include "arch.h"
#include "sched.h"
#include "thread_priv.h"

#include "kernel_fake.h"

static bool masked;
static struct pica_thread runner;
struct sched_state sched = {.current = &runner};

static __attribute__((noreturn)) void
fake_abort(const char *why)
{
    fprintf(stderr, "fuzz_cap: %s\n", why);
    abort();
}

unsigned
fake_irq_lock(void)
{
    unsigned key = masked ? 1u : 0u;
    masked = true;
    return key;
}

void
fake_irq_unlock(unsigned key)
{
    if (!masked) {
        fake_abort("unlock of an unlocked kernel lock");
    }
    masked = key != 0;
}

bool
fake_in_isr(void)
{
    return false;
}

void
fake_idle(void)
{
    fake_abort("idle");
}

void
fake_switch_request(void)
{
    fake_abort("a switch: nothing should wake");
}

void
fake_irq_trigger(unsigned irq)
{
    (void)irq;
    fake_abort("an interrupt");
}

bool
kernel_fake_is_quiet(void)
{
    return !masked && runner.no_kill == 0;
}

void
thread_wait_end_locked(struct pica_thread *t, int result)
{
    (void)t;
    (void)result;
    fake_abort("a wait ended: no thread waits here");
}

void
thread_no_kill_begin(void)
{
    sched.current->no_kill++;
}

void
thread_no_kill_end(void)
{
    if (sched.current->no_kill == 0) {
        fake_abort("thread_no_kill_end without a begin");
    }
    sched.current->no_kill--;
}

int
pica_mutex_init(struct pica_mutex *m)
{
    m->owner = NULL;
    m->depth = 0;
    return 0;
}

int
pica_mutex_lock(struct pica_mutex *m, pica_timeout_t timeout)
{
    (void)timeout;
    if (m->owner != NULL) {
        fake_abort("the mutex is taken: a lock would block for ever");
    }
    m->owner = sched.current;
    return 0;
}

int
pica_mutex_unlock(struct pica_mutex *m)
{
    if (m->owner != sched.current) {
        fake_abort("unlock of a mutex not held");
    }
    m->owner = NULL;
    return 0;
}

int
pica_mutex_destroy(struct pica_mutex *m)
{
    (void)m;
    fake_abort("no mutex is made here");
}

int
pica_sem_init(struct pica_sem *s, uint32_t initial, uint32_t max)
{
    if (s == NULL || max == 0 || max > INT32_MAX || initial > max) {
        return -EINVAL;
    }
    s->count = initial;
    s->max = max;
    return 0;
}

int
pica_sem_destroy(struct pica_sem *s)
{
    if (s == NULL || s->max == 0) {
        fake_abort("a semaphore destroyed twice");
    }
    s->count = 0;
    s->max = 0;
    return 0;
}

int
pica_queue_destroy(struct pica_queue *q)
{
    (void)q;
    fake_abort("no queue is made here");
}

int
pica_event_destroy(struct pica_event *e)
{
    (void)e;
    fake_abort("no event group is made here");
}
