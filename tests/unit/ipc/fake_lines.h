/* SPDX-License-Identifier: MIT */
/* Interrupt lines for the notification tests: pica_irq_attach(), detach,
 * enable and disable (kernel/irq.c's API) over a table the test drives.
 * The fake port has no lines (its arch_irq_lines() is 0, so kernel/irq.c
 * refuses every one), hence this stand-in. A line is level-triggered:
 * while its device asserts it and it is enabled, its handler runs, in an
 * interrupt (fake_irq_now()), once per assertion or enable. */
#pragma once

#include <stdbool.h>

#include <pica/irq.h>

#define LINES 8

struct line {
    pica_irq_handler_t handler;
    void *arg;
    unsigned prio;
    bool enabled;
    bool asserted; /* the device's level */
    unsigned runs; /* handler calls */
};

extern struct line lines[LINES];

/* The device raises its level: the handler runs now if the line is
 * enabled, else when it is enabled. Context: thread or interrupt. */
void line_assert(unsigned n);
/* The device, served, drops its level. */
void line_deassert(unsigned n);
