/* SPDX-License-Identifier: MIT */
/* The port interface: everything the portable kernel needs from a CPU, and
 * the only kernel symbols a port may call. Ports live in arch/<arch>/; their
 * inline parts (interrupt lock, switch request, atomics) come from
 * arch_impl.h.
 * Template with every function documented: arch/template/. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct arch_frame;
struct pica_thread;

/* ---- provided by every port ---------------------------------------------- */

/* Vectors, interrupt controller, exception priorities, FPU.
 * Context: boot, once, interrupts disabled. */
void arch_init(void);

/* Number of external interrupt lines the kernel may be handed: the
 * controller's, but at most PICA_CFG_IRQ_MAX (the size of its table). */
unsigned arch_irq_lines(void);
/* The lowest line number the port can deliver; lines below it are reserved
 * by the controller (the PLIC's source 0 means "no interrupt"), so the
 * kernel accepts lines arch_irq_first_line() .. arch_irq_lines() - 1.
 * arch_impl.h also gives it as the constant ARCH_IRQ_FIRST_LINE. */
unsigned arch_irq_first_line(void);

/* Enable / disable one external interrupt line, set its priority (0 is the
 * most urgent; values at or below PICA_CFG_IRQ_PRIO_ZERO_LATENCY are never
 * masked by the kernel and must not call it). Context: any. */
void arch_irq_enable(unsigned irq);
void arch_irq_disable(unsigned irq);
void arch_irq_set_prio(unsigned irq, unsigned prio);
/* Forget a pend the controller latched for a level-sensitive line whose
 * device has since stopped asserting it (a device still asserting pends it
 * again at once). Ports whose controller keeps no such latch do nothing.
 * Context: any. */
void arch_irq_clear_pending(unsigned irq);

/* Make @isr line @irq's own vector, entered by the CPU with no kernel code
 * in front of it, or with NULL hand the line back to the common entry
 * (irq_dispatch). Returns false where the port has no per-line vectors (or
 * they are configured out); the kernel then runs @isr from irq_dispatch.
 * Context: thread or boot, kernel lock held. */
bool arch_irq_set_vector(unsigned irq, void (*isr)(void));

/* Build @t's first frame on its stack so that switching to it runs
 * @entry(@arg), and returning from @entry calls thread_return(); sets t->sp.
 * t->tls holds @t's TLS block, ready: the port makes it @t's thread
 * pointer, in the first frame where the pointer is a register saved with
 * the context (RISC-V tp), or by turning t->tls into the value
 * arch_tls_load() stores at each switch. @user: run unprivileged.
 * Context: any, kernel lock held. */
void arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                      bool user);

/* Call @fn(@arg) with the stack pointer at @stack_top (8-byte aligned; 16
 * on RISC-V), then return on the caller's stack: for work that needs more
 * stack than its caller has (an eBPF program run from a system call on a
 * process's small privileged stack). An interrupt taken meanwhile stacks
 * there too. Context: any. */
void arch_call_on_stack(void (*fn)(void *), void *arg, void *stack_top);

/* Set up @t's stack guard over the lowest PICA_STACK_GUARD_BYTES of its
 * stack (in t->arch_guard), for arch_mpu_load(). Ports whose hardware cannot
 * guard kernel threads leave it empty and set ARCH_HAS_STACK_GUARD to 0, and
 * the kernel checks a canary at every switch instead. */
void arch_thread_guard(struct pica_thread *t);
/* Whether @addr lies in @t's stack guard. */
bool arch_guard_hit(const struct pica_thread *t, uint32_t addr);

/* Switch to the thread whose saved stack pointer is @first_sp, leaving the
 * boot context for good; the boot stack becomes the interrupt stack. */
__attribute__((noreturn)) void arch_sched_start(void *first_sp);

