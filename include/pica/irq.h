/* SPDX-License-Identifier: MIT */
/* Interrupt lines: handlers installed at run time (dynamic interrupt
 * installation), enable/disable, software trigger and per-line counters.
 * Line numbers are the CPU's external lines (NVIC IRQn 0 .., PLIC source
 * id 1 ..). A line the port cannot deliver (beyond the controller or
 * PICA_CFG_IRQ_MAX, or PLIC source 0, which means "no interrupt") is a bad
 * line: every call below refuses it with -EINVAL. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef void (*pica_irq_handler_t)(void *arg);

/* Install @handler(@arg) on line @irq with logical priority @prio (0 most
 * urgent .. 7; handlers at or below PICA_CFG_IRQ_PRIO_ZERO_LATENCY must not
 * call the kernel, which on Cortex-M never masks them, while on RV32 they
 * wait for its critical sections like every line: see config.h). The line
 * stays disabled until pica_irq_enable(). Context: thread or boot.
 * Returns: 0, -EINVAL (bad line, NULL handler, prio > 7, or called in an
 * interrupt handler), -EBUSY (taken). */
int pica_irq_attach(unsigned irq, pica_irq_handler_t handler, void *arg, unsigned prio);

/* As pica_irq_attach(), for the shortest path: where the CPU has per-line
 * vectors (Cortex-M, PICA_CFG_IRQ_DIRECT) @isr becomes the line's own
 * vector and runs with no kernel code before it; on RV32 the port's
 * dispatch calls it without going through the kernel's table (with
 * PICA_CFG_IRQ_DIRECT=0, on either, the common entry calls it and counts
 * it). It may call the kernel as any handler may (give, resume...), but
 * has no argument, and pica_irq_count() does not count it otherwise. Context: thread or boot.
 * Returns: 0, -EINVAL (bad line, NULL isr, prio > 7, or called in an
 * interrupt handler), -EBUSY (taken). */
int pica_irq_attach_direct(unsigned irq, void (*isr)(void), unsigned prio);

/* Disable the line and remove its handler. Context: thread or boot.
 * Returns: 0, -EINVAL (bad line, or called in an interrupt handler). */
int pica_irq_detach(unsigned irq);

/* Context: any. Returns: 0, -EINVAL (bad line or no handler attached). */
int pica_irq_enable(unsigned irq);
int pica_irq_disable(unsigned irq);

/* Pend the line from software. Context: any. Returns: 0, -EINVAL. */
int pica_irq_trigger(unsigned irq);

/* Times the line's handler has run since boot (0 for a bad line). */
uint32_t pica_irq_count(unsigned irq);

/* Interrupts that arrived on a line with no handler (each disables the line). */
uint32_t pica_irq_spurious_count(void);

/* What line @irq has, for the shell's irq command. */
struct pica_irq_info {
    bool attached;
    bool direct;            /* attached with pica_irq_attach_direct() */
    void *handler;          /* the handler function, NULL if none */
    uint32_t count;         /* runs counted (direct handlers: see above) */
};
/* Context: any. Returns: 0, -EINVAL (a line the port cannot deliver, or
 * @info NULL). */
int pica_irq_info(unsigned irq, struct pica_irq_info *info);

/* The kernel's critical section for application code: masks every
 * interrupt that may call the kernel and nests; on Cortex-M zero-latency
 * lines still run, on RV32 every interrupt is masked. Keep it short.
 * Context: any. Returns the key for pica_irq_unlock(). */
unsigned pica_irq_lock(void);
void pica_irq_unlock(unsigned key);
