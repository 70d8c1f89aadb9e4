/* SPDX-License-Identifier: MIT */
/* Thread internals shared across kernel/. _locked: kernel lock held. */
#pragma once

#include <pica/thread.h>
#include <stdbool.h>

/* pica_thread_create() without the public range checks (idle uses it). */
int thread_create_internal(struct pica_thread *t, const char *name, void (*entry)(void *),
                           void *arg, void *stack, size_t stack_size, unsigned prio,
                           unsigned flags);

/* thread_create_internal() flag: the thread takes over the boot context's
 * TLS block instead of carving its own (the idle thread). */
#define THREAD_BOOT_TLS 0x80u

/* From tls.c: the bytes a thread's TLS block may take from the top of its
 * stack (alignment included; 0 for an image without thread-local data),
 * and setting up @t's block below @stack_top, or the boot context's if
 * @boot_block: t->tls is the block, the return value the stack's new top. */
size_t thread_tls_reserve(void);
void *thread_tls_init(struct pica_thread *t, void *stack_top, bool boot_block);

/* End @t's wait or sleep with @result: leave the wait queue and the timeout
 * list, then become ready (or suspended if a suspend was asked meanwhile). */
void thread_wait_end_locked(struct pica_thread *t, int result);

/* Make @t dead with @code: out of every queue, mutexes released, joiners
 * woken. A switch is requested if it was running. */
void thread_kill_locked(struct pica_thread *t, int code);

/* Around a kernel service's critical work that a kill must not cut short
 * (the heap's update of its lists): pica_thread_kill() on the running
 * thread in between only marks it, and it dies at the outermost end. They
 * nest. Context: thread. */
void thread_no_kill_begin(void);
void thread_no_kill_end(void);
/* thread_no_kill_end() for a service with something to undo before the
 * thread dies: true if it must now die (the caller undoes, then calls
 * pica_thread_exit(-EINTR)); a kill that comes after this finds the thread
 * outside every service and ends it at once. */
bool thread_no_kill_leave(void);

/* Recompute @t's effective priority from its base and the mutexes it holds,
 * and pass the change along the chain of mutex owners it waits for. */
void thread_prio_update_locked(struct pica_thread *t);

#define THREAD_STACK_CANARY 0x50494341u /* "PICA", in each of the lowest words of a stack */
#define THREAD_CANARY_WORDS 4u          /* wide enough that no stack frame can skip it */

/* Where the port has no stack guard (ARCH_HAS_STACK_GUARD 0):
 * the saved stack pointer is above the canary and the canary untouched: the
 * first catches an overflow in progress, the second one that has already
 * unwound. Inline: it runs at every switch, so the four words are summed
 * rather than each compared: any change to one word shows, and changes to
 * several hide only if they cancel out to the bit, which an overflow's
 * return addresses, saved registers and locals do not. */
static inline bool
thread_stack_intact(const struct pica_thread *t)
{
    const uint32_t *canary = (const uint32_t *)t->stack_base;
    if ((const char *)t->sp < t->stack_base + THREAD_CANARY_WORDS * sizeof(uint32_t)) {
        return false;
    }
    return canary[0] + canary[1] + canary[2] + canary[3] == 4u * THREAD_STACK_CANARY;
}
/* The same for a user thread's privileged stack, where the port has no
 * guard: its canary untouched. */
static inline bool
thread_kstack_intact(const struct pica_thread *t)
{
    const uint32_t *canary = (const uint32_t *)t->user->kstack_base;
    return ((canary[0] ^ THREAD_STACK_CANARY) | (canary[1] ^ THREAD_STACK_CANARY) |
            (canary[2] ^ THREAD_STACK_CANARY) | (canary[3] ^ THREAD_STACK_CANARY)) == 0u;
}
/* Report a stack overflow of @t (switching out) and stop it. */
void thread_stack_overflow_locked(struct pica_thread *t);
/* Charge the running time since the last switch to @prev. */
void thread_account_locked(struct pica_thread *prev, struct pica_thread *next);

/* From proc.c: user thread @t has died (thread_kill_locked). Weak: an
 * image without processes has no user threads and no proc.c. */
void proc_thread_ended_locked(struct pica_thread *t) __attribute__((weak));

/* From mutex.c: the most urgent priority among waiters of mutexes @t holds
 * (PICA_CFG_PRIORITIES if none), and releasing them all when @t dies. */
unsigned mutex_inherited_prio_locked(const struct pica_thread *t);
void mutex_release_all_locked(struct pica_thread *t);

/* From ipc.c (weak: images without IPC): @t is dying, the callers whose
 * replies it holds learn that no answer will come. */
void ipc_thread_killed_locked(struct pica_thread *t) __attribute__((weak));