/* The kernel's time source: a free-running 64-bit count at arch_timer_hz()
 * and an interrupt that calls sched_timer_isr(). Either periodic, at the
 * absolute counts @first + k * @period for every k >= 0, or one-shot at or
 * after the absolute count @deadline (it may fire early, as hardware range
 * allows; the kernel re-arms). A @first or @deadline already past, or
 * nearer than the hardware can arm, fires as soon as it can, and a periodic
 * timer then keeps the phase of @first: the kernel's tick boundaries never
 * move, whatever the mode changes around tickless idle. A @first beyond the
 * hardware's range may, as for a one-shot, bring interrupts before it (the
 * kernel counts time from arch_timer_cycles(), so they do no harm). Each
 * call replaces the last. Context: any. */
void arch_timer_init(uint32_t hz);
uint32_t arch_timer_hz(void);
uint64_t arch_timer_cycles(void);
void arch_timer_periodic(uint64_t first, uint32_t period);
void arch_timer_oneshot(uint64_t deadline);

/* Print the registers of a trapped context (fault report). Context: fault. */
void arch_frame_print(const struct arch_frame *f);
/* Whether the trapped context was itself an interrupt handler. */
bool arch_frame_in_isr(const struct arch_frame *f);

/* Stop the CPU for good: interrupts off, wait forever. */
__attribute__((noreturn)) void arch_halt(void);

/* ---- provided by every port, inline, in its arch_impl.h --------------------
 * Declared here so that every file including this header checks the port's
 * definitions against them (a missing or different one does not compile);
 * tests/kernel/port/ checks the behaviour on every board. */

/* The kernel's only critical section: mask every interrupt the kernel
 * handles and return a key describing the state before, so locks nest.
 * Raising the mask takes effect before the next instruction. A compiler
 * barrier. Context: any. */
static inline unsigned arch_irq_lock(void);
/* Restore the state @key describes. When that unmasks interrupts, any that
 * became pending meanwhile, the switch interrupt included, are taken before
 * this returns. Context: any. */
static inline void arch_irq_unlock(unsigned key);
/* Whether @key means "was not locked" and nothing else masks the switch
 * (Cortex-M: PRIMASK), i.e. unlocking with it lets a switch happen: the
 * blocking calls check it. */
static inline bool arch_irq_key_unlocked(unsigned key);
/* Whether the CPU runs an interrupt or exception handler. */
static inline bool arch_in_isr(void);
/* Wait for an interrupt; returns after one has been taken. */
static inline void arch_idle(void);
/* Compiler and memory barrier: device writes before it have taken effect
 * when it returns. */
static inline void arch_barrier(void);
/* Program the MPU/PMP for @next, about to run (its stack guard). Called by
 * sched_next() with the kernel lock held. ARCH_HAS_STACK_GUARD (a macro of
 * arch_impl.h) is 1 if the port's thread guard really protects stacks. */
static inline void arch_mpu_load(const struct pica_thread *next);
/* Make @next's TLS block the one errno and _Thread_local reach, where the
 * thread pointer is not part of the saved context (Cortex-M: picolibc's
 * variable behind __aeabi_read_tp); empty where it is. Called by
 * sched_next() with the kernel lock held, only when the thread changes, and
 * by sched_start() for the first thread. */
static inline void arch_tls_load(const struct pica_thread *next);
/* Pend line @irq from software (a valid line); inline, as interrupt
 * benchmarks and tests time it. Context: any. */
static inline void arch_irq_trigger(unsigned irq);
/* Ask for sched_next() to run at the next point where a switch is safe.
 * In an interrupt handler: on the way out of the outermost one (PendSV on
 * Cortex-M, the trap exit on RISC-V). In a thread, with the kernel lock
 * held (as the kernel always asks): when the arch_irq_unlock() that
 * releases the lock unmasks interrupts, the switch is taken before that
 * unlock returns, so the code after it runs only once the thread has been
 * switched back in (a blocking call reads its wait result there). A request
 * that is merely posted (a buffered store to the interrupt controller) does
 * not meet this: the port waits for it to reach the CPU. Context: any. */
