/* SPDX-License-Identifier: MIT */
/* The fake port's controls for host tests of the portable kernel
 * (kernel/{sched,thread,timeout,waitq,...}.c linked with fake_port.c).
 *
 * Threads are host fibers (ucontext) and every switch is taken at once, at
 * the unlock or handler exit that allows it, so a test is a deterministic
 * program. Time is a virtual 64-bit cycle counter that only moves when a
 * thread calls fake_advance() or the idle thread waits: idle jumps straight
 * to the next interrupt, so a sleep of a thousand ticks costs microseconds.
 * Interrupts are functions run "in a handler" (arch_in_isr() true): the
 * kernel timer's (sched_timer_isr) and the test's device sources, taken as
 * soon as the kernel lock allows, in time order. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

typedef void (*fake_isr_t)(void *arg);

/* Why fake_run() returned. */
enum fake_stop {
    FAKE_STOPPED,      /* a thread called fake_stop() */
    FAKE_IDLE_FOREVER, /* only idle can run and no interrupt will ever come */
    FAKE_LIMIT,        /* the clock reached the limit given to fake_run() */
};

/* Reset the port, set the timer to @hz and create the kernel's own threads
 * (idle, timer): the boot half of pica_start(). Call first in every test,
 * in a fresh process (kernel state cannot be reset). */
void fake_boot(uint32_t hz);

/* Run the threads for at most @cycles more cycles of the clock. The first
 * call starts the scheduler; later calls resume where the last stopped.
 * Between runs the test may inspect kernel state and use calls that do not
 * block (a switch they ask for is taken when the run resumes). */
enum fake_stop fake_run(uint64_t cycles);

/* End the current fake_run() from a thread; it resumes here next run. */
void fake_stop(void);

/* The virtual clock (arch_timer_cycles()). */
uint64_t fake_now(void);

/* Let @cycles of time pass in the running thread (work it does), taking
 * every interrupt due on the way at its exact count. The thread may be
 * preempted meanwhile; this returns once the clock has reached the end. */
void fake_advance(uint64_t cycles);

/* A device interrupt source: @isr runs at count @first, then every @period
 * counts (0: once). Returns its id for fake_irq_cancel(). */
int fake_irq_every(uint64_t first, uint64_t period, fake_isr_t isr, void *arg);
void fake_irq_cancel(int id);

/* Raise an interrupt now: taken at once, or at the unlock if the kernel
 * lock is held or a handler runs. */
void fake_irq_now(fake_isr_t isr, void *arg);

/* Cycles from an interrupt's due count to its handler's first instruction
 * (default 0): hardware entry latency, during which the clock moves on. */
void fake_set_irq_latency(uint32_t cycles);

/* Interrupt windows: every point where thread or boot code could be
 * interrupted between kernel critical sections (entering arch_irq_lock()
 * unlocked, leaving arch_irq_unlock() unlocked). Run @isr at the @n-th
 * window from now (n >= 1). */
void fake_isr_at_window(unsigned n, fake_isr_t isr, void *arg);
/* Whether the ISR given to fake_isr_at_window() has run. */
bool fake_window_isr_ran(void);

/* The timer's next interrupt count (UINT64_MAX: none) and period (0:
 * one-shot), as the kernel last programmed it. */
uint64_t fake_timer_next(void);
uint32_t fake_timer_period(void);

/* Switches taken (a thread to another one) since boot. */
uint32_t fake_switches(void);

/* Report a broken port-level rule and end the process with status 3. */
__attribute__((noreturn, format(printf, 1, 2))) void fake_fail(const char *fmt, ...);
