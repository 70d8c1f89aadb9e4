/* SPDX-License-Identifier: MIT */
/* Threads: creation on caller-provided stacks, exit, kill, join, suspend and
 * resume, priorities, and the per-thread figures behind pica_thread_info().
 * The ready set and switching are sched.c's; waits are waitq.c's. */
#include <pica/thread.h>

#include <errno.h>
#include <pica/mutex.h>
#include <pica/proc.h>
#include <pica/panic.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "check.h"
#include "sched.h"
#include "thread_priv.h"
#include "timeout.h"
#include "waitq.h"

#define STACK_FILL 0xA5u          /* unused stack, for the high-water mark */
#define STACK_MIN (PICA_STACK_GUARD_BYTES + 192u)

static struct pica_list all_threads = PICA_LIST_INIT(all_threads);
static uint64_t last_switch_cycles;
static uint32_t thread_last_id;

static bool
thread_is_alive(const struct pica_thread *t)
{
    return t->state != PICA_THREAD_INACTIVE && t->state != PICA_THREAD_DEAD;
}

int
thread_create_internal(struct pica_thread *t, const char *name, void (*entry)(void *), void *arg,
                       void *stack, size_t stack_size, unsigned prio, unsigned flags)
{
    /* A user thread is made by kernel/proc/proc.c, which sets t->proc and its
     * privileged stack first; from anywhere else PICA_USER is refused. */
    bool user = (flags & PICA_USER) != 0;
    if (t == NULL || entry == NULL || stack == NULL || prio >= PICA_CFG_PRIORITIES ||
        (flags & ~(unsigned)(PICA_START_SUSPENDED | THREAD_BOOT_TLS | PICA_USER)) != 0 ||
        (user && (!ARCH_HAS_USER || t->proc == NULL || t->user == NULL ||
                  t->user->kstack_base == NULL ||
                  t->user->kstack_size < thread_tls_reserve() + 256u))) {
        return -EINVAL;
    }
    bool boot_tls = (flags & THREAD_BOOT_TLS) != 0;
    flags &= ~(unsigned)THREAD_BOOT_TLS;
    /* The guard is the lowest PICA_STACK_GUARD_BYTES block aligned to its
     * size, so one MPU region covers the whole of it; what lies below is
     * given up (PICA_THREAD_STACK_DEFINE stacks are aligned and lose
     * nothing). */
    uintptr_t lost = -(uintptr_t)stack & (PICA_STACK_GUARD_BYTES - 1u);
    if (stack_size < lost + STACK_MIN + (boot_tls ? 0 : thread_tls_reserve())) {
        return -EINVAL;
    }
    stack = (char *)stack + lost;
    stack_size -= lost;
    unsigned key = arch_irq_lock();
    if (thread_is_alive(t)) {
        arch_irq_unlock(key);
        return -EBUSY;
    }
    /* Claimed, not yet runnable. From here other threads see it alive (a
     * join would wait on it), so its queues are made ready in the same
     * locked step; every other call refuses it until it is built. */
    pica_list_init(&t->node);
    pica_list_init(&t->timeout.node);
    pica_list_init(&t->mutexes);
    waitq_init(&t->joiners);
    t->state = PICA_THREAD_CREATING;
    /* Ids wrap after 2^32 creations; 0 stays "no thread". */
    t->id = ++thread_last_id != 0 ? thread_last_id : ++thread_last_id;
    arch_irq_unlock(key);

    /* The rest outside the lock: nothing else reads these until it runs. */
    memset(stack, STACK_FILL, stack_size);
    for (unsigned i = 0; i < THREAD_CANARY_WORDS; i++) {
        ((uint32_t *)stack)[i] = THREAD_STACK_CANARY;
    }
    t->waiting_on = NULL;
    t->wait_result = 0;
    t->prio = t->base_prio = (uint8_t)prio;
    t->flags = (uint8_t)flags;
    t->suspend_pending = false;
    t->no_kill = 0;
    t->kill_pending = false;
    t->ipc_prio = 0;
    t->ipc_held = 0;
    t->name = name != NULL ? name : "?";
    t->stack_base = stack;
    t->stack_size = stack_size;
    t->switches = 0;
    t->cpu_cycles = 0;
    t->exit_code = 0;
    t->arch_guard[0] = t->arch_guard[1] = 0;
    if (PICA_CFG_STACK_CHECK) {
        arch_thread_guard(t);
    }
    void *top;
    if (user) {
        /* Kernel code in its system calls has a TLS block of its own (errno),
         * at the top of the privileged stack; its user TLS is its own
         * business (user/). */
        char *ktop = thread_tls_init(t, t->user->kstack_base + t->user->kstack_size, false);
        memset(t->user->kstack_base, STACK_FILL, (size_t)(ktop - t->user->kstack_base));
        t->user->kstack_size = (uint32_t)(ktop - t->user->kstack_base);
        /* No MPU guard below it: a canary, checked as each call ends. */
        for (unsigned i = 0; i < THREAD_CANARY_WORDS; i++) {
            ((uint32_t *)t->user->kstack_base)[i] = THREAD_STACK_CANARY;
        }
        top = (char *)stack + stack_size;
    } else {
        /* The TLS block first, at the top: the frame goes below it. */
        top = thread_tls_init(t, (char *)stack + stack_size, boot_tls);
    }
    arch_thread_init(t, entry, arg, top, user);

    key = arch_irq_lock();
    pica_list_append(&all_threads, &t->all_node);
    if (flags & PICA_START_SUSPENDED) {
        t->state = PICA_THREAD_SUSPENDED;
    } else {
        sched_ready_locked(t);
    }
    arch_irq_unlock(key);
    return 0;
}

