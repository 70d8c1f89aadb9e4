/* SPDX-License-Identifier: MIT */
/* The port interface: everything the portable kernel needs from a CPU, and
 * the only kernel symbols a port may call. Ports live in arch/<arch>/; their
 * inline parts (interrupt lock, ISR test, idle) come from arch_impl.h.
 * Template with every function documented: arch/template/. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct arch_frame;

/* ---- provided by every port ---------------------------------------------- */

/* Vectors, interrupt controller, exception priorities, FPU.
 * Context: boot, once, interrupts disabled. */
void arch_init(void);

/* Number of external interrupt lines the interrupt controller has. */
unsigned arch_irq_lines(void);

/* Enable / disable one external interrupt line, set its priority (0 is the
 * most urgent; values at or below PICA_CFG_IRQ_PRIO_ZERO_LATENCY are never
 * masked by the kernel and must not call it). Context: any. */
void arch_irq_enable(unsigned irq);
void arch_irq_disable(unsigned irq);
void arch_irq_set_prio(unsigned irq, unsigned prio);
/* Pend an interrupt from software (tests, benchmarks). */
void arch_irq_trigger(unsigned irq);

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
 */
#include "arch_impl.h"

/* ---- provided by the kernel: the only kernel symbols a port may call ------ */

/* C entry after the reset code has set up memory and the boot stack. */
__attribute__((noreturn)) void pica_start(void);
/* An external interrupt line fired; irq is the line number. */
void irq_dispatch(unsigned irq);
/* A synchronous exception the port cannot handle itself. */
__attribute__((noreturn)) void fault_handle(struct arch_frame *f, const char *kind);
