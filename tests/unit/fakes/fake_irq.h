/* SPDX-License-Identifier: MIT */
/* The kernel's lock and interrupt installation, faked for host tests of
 * drivers (GPIO, hardware timers): the lock counts its depth, attach and
 * enable fill a table of lines a test can fire, and a panic aborts. */
#pragma once

#include <pica/irq.h>
#include <stdbool.h>

#define FAKE_IRQ_LINES 64

struct fake_irq_line {
    pica_irq_handler_t handler;
    void *arg;
    unsigned prio;
    bool enabled;
};

extern struct fake_irq_line fake_lines[FAKE_IRQ_LINES];
extern unsigned fake_lock_depth;     /* pica_irq_lock() minus pica_irq_unlock() */
extern unsigned fake_max_lock_depth; /* the deepest nesting seen */
extern int fake_attach_error;        /* what the next pica_irq_attach returns, if not 0 */
extern unsigned fake_attach_calls;

/* Every line empty, every count zero. */
void fake_irq_reset(void);

/* Run the handler of line @irq, which must be attached and enabled. */
void fake_irq_fire(unsigned irq);