static inline void arch_switch_request(void);
/* The semaphore and pool fast paths, atomic against interrupts and
 * switches. Optional: a port that defines ARCH_HAS_ATOMIC_OPS brings its
 * own (Cortex-M: LDREX/STREX); otherwise arch/arch_atomic.h has them under
 * the kernel lock.
 * arch_count_take: if *count > 0 as a signed number, decrement it and
 * return true; else false, unchanged.
 * arch_count_give: if *count < max, increment it and return true; else
 * false, unchanged.
 * arch_list_pop: if *head is not NULL, replace it with the first word of the
 * node it points to (the next node) and return the node; else NULL. */
static inline bool arch_count_take(uint32_t *count);
static inline bool arch_count_give(uint32_t *count, uint32_t max);
static inline void *arch_list_pop(void **head);

#include "arch_impl.h"

/* Ports without user mode need not say so. */
#ifndef ARCH_HAS_USER
#define ARCH_HAS_USER 0
#endif

/* 1 if the port runs register IPC in its system call trap and switches
 * from there (ipc_regs_trap() below; Cortex-M). Others need not say. */
#ifndef ARCH_HAS_IPC_TRAP
#define ARCH_HAS_IPC_TRAP 0
#endif

/* 1 if the CPU counts trailing zeros in an instruction or two (Cortex-M:
 * RBIT and CLZ), so that __builtin_ctz is that; a port whose CPU has none
 * (RV32 without Zbb) sets it to 0 and the scheduler's bitmap scan uses a
 * table instead of libgcc's bit-by-bit loop. Ports with one need not say. */
#ifndef ARCH_HAS_CTZ
#define ARCH_HAS_CTZ 1
#endif

/* The atomic operations under the kernel lock, for ports without their own. */
#include "arch_atomic.h"

/* ---- user space: ports with ARCH_HAS_USER 1 in arch_impl.h ---------------
 * A thread created with @user runs unprivileged (Cortex-M: thread mode with
 * CONTROL.nPRIV; RISC-V: U-mode). For it arch_thread_init() gets the top of
 * its user stack (in its process's RAM); t->user->kstack_base / kstack_size is
 * its privileged stack, in kernel RAM, on which its system calls run: the
 * kernel never runs on memory a user thread can write, and never trusts
 * anything a user thread could have written (a saved frame on its user
 * stack is checked, or not used, before a return to it).
 * While a user thread runs, the MPU/PMP lets it reach only its process's
 * regions (t->proc->regions, as arch_proc_regions() encoded them) and its
 * stack guard denies it the lowest PICA_STACK_GUARD_BYTES of its user stack.
 * The regions are written only when the process differs from the last one
 * loaded: switching between threads of one process costs nothing extra, and
 * kernel threads' switches cost nothing extra at all. */
struct pica_proc;
/* Encode p->regions[0 .. p->nregions) into p->arch_regions. Context: thread
 * or boot, kernel lock held. Returns: 0, -ENOSPC (more hardware regions or
 * entries than the port has for a process), -EINVAL (a region the hardware
 * cannot express: size or alignment). */
int arch_proc_regions(struct pica_proc *p);

/* The running user thread's saved registers, as its system call will
 * return them: r0 / a0 first, then the four words register IPC answers
 * with (Cortex-M: r1-r3 and r12 of the frame on its user stack; RISC-V:
 * a1-a4 of its trap frame). Context: that thread's system call. */
uint32_t *arch_user_regs(void);

/* ---- provided by the kernel: the only kernel symbols a port may call ------ */

/* A system call: arguments a[0..5] (r0-r5 / a0-a5) and number (r7 / a7). */
struct syscall_args {
    uint32_t a[6];
    uint32_t nr;
};
/* Run the system call @args of the running user thread and return its
 * result (for r0 / a0; negative errno on error, -ENOSYS for an unknown
 * number). The port calls it in the calling thread, privileged, on its
 * privileged stack, with interrupts enabled: it may block. @args is on that
 * stack, copied from the user's registers. */
