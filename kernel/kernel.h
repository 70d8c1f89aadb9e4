/* SPDX-License-Identifier: MIT */
/* Kernel-private declarations shared across kernel/ (not a public header). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

/* Name of what was running, for fault and panic reports: an interrupt
 * handler when @in_isr, otherwise the current thread. */
const char *kernel_context_name(bool in_isr);

/* Attach and enable the console's interrupts (receive, and transmit where
 * the board has one). Context: boot. */
void console_init(void);

/* Threads of kernel services (software timers, log drain); before main. */
void kernel_services_init(void);

/* The software timer thread (kernel/timer.c) and the log drain thread
 * (kernel/log.c). Context: boot. Both files are in an archive the linker
 * takes only for an image that uses them; boot refers to these weakly and
 * may find them NULL. */
void timer_service_init(void);
void log_service_init(void);

/* Size the interrupt table to the port's lines. Context: boot, first. */
void irq_init(void);

/* The board's RTC, where it has one (a weak default says -ENODEV): the
 * time in nanoseconds since 1970-01-01 UTC. Context: any. */
int board_rtc_read(int64_t *unix_ns);

/* Cron's hook for a change of the wall clock (kernel/cron.c, weak). */
void cron_clock_changed(void);