int
pica_thread_create(struct pica_thread *t, const char *name, void (*entry)(void *), void *arg,
                   void *stack, size_t stack_size, unsigned prio, unsigned flags)
{
    PICA_CHECK(prio < PICA_PRIO_IDLE, -EINVAL);
    PICA_CHECK(!arch_in_isr(), -EINVAL);
    if (flags & (THREAD_BOOT_TLS | PICA_USER)) {
        return -EINVAL; /* the kernel's own; user threads come from processes */
    }
    return thread_create_internal(t, name, entry, arg, stack, stack_size, prio, flags);
}

void
thread_wait_end_locked(struct pica_thread *t, int result)
{
    timeout_cancel_locked(&t->timeout);
    if (t->state == PICA_THREAD_BLOCKED) {
        pica_list_remove(&t->node);
    }
    t->waiting_on = NULL;
    t->wait_result = result;
    if (t->suspend_pending) {
        t->suspend_pending = false;
        t->state = PICA_THREAD_SUSPENDED;
    } else {
        sched_ready_locked(t);
    }
}

void
thread_kill_locked(struct pica_thread *t, int code)
{
    struct pica_waitq *q = t->waiting_on;
    switch (t->state) {
    case PICA_THREAD_READY:
        sched_unready_locked(t);
        break;
    case PICA_THREAD_BLOCKED:
    case PICA_THREAD_SLEEPING:
        timeout_cancel_locked(&t->timeout);
        pica_list_remove(&t->node);
        t->waiting_on = NULL;
        break;
    default:
        break;
    }
    t->state = PICA_THREAD_DEAD;
    t->exit_code = code;
    if (q != NULL && q->changed != NULL) {
        q->changed(q); /* e.g. the owner of the mutex it waited for */
    }
    mutex_release_all_locked(t);
    if (ipc_thread_killed_locked != NULL) {
        ipc_thread_killed_locked(t);
    }
    pica_list_remove(&t->all_node);
    if (t->proc != NULL) {
        proc_thread_ended_locked(t);
    }
    /* Each joiner gets the code with its wake-up: t may be created again
     * before a joiner runs. */
    struct pica_thread *j;
    while ((j = waitq_first_locked(&t->joiners)) != NULL) {
        j->join_code = code;
        waitq_wake_one_locked(&t->joiners, 0);
    }
    if (t == sched.current) {
        arch_switch_request();
    }
}

void
pica_thread_exit(int code)
{
    unsigned key = arch_irq_lock();
    if (arch_in_isr() || !arch_irq_key_unlocked(key)) {
        PICA_PANIC("pica_thread_exit from an interrupt or with the kernel lock held");
    }
    thread_kill_locked(sched.current, code);
    /* The switch request fires as the lock is released, never to return. */
    arch_irq_unlock(key);
    PICA_PANIC("dead thread '%s' still running", sched.current->name);
}

void
thread_return(void)
{
    pica_thread_exit(0);
}

