/* SPDX-License-Identifier: MIT */
/* Helpers of the port tests: the port's timer taken from the kernel for a
 * while. The timer interrupt reaches the kernel through sched_timer_isr(),
 * which the test image wraps (-Wl,--wrap): while taken, each interrupt is
 * timed and handed to the test instead. Definitions: timer_hook.c. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define PORT_LOG_MAX 64

/* The count (arch_timer_cycles) at entry of each interrupt since the timer
 * was taken; n counts them all, at[] holds the first PORT_LOG_MAX. */
struct port_timer_log {
    volatile unsigned n;
    uint64_t at[PORT_LOG_MAX];
};
extern struct port_timer_log port_timer_log;

/* Take the timer: from now on its interrupts are logged and run
 * @on_interrupt (may be NULL) instead of the kernel's tick. Call with the
 * kernel lock held, then arm the timer before releasing it. */
void port_timer_take_locked(void (*on_interrupt)(void));
/* Give the timer back with the kernel's tick armed on its own boundaries
 * (tick n begins at count n * cycles per tick), so kernel time goes on as if
 * nothing happened. Context: thread. */
void port_timer_give_back(void);
/* Wait, busy, until @n interrupts are logged or the count reaches @until.
 * Returns the number logged. */
unsigned port_timer_wait(unsigned n, uint64_t until);
