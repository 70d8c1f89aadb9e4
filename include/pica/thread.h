/* SPDX-License-Identifier: MIT */
/* Threads: caller-allocated control blocks and stacks, 0 = highest priority
 * (PICA_CFG_PRIORITIES - 1 is the idle thread's), FIFO round-robin among
 * equals. Fields are the kernel's; read them through pica_thread_info(). */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/list.h>
#include <pica/time.h>

struct pica_proc;
struct pica_cap;

#define PICA_PRIO_MAIN PICA_CFG_MAIN_PRIO /* main()'s thread: 16 by default (config.h) */
#define PICA_PRIO_IDLE (PICA_CFG_PRIORITIES - 1)

/* pica_thread_create() flags */
#define PICA_START_SUSPENDED 0x01u /* created suspended; start with pica_thread_resume() */
#define PICA_USER 0x02u             /* runs unprivileged (user space) */

enum pica_thread_state {
    PICA_THREAD_INACTIVE,  /* never created (a zeroed control block) */
    PICA_THREAD_READY,     /* runnable (includes the running thread) */
    PICA_THREAD_BLOCKED,   /* waiting on an object, maybe with a timeout */
    PICA_THREAD_SLEEPING,  /* in pica_sleep() */
    PICA_THREAD_SUSPENDED, /* stopped by pica_thread_suspend() */
    PICA_THREAD_DEAD,      /* exited or killed; may be joined and reused */
    PICA_THREAD_CREATING,  /* being built by pica_thread_create(), not yet runnable */
};

struct pica_waitq {
    struct pica_list head; /* waiting threads, highest priority first, FIFO among equals */
    /* Called when a waiter arrives, leaves other than by the object's own
     * wake-up (timeout, kill) or changes priority; mutexes use it for
     * priority inheritance. */
    void (*changed)(struct pica_waitq *q);
};

struct pica_timeout {
    struct pica_list node; /* in the kernel's deadline-ordered list */
    pica_tick_t deadline;
    void (*expire)(struct pica_timeout *to); /* called with the kernel lock held */
};

struct pica_thread {
    struct pica_list node;        /* ready ring or wait queue; first, so that
                                   * its address is the thread's */
    void *sp;                     /* saved stack pointer */
    struct pica_timeout timeout;  /* sleep or wait deadline */
    struct pica_waitq *waiting_on;
    void *wait_data;              /* object-specific (message buffer, event mask) */
    uintptr_t wait_arg;
    int wait_result;
    uint8_t prio;                 /* effective priority (inheritance included) */
    uint8_t base_prio;
    uint8_t state;                /* enum pica_thread_state */
    uint8_t flags;
    bool suspend_pending;         /* suspend when the current wait ends */
    uint8_t no_kill;              /* inside a kernel service a kill must not cut short */
    bool kill_pending;            /* killed meanwhile: dies as it leaves the service */
    uint8_t ipc_prio;             /* 0, or 1 + the priority of the most urgent
                                   * caller whose reply it holds (kernel/ipc.c) */
    struct pica_list mutexes;     /* mutexes held, for inheritance and release */
    struct pica_waitq joiners;
    const char *name;
    char *stack_base;
    size_t stack_size;
    uint32_t slice_left;
    uint32_t switches;            /* times switched in */
    uint32_t id;                  /* 1, 2, ... in creation order; never 0 */
    uint8_t ipc_held;             /* replies with a caller it holds (kernel/ipc.c);
                                   * here, in the hole before cpu_cycles */
    uint64_t cpu_cycles;          /* timer cycles spent running */
    struct pica_list all_node;    /* in the list of all threads */
    int exit_code;
    int join_code;                /* as a joiner: the exit code its join saw */
    uint32_t arch_guard[2];       /* the port's stack guard (MPU region words) */
    void *tls;                    /* its thread pointer: its TLS block (errno,
                                   * _Thread_local), as the port's ABI points
                                   * at it (arch_thread_init) */
    /* User threads only (PICA_USER), NULL for kernel threads, which pay
     * two words for user space and no more. */
    struct pica_proc *proc;       /* its process */
    struct pica_thread_user *user;
};

/* What only a user thread has, beside its control block (kernel/proc/proc.c
 * keeps one per thread slot of a process). */
struct pica_thread_user {
    struct pica_thread *thread;
    struct pica_list proc_node;   /* in proc->threads */
    char *kstack_base;            /* its privileged stack: system calls run on it */
    uint32_t kstack_size;
    uint32_t arch[4];             /* the port's user-mode state (arch_thread_init) */
    uint32_t tls;                 /* its user TLS block (system call tls_set) */
    struct pica_cap *via;         /* during a system call: the slot it may
                                   * block through (kernel/proc/cap.h) */
    uint32_t badge;               /* that slot's badge */
};

/* The lowest PICA_STACK_GUARD_BYTES of every stack are a guard: an MPU
 * region no code may touch where the CPU has one, a canary checked at every
 * switch where not. The guard starts at the first multiple of its size in
 * the stack (one MPU region covers it), so a stack not so aligned gives up
 * the bytes below that too. Size stacks with it in mind. */
#define PICA_STACK_GUARD_BYTES 64u

/* A thread's own TLS block (errno and every _Thread_local: the image's
 * .tdata and .tbss, a few bytes unless the application declares more) is
 * taken from the top of its stack when it is created, so every thread
 * starts from the image's initial values. Size stacks with it in mind too. */

