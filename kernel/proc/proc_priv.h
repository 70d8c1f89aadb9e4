/* SPDX-License-Identifier: MIT */
/* Process internals shared by proc.c and the system calls. */
#pragma once

#include <pica/proc.h>
#include <pica/thread.h>

#include "arch.h"
#include "ipc_priv.h"

/* A process's thread and its privileged stack, max_threads of them in
 * p->slots; slot i's thread has user stack i. */
struct proc_slot {
    /* First, so that it is aligned for its guard (the slots are). */
    uint64_t kstack[PICA_CFG_SYSCALL_STACK / 8] __attribute__((aligned(PICA_STACK_GUARD_BYTES)));
    struct pica_thread t;
    struct pica_thread_user u;
    struct pica_reply reply;  /* the right to answer the call it received last */
#if ARCH_HAS_IPC_TRAP && !defined(ARCH_IPC_RWAIT_BELOW)
    struct ipc_rwait rwait;   /* its register IPC's side while it waits in
                               * one run in the trap (kernel/proc/syscall_ipc_regs.c) */
#endif
};
_Static_assert(PICA_CFG_SYSCALL_STACK % PICA_STACK_GUARD_BYTES == 0,
               "PICA_CFG_SYSCALL_STACK: a multiple of the stack guard");

/* The user thread @t's own reply (the right to answer its last call). */
static inline struct pica_reply *
proc_thread_reply(struct pica_thread *t)
{
    return &pica_container_of(t->user, struct proc_slot, u)->reply;
}

#if ARCH_HAS_IPC_TRAP
/* The user thread @t's side of a register IPC call run in the trap: in its
 * process slot, or where the port keeps it, on its privileged stack
 * ARCH_IPC_RWAIT_BELOW bytes below the (16-byte aligned) top, for as long
 * as the call runs or waits. */
static inline struct ipc_rwait *
proc_thread_rwait(struct pica_thread *t)
{
#ifdef ARCH_IPC_RWAIT_BELOW
    uintptr_t top = (uintptr_t)(t->user->kstack_base + t->user->kstack_size) & ~(uintptr_t)15u;
    return (struct ipc_rwait *)(top - ARCH_IPC_RWAIT_BELOW - IPC_RWAIT_ROOM);
#else
    return &pica_container_of(t->user, struct proc_slot, u)->rwait;
#endif
}
#endif

/* Make a user thread of @p at @entry(@arg) with priority @prio, suspended
 * (pica_thread_resume starts it); slot 0's thread gets the start-up block
 * instead of @arg. Context: thread. Returns: 0, -EAGAIN (max_threads
 * alive), -ESRCH (@p not running), -EINVAL. */
int proc_thread_create(struct pica_proc *p, uint32_t entry, uint32_t arg, unsigned prio,
                       struct pica_thread **out);

/* End the calling user thread's whole process with @code, logged. */
__attribute__((noreturn)) void proc_exit_self(int code);

/* Make sure the stack on which a running process's regions are encoded
 * again exists (kernel/proc/proc.c). Context: thread. Returns: 0, -ENOMEM. */
int proc_region_encode_ready(void);



/* @p's index in the image's table. */
unsigned proc_pid(const struct pica_proc *p);

/* Write "process '<name>' <how><code>" and a newline to the console,
 * without printf (for system calls' small stacks). */
void proc_report_end(const struct pica_proc *p, const char *how, int code);

/* Free what ended processes still hold: the objects of those a fault ended,
 * and the threads (control blocks, privileged stacks) of every ended one but
 * the caller's. Context: thread. */
void proc_reap(void);

/* Start every process not flagged PICA_PROC_NO_START (boot, main thread). */
void proc_start_all(void);
