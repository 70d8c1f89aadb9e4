/* SPDX-License-Identifier: MIT */
/* The port interface: everything the portable kernel needs from a CPU, and
 * the only kernel symbols a port may call. Ports live in arch/<arch>/; their
 * inline parts (interrupt lock, ISR test, idle) come from arch_impl.h.
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

/* Enable / disable one external interrupt line, set its priority (0 is the
 * most urgent; values at or below PICA_CFG_IRQ_PRIO_ZERO_LATENCY are never
 * masked by the kernel and must not call it). Context: any. */
void arch_irq_enable(unsigned irq);
void arch_irq_disable(unsigned irq);
void arch_irq_set_prio(unsigned irq, unsigned prio);

/* Make @isr line @irq's own vector, entered by the CPU with no kernel code
 * in front of it, or with NULL hand the line back to the common entry
 * (irq_dispatch). Returns false where the port has no per-line vectors (or
 * they are configured out); the kernel then runs @isr from irq_dispatch.
 * Context: thread or boot, kernel lock held. */
bool arch_irq_set_vector(unsigned irq, void (*isr)(void));

/* Build @t's first frame on its stack so that switching to it runs
 * @entry(@arg), and returning from @entry calls thread_return(); sets t->sp.
 * @user: run unprivileged. Context: any, kernel lock held. */
void arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                      bool user);

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
 * move, whatever the mode changes around tickless idle. Each call replaces
 * the last. Context: any. */
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

/* Provided in arch_impl.h (inline):
 *   unsigned arch_irq_lock(void);        the kernel's only critical section; nests
 *   void     arch_irq_unlock(unsigned);  restores the state returned by lock
 *   bool     arch_in_isr(void);
 *   void     arch_idle(void);            wait for an interrupt
 *   void     arch_barrier(void);         compiler + memory barrier
 *   void     arch_mpu_load(const struct pica_thread *next);  program the MPU/PMP
 *            for the thread about to run (its stack guard). Called by sched_next.
 *   ARCH_HAS_STACK_GUARD  1 if the port's thread guard really protects stacks
 *   void     arch_irq_trigger(unsigned irq);  pend line @irq from software (a valid
 *            line); inline, as interrupt benchmarks and tests time it.
 *   void     arch_switch_request(void);  ask for sched_next() to run at the next
 *            point where a switch is safe: at once in a thread once the lock is
 *            released, at exception exit in an ISR (PendSV on Cortex-M, MSIP /
 *            trap exit on RISC-V). Context: any.
 *   bool     arch_count_take(uint32_t *count);  if *count > 0 as a signed
 *            number, decrement it and return true; else false, unchanged.
 *   bool     arch_count_give(uint32_t *count, uint32_t max);  if *count < max,
 *            increment it and return true; else false, unchanged.
 *   void    *arch_list_pop(void **head);  if *head is not NULL, replace it
 *            with the first word of the node it points to (the next node)
 *            and return the node; else NULL.
 *            Atomic against interrupts and switches; the semaphore and pool
 *            fast paths. Optional: a port that defines ARCH_HAS_ATOMIC_OPS
 *            brings its own (Cortex-M: LDREX/STREX); otherwise
 *            arch/arch_atomic.h has them under the kernel lock.
 */
#include "arch_impl.h"

/* The atomic operations under the kernel lock, for ports without their own. */
#include "arch_atomic.h"

/* ---- provided by the kernel: the only kernel symbols a port may call ------ */

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