/* Define a stack of @size bytes, aligned for any port (to the guard's
 * size, so the guard is the very bottom and nothing is given up). Stacks
 * so defined are gathered apart from other data (section .stacks, not
 * zeroed at boot: pica_thread_create() fills a stack before use), so that
 * a running thread's guard never shares a memory page with the kernel's
 * data; see cmake/sections.ld. */
#define PICA_THREAD_STACK_DEFINE(name, size)                                                      \
    static uint64_t name[((size) + 7u) / 8u]                                                      \
        __attribute__((aligned(PICA_STACK_GUARD_BYTES), section(".pica_stacks." #name)))

/* Create and start (unless PICA_START_SUSPENDED) a thread running
 * @entry(@arg) on @stack. Returning from @entry exits the thread.
 * Context: thread or boot. Returns: 0, -EINVAL (bad argument, stack too
 * small, priority out of range, a flag other than PICA_START_SUSPENDED:
 * PICA_USER waits for user space), -EBUSY (@t is a live thread). */
int pica_thread_create(struct pica_thread *t, const char *name, void (*entry)(void *), void *arg,
                       void *stack, size_t stack_size, unsigned prio, unsigned flags);

/* End the calling thread; joiners are woken, mutexes it holds released
 * (their waiters get -EOWNERDEAD). Context: thread. */
__attribute__((noreturn)) void pica_thread_exit(int code);

/* While pica_thread_create() builds @t, every call on it but join is
 * refused with -EBUSY: nothing can run, stop or change a half-built thread. */

/* End @t as if it had called pica_thread_exit(-EINTR) (itself: exits).
 * A thread inside a kernel service whose data a kill would leave half
 * updated (the heap) dies as it leaves the service; the call returns 0 at
 * once and a join waits for that.
 * Context: thread. Returns: 0, -EINVAL (NULL, never created, idle, or in
 * an ISR), -ESRCH (already dead), -EBUSY (being created). */
int pica_thread_kill(struct pica_thread *t);

/* Wait until @t has ended. Its exit code stays in pica_thread_info() until
 * @t is created again; pica_thread_join_code() also hands it over with the
 * wake-up, so a re-creation in between cannot lose it.
 * Context: thread. Returns: 0, -ETIMEDOUT, -EAGAIN (PICA_NO_WAIT and still
 * alive), -EDEADLK (joining itself, or where blocking is impossible: see
 * pica_sleep()), -EINVAL (NULL, never created, bad timeout, or in an ISR). */
int pica_thread_join(struct pica_thread *t, pica_timeout_t timeout);
/* As pica_thread_join(), and on success *@exit_code is @t's exit code
 * (unchanged on error). */
int pica_thread_join_code(struct pica_thread *t, pica_timeout_t timeout, int *exit_code);

/* Context: thread, or ISR for resume (suspend in an ISR: -EINVAL).
 * Returns: 0, -EINVAL, -ESRCH (dead), -EBUSY (being created). */
int pica_thread_suspend(struct pica_thread *t);
int pica_thread_resume(struct pica_thread *t);

/* Set the base priority; the effective one stays raised while inheriting.
 * Context: thread. Returns: 0, -EINVAL (bad priority, idle, never created,
 * or in an ISR), -ESRCH (dead), -EBUSY (being created). */
int pica_thread_set_prio(struct pica_thread *t, unsigned prio);

/* Effective priority (with inheritance), or -EINVAL. */
int pica_thread_prio(const struct pica_thread *t);

/* The calling thread. Context: thread. */
struct pica_thread *pica_thread_self(void);

/* Let the other ready threads of the same priority run first. Context:
 * thread (in an ISR it does nothing; a PICA_CFG_CHECK_PANIC build panics). */
void pica_yield(void);

struct pica_thread_info {
    const char *name;
    uint32_t id;            /* 1, 2, ... in creation order (a reused block gets a new one) */
    const char *process;    /* its process's name; NULL for a kernel thread */
    enum pica_thread_state state;
    bool running;
    unsigned prio, base_prio;
    size_t stack_size;
    size_t stack_used_max;  /* high-water mark in bytes */
    size_t kstack_size;     /* a user thread's privileged stack (system calls): */
    size_t kstack_used_max; /* its size and high-water mark; 0 for kernel threads */
    uint32_t switches;
    uint64_t cpu_us;
    int exit_code;          /* once dead: the exit code, -EINTR if killed,
                               -EFAULT if stopped for a stack overflow */
};

/* Snapshot of @t. Context: any. Returns: 0, -EINVAL. */
int pica_thread_info(const struct pica_thread *t, struct pica_thread_info *info);

/* Call @fn for every thread that was created and not reused, in creation
 * order, with the kernel unlocked between calls. Returns the number seen. */
int pica_thread_foreach(void (*fn)(struct pica_thread *t, void *arg), void *arg);

const char *pica_thread_state_name(enum pica_thread_state s);

/* Make the idle thread spin instead of waiting for an interrupt (default:
 * PICA_CFG_IDLE_BUSY). Deterministic QEMU runs (-icount sleep=off) need it
 * on Arm, where QEMU 7.2 delivers only every other timer interrupt to a CPU
 * in WFI; the test framework and benchmarks turn it on. Context: any. */
void pica_idle_set_busy(bool busy);