int
pica_thread_kill(struct pica_thread *t)
{
    PICA_CHECK(t != NULL && t != &sched_idle_thread && !arch_in_isr(), -EINVAL);
    PICA_CHECK(t->state != PICA_THREAD_INACTIVE, -EINVAL);
    if (t == sched.current) {
        pica_thread_exit(-EINTR);
    }
    unsigned key = arch_irq_lock();
    int err = 0;
    if (t->state == PICA_THREAD_DEAD) {
        err = -ESRCH;
    } else if (t->state == PICA_THREAD_CREATING) {
        err = -EBUSY;
    } else if (t->no_kill != 0) {
        t->kill_pending = true; /* it dies in thread_no_kill_end() */
    } else {
        thread_kill_locked(t, -EINTR);
    }
    arch_irq_unlock(key);
    return err;
}

void
thread_no_kill_begin(void)
{
    unsigned key = arch_irq_lock();
    sched.current->no_kill++;
    arch_irq_unlock(key);
}

bool
thread_no_kill_leave(void)
{
    unsigned key = arch_irq_lock();
    struct pica_thread *t = sched.current;
    bool die = --t->no_kill == 0 && t->kill_pending;
    arch_irq_unlock(key);
    return die;
}

void
thread_no_kill_end(void)
{
    if (thread_no_kill_leave()) {
        pica_thread_exit(-EINTR);
    }
}

int
pica_thread_join_code(struct pica_thread *t, pica_timeout_t timeout, int *exit_code)
{
    PICA_CHECK(t != NULL && t->state != PICA_THREAD_INACTIVE && !arch_in_isr(), -EINVAL);
    PICA_CHECK(timeout >= 0 || timeout == PICA_FOREVER, -EINVAL);
    if (t == sched.current) {
        return -EDEADLK;
    }
    unsigned key = arch_irq_lock();
    if (t->state == PICA_THREAD_DEAD) {
        int code = t->exit_code;
        arch_irq_unlock(key);
        if (exit_code != NULL) {
            *exit_code = code;
        }
        return 0;
    }
    if (timeout == PICA_NO_WAIT) {
        arch_irq_unlock(key);
        return -EAGAIN;
    }
    int err = waitq_block_locked(&t->joiners, key, timeout);
    if (err == 0 && exit_code != NULL) {
        *exit_code = sched.current->join_code;
    }
    return err;
}

int
pica_thread_join(struct pica_thread *t, pica_timeout_t timeout)
{
    return pica_thread_join_code(t, timeout, NULL);
}