int32_t syscall_dispatch(struct syscall_args *args);

/* Register IPC in the trap (kernel/proc/syscall_ipc_regs.c), for ports
 * with ARCH_HAS_IPC_TRAP: the system call @nr (SYSCALL_NR_EP_CALLW,
 * _REPLY_RECVW, _RECVW) of the running user thread, whose saved r0-r3 and
 * r12 / a0-a4 are @regs, with the four words in at regs[1..4] (Cortex-M:
 * the port copies r4 into the r12 slot first) and @r5 its r5 / a5. Called in the trap with the kernel lock held (or at the
 * kernel's level), never blocking. Returns 0 with the outcome in @regs (a
 * switch may be requested), or IPC_BLOCKED (1): the thread now waits, and
 * the port switches away as if from user mode, with its way back through
 * ipc_regs_resumed(). A port may keep the call's side on the thread's
 * privileged stack, ARCH_IPC_RWAIT_BELOW bytes below its top (RISC-V). */
int ipc_regs_trap(uint32_t nr, uint32_t *regs, uint32_t r5);
/* A thread ipc_regs_trap() left waiting is the running thread again, on its
 * way to user mode: its outcome into @regs (as for ipc_regs_trap()). */
void ipc_regs_resumed(uint32_t *regs);
/* A port with ARCH_HAS_IPC_TRAP also gives, inline or as functions declared
 * in its arch_impl.h, for a user thread @t that ipc_regs_trap() left
 * waiting (register IPC's fast path ends such a wait in full):
 *   uint32_t *arch_user_wait_regs(const struct pica_thread *t);
 *     its saved registers, laid out as ipc_regs_trap()'s @regs;
 *   void arch_user_wait_over(struct pica_thread *t);
 *     its outcome is in them: it resumes as a thread preempted in user
 *     mode would, without ipc_regs_resumed(). */

/* A fault in user code, as the port decoded it. */
struct user_fault {
    const char *kind;   /* "memory management fault: data access violation", ... */
    uint32_t pc;        /* the faulting instruction */
    uint32_t addr;      /* the address accessed, if addr_known */
    bool addr_known;
    char access;        /* 'r' read, 'w' write, 'x' execute, 0 unknown */
};
/* The running user thread faulted in user mode: report it (process, thread,
 * kind, address, pc, access) and end the thread or its whole process, then
 * ask for a switch. The port leaves the fault so that the switch follows
 * and the thread never runs again. Context: fault handler. */
void user_fault(const struct user_fault *uf, const struct arch_frame *f);

/* Start the image again from reset (the shell's reboot): Cortex-M asks the
 * system for a reset (AIRCR.SYSRESETREQ); RV32 masks interrupts and jumps
 * to the reset code, which loads .data and clears .bss again (devices keep
 * their state until board_init() sets them up). Context: thread. */
__attribute__((noreturn)) void arch_reboot(void);

/* C entry after the reset code has set up memory and the boot stack. */
__attribute__((noreturn)) void pica_start(void);
/* An external interrupt line fired; irq is the line number, always below
 * arch_irq_lines(). */
void irq_dispatch(unsigned irq);
/* Store @sp as the outgoing thread's stack pointer, choose the next thread
 * and return its stack pointer. Called by the switch code with the kernel
 * lock held (BASEPRI raised / interrupts off). */
void *sched_next(void *sp);
/* The one-shot timer fired. Context: ISR. */
void sched_timer_isr(void);
/* Where a thread goes when its entry function returns. */
__attribute__((noreturn)) void thread_return(void);
/* A memory fault at @addr in a thread: if it hit the running thread's stack
 * guard, report and stop that thread, ask for a switch and return true; the
 * port then leaves the fault for the switch, never returning to the thread.
 * Context: fault handler. */
bool thread_stack_fault(uint32_t addr);
/* A synchronous exception the port cannot handle itself. */
__attribute__((noreturn)) void fault_handle(struct arch_frame *f, const char *kind);
