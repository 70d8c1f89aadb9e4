/* SPDX-License-Identifier: MIT */
/* Template port, inline half: what arch/arch.h expects every port's
 * arch_impl.h to provide. Copy this folder to arch/<yourcpu>/ and fill in
 * each body; the comments say what the real ports do. The host build
 * compiles this file (through template.c) so it cannot drift from arch.h.
 * Out-of-line half: template.c. Porting guide: docs/porting.md. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* The registers a trap saves, in the order the entry code pushes them.
 * fault_handle() receives a pointer to it and arch_frame_print() dumps it.
 * Pin every offset the assembly uses with a _Static_assert in the C file
 * (see arch/riscv32/trap.c). */
struct arch_frame {
    uint32_t pc;     /* the interrupted instruction */
    uint32_t sp;     /* stack pointer at the trap */
    uint32_t ra;     /* return address / link register */
    uint32_t cause;  /* why: exception number, fault status register... */
    uint32_t status; /* interrupt state to restore on return */
};

/* Enter the kernel's only critical section and return a key describing the
 * state before, so locks nest: unlock(key) restores exactly that state.
 * Cortex-M raises BASEPRI (interrupts more urgent than the kernel threshold
 * still run); RISC-V clears mstatus.MIE. The mask must hold from the next
 * instruction on, and the function must be a compiler barrier. */
static inline unsigned
arch_irq_lock(void)
{
    unsigned key = 0; /* read the current mask, then mask kernel interrupts */
    __asm volatile("" ::: "memory");
    return key;
}

/* Restore the state arch_irq_lock() returned. If that unmasks interrupts,
 * whatever became pending under the lock, a switch requested by this thread
 * above all, must be taken before this returns: the kernel reads a blocking
 * call's result right after it. Where the CPU may run on a few instructions
 * after the unmask, end with what makes it look (Cortex-M: ISB after
 * MSR BASEPRI; RISC-V re-evaluates interrupts after any write to mstatus). */
static inline void
arch_irq_unlock(unsigned key)
{
    (void)key;
    __asm volatile("" ::: "memory");
}

/* Whether @key (from arch_irq_lock) means "was not locked", i.e. this
 * unlock re-enables interrupts and a pending switch may happen now. */
static inline bool
arch_irq_key_unlocked(unsigned key)
{
    return key == 0;
}

/* 1 if arch_thread_guard() really protects stacks; 0 makes the kernel
 * check a canary at every switch instead. */
/* arch_irq_first_line() as a constant (the controller's lowest usable line), so the kernel's line
 * check is one compare where it is 0. */
#define ARCH_IRQ_FIRST_LINE 0u

#define ARCH_HAS_STACK_GUARD 0

struct pica_thread;

/* Program the MPU/PMP for @next, about to run: at least its stack guard.
 * Called by sched_next() on every switch, so keep it to a few stores. */
static inline void
arch_mpu_load(const struct pica_thread *next)
{
    (void)next;
}

/* Point the TLS accessor at @next's block (t->tls) if the thread pointer
 * lives in memory rather than in a register saved with the context: one
 * store, as it runs at every switch. Empty where arch_thread_init() put it
 * in the first frame (RISC-V tp). */
static inline void
arch_tls_load(const struct pica_thread *next)
{
    (void)next;
}

/* Make line @irq pending from software (NVIC STIR); tests and benchmarks
 * use it to run an interrupt handler on demand, so keep it inline. A
 * controller that cannot do it may deliver the line through a software
 * interrupt instead (RV32: plic.c). */
static inline void
arch_irq_trigger(unsigned irq)
{
    (void)irq;
}

/* Pend the lowest-priority switch interrupt (PendSV, machine software
 * interrupt). Its handler saves the callee-saved registers on the current
 * stack, calls sched_next(sp) with the kernel lock held and restores from
 * the stack pointer it returns: switch.S, at most 60 instructions. Inline:
 * every wake-up may call it.
 * From a thread the request must be pending in the CPU, not merely on its
 * way, when the kernel's unlock unmasks it: wait for a buffered store to
 * the interrupt controller to complete (Cortex-M: DSB; RISC-V: read mip
 * until MSIP shows). tests/kernel/port/ checks the switch happens inside
 * the unlock. */
static inline void
arch_switch_request(void)
{
}

/* Whether the CPU is running an interrupt or exception handler (IPSR != 0
 * on Cortex-M; a trap-depth counter on RISC-V). */
static inline bool
arch_in_isr(void)
{
    return false;
}

/* Wait for an interrupt (WFI). Returns after any interrupt. */
static inline void
arch_idle(void)
{
    __asm volatile("" ::: "memory");
}

/* Optional: the fast paths' atomics (arch_count_take, arch_count_give,
 * arch_list_pop; contract in arch/arch.h). Leave ARCH_HAS_ATOMIC_OPS
 * undefined and arch/arch_atomic.h provides them under arch_irq_lock();
 * define it and the three functions only if the CPU has something cheaper
 * that an interrupt between load and store cannot break (Cortex-M:
 * LDREX/STREX, see arch/cortex-m/arch_impl.h). */

/* Optional: #define ARCH_HAS_CTZ 0 if the CPU has no count-trailing-zeros
 * (or bit-reverse and count-leading-zeros) instruction, so that the
 * scheduler scans its bitmap with a table rather than a libgcc loop
 * (arch/riscv32/arch_impl.h). */

/* Compiler and memory barrier: device writes before it are done when it
 * returns (DSB+ISB on Cortex-M, FENCE on RISC-V). */
static inline void
arch_barrier(void)
{
    __asm volatile("" ::: "memory");
}