int
pica_thread_suspend(struct pica_thread *t)
{
    PICA_CHECK(t != NULL && t != &sched_idle_thread && !arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    uint8_t state = t->state;
    if (__builtin_expect(state == PICA_THREAD_READY, 1)) {
        sched_unready_locked(t);
        t->state = PICA_THREAD_SUSPENDED;
        if (t == sched.current) {
            arch_switch_request();
        }
    } else if (state == PICA_THREAD_BLOCKED || state == PICA_THREAD_SLEEPING) {
        t->suspend_pending = true; /* takes effect when the wait ends */
    } else if (state == PICA_THREAD_DEAD) {
        err = -ESRCH;
    } else if (state == PICA_THREAD_INACTIVE) {
        err = -EINVAL;
    } else if (state == PICA_THREAD_CREATING) {
        err = -EBUSY;
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_thread_resume(struct pica_thread *t)
{
    PICA_CHECK(t != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    uint8_t state = t->state;
    if (__builtin_expect(state == PICA_THREAD_SUSPENDED, 1)) {
        sched_ready_locked(t);
    } else if (state == PICA_THREAD_DEAD) {
        err = -ESRCH;
    } else if (state == PICA_THREAD_INACTIVE) {
        err = -EINVAL;
    } else if (state == PICA_THREAD_CREATING) {
        err = -EBUSY; /* it starts as its creator asked */
    } else {
        t->suspend_pending = false;
    }
    arch_irq_unlock(key);
    return err;
}

void
thread_prio_update_locked(struct pica_thread *t)
{
    unsigned prio = t->base_prio;
    unsigned inherited = mutex_inherited_prio_locked(t);
    if (inherited < prio) {
        prio = inherited;
    }
    /* A server answering a call runs at least at its caller's priority. */
    if (t->ipc_prio != 0 && t->ipc_prio - 1u < prio) {
        prio = t->ipc_prio - 1u;
    }
    if (prio == t->prio) {
        return;
    }
    sched_set_prio_locked(t, prio);
    /* If @t itself waits for a mutex, its owner may inherit the change:
     * this is what makes inheritance transitive. */
    struct pica_waitq *q = t->state == PICA_THREAD_BLOCKED ? t->waiting_on : NULL;
    if (q != NULL && q->changed != NULL) {
        q->changed(q);
    }
}

int
pica_thread_set_prio(struct pica_thread *t, unsigned prio)
{
    PICA_CHECK(t != NULL && prio < PICA_PRIO_IDLE && t != &sched_idle_thread, -EINVAL);
    PICA_CHECK(t->state != PICA_THREAD_INACTIVE && !arch_in_isr(), -EINVAL);
    unsigned key = arch_irq_lock();
    int err = 0;
    if (t->state == PICA_THREAD_DEAD) {
        err = -ESRCH;
    } else if (t->state == PICA_THREAD_CREATING) {
        err = -EBUSY;
    } else {
        t->base_prio = (uint8_t)prio;
        thread_prio_update_locked(t);
    }
    arch_irq_unlock(key);
    return err;
}

int
pica_thread_prio(const struct pica_thread *t)
{
    PICA_CHECK(t != NULL && t->state != PICA_THREAD_INACTIVE, -EINVAL);
    return t->prio;
}

struct pica_thread *
pica_thread_self(void)
{
    return sched.current;
}

void
pica_yield(void)
{
    if (arch_in_isr()) {
        if (PICA_CFG_CHECK_PANIC) {
            PICA_PANIC("pica_yield in an interrupt handler");
        }
        return; /* the handler's return is the only switch point */
    }
    unsigned key = arch_irq_lock();
    /* A running thread is always ready, and heads its ring whenever it
     * can get here (the tick's rotation switches it out before it runs
     * again): one pointer step moves it behind its equals, if it has any.
     * Its ring stays non-empty, so the bitmap stays as is. */
    struct pica_thread *t = sched.current;
    struct pica_thread *next = sched_thread_of(t->node.next);
    t->slice_left = PICA_CFG_TIME_SLICE_TICKS;
    if (next != t) {
        sched.ready_heads[t->prio] = next;
        arch_switch_request();
    }
    arch_irq_unlock(key);
}



void
thread_stack_overflow_locked(struct pica_thread *t)
{
    printf("\n*** stack overflow in thread '%s' (stack %p, %lu bytes): thread stopped\n", t->name,
           (void *)t->stack_base, (unsigned long)t->stack_size);
    if (t->state == PICA_THREAD_DEAD) {
        t->exit_code = -EFAULT; /* it overflowed on its way out */
    } else {
        thread_kill_locked(t, -EFAULT);
    }
    /* Re-arm the canary so the report is made once; only where it is
     * used: under a hardware guard it lies inside the guard, which is still
     * loaded for this thread and faults even the kernel. */
    if (!ARCH_HAS_STACK_GUARD) {
        for (unsigned i = 0; i < THREAD_CANARY_WORDS; i++) {
            ((uint32_t *)t->stack_base)[i] = THREAD_STACK_CANARY;
        }
    }
}

bool
thread_stack_fault(uint32_t addr)
{
    struct pica_thread *t = sched.current;
    if (!sched_started || !arch_guard_hit(t, addr)) {
        return false;
    }
    unsigned key = arch_irq_lock();
    thread_stack_overflow_locked(t);
    arch_irq_unlock(key);
    return true;
}

void
thread_check_locked(void)
{
    for (struct pica_list *p = all_threads.next; p != &all_threads; p = p->next) {
        struct pica_thread *t = pica_container_of(p, struct pica_thread, all_node);
        struct pica_waitq *q = t->waiting_on;
        if ((t->state == PICA_THREAD_BLOCKED) != (q != NULL)) {
            PICA_PANIC("thread '%s' is %s with%s a wait queue", t->name,
                       pica_thread_state_name((enum pica_thread_state)t->state),
                       q != NULL ? "" : "out");
        }
        if (q != NULL) {
            bool found = false;
            unsigned prev_prio = 0;
            for (struct pica_list *n = q->head.next; n != &q->head; n = n->next) {
                struct pica_thread *w = sched_thread_of(n);
                if (w->prio < prev_prio || w->waiting_on != q) {
                    PICA_PANIC("wait queue of '%s' out of priority order or shared", t->name);
                }
                prev_prio = w->prio;
                found |= w == t;
            }
            if (!found) {
                PICA_PANIC("thread '%s' is not in the queue it waits on", t->name);
            }
        }
        if (t->state == PICA_THREAD_SLEEPING && !timeout_is_armed(&t->timeout)) {
            PICA_PANIC("thread '%s' sleeps with no timeout armed", t->name);
        }
        for (struct pica_list *n = t->mutexes.next; n != &t->mutexes; n = n->next) {
            struct pica_mutex *m = pica_container_of(n, struct pica_mutex, held_node);
            if (m->owner != t || m->depth == 0) {
                PICA_PANIC("thread '%s' holds a mutex it does not own", t->name);
            }
        }
        if (t->prio > t->base_prio) {
            PICA_PANIC("thread '%s' runs below its base priority", t->name);
        }
    }
}

void
thread_account_locked(struct pica_thread *prev, struct pica_thread *next)
{
    (void)next;
    uint64_t now = arch_timer_cycles();
    prev->cpu_cycles += now - last_switch_cycles;
    last_switch_cycles = now;
}

/* Bytes of [from, end) below which the fill pattern is untouched. */
static size_t
fill_used(const unsigned char *from, const unsigned char *end)
{
    while (from < end && *from == STACK_FILL) {
        from++;
    }
    return (size_t)(end - from);
}

static size_t
stack_used_max(const struct pica_thread *t)
{
    /* Above the guard, which the running thread itself may not read. */
    return fill_used((const unsigned char *)t->stack_base + PICA_STACK_GUARD_BYTES,
                     (const unsigned char *)t->stack_base + t->stack_size);
}

int
pica_thread_info(const struct pica_thread *t, struct pica_thread_info *info)
{
    PICA_CHECK(t != NULL && info != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    uint64_t cycles = t->cpu_cycles;
    if (t == sched.current && PICA_CFG_THREAD_STATS) {
        cycles += arch_timer_cycles() - last_switch_cycles;
    }
    *info = (struct pica_thread_info){
        .name = t->name,
        .id = t->id,
        .process = t->proc != NULL ? t->proc->image->name : NULL,
        .state = (enum pica_thread_state)t->state,
        .running = t == sched.current,
        .prio = t->prio,
        .base_prio = t->base_prio,
        .stack_size = t->stack_size,
        .switches = t->switches,
        .exit_code = t->exit_code,
    };
    arch_irq_unlock(key);
    info->stack_used_max = t->stack_base != NULL ? stack_used_max(t) : 0;
    const struct pica_thread_user *u = t->proc != NULL ? t->user : NULL;
    info->kstack_size = u != NULL ? u->kstack_size : 0;
    info->kstack_used_max =
        u != NULL ? fill_used((const unsigned char *)u->kstack_base + PICA_STACK_GUARD_BYTES,
                              (const unsigned char *)u->kstack_base + u->kstack_size)
                  : 0;
    uint32_t hz = arch_timer_hz();
    info->cpu_us = hz ? cycles / hz * 1000000u + cycles % hz * 1000000u / hz : 0;
    return 0;
}

int
pica_thread_foreach(void (*fn)(struct pica_thread *t, void *arg), void *arg)
{
    PICA_CHECK(fn != NULL, -EINVAL);
    /* The callback may print or block, so no lock is held across it, and
     * no bound on the number of threads: each step finds the n-th thread
     * afresh (quadratic, but thread lists are short and this is for
     * reports). A thread created or ended meanwhile may be seen or not. */
    int n = 0;
    for (;;) {
        unsigned key = arch_irq_lock();
        struct pica_list *p = all_threads.next;
        for (int i = 0; i < n && p != &all_threads; i++) {
            p = p->next;
        }
        if (p == &all_threads) {
            arch_irq_unlock(key);
            return n;
        }
        struct pica_thread *t = pica_container_of(p, struct pica_thread, all_node);
        arch_irq_unlock(key);
        fn(t, arg);
        n++;
    }
}

const char *
pica_thread_state_name(enum pica_thread_state s)
{
    static const char *const names[] = {"inactive",  "ready", "blocked",  "sleeping",
                                        "suspended", "dead",  "creating"};
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "?";
}
