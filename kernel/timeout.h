/* SPDX-License-Identifier: MIT */
/* Kernel time: the tick count derived from the port's 64-bit timer, the one
 * deadline-ordered list of timeouts (thread waits, sleeps, software timers),
 * and the timer programming for periodic ticks or tickless idle. All _locked
 * functions need the kernel lock. */
#pragma once

#include <pica/thread.h>
#include <stdbool.h>

/* Bring the tick count up to date and return it. */
pica_tick_t tick_now_locked(void);

/* Arm @to to call to->expire at tick @deadline (at once on the next tick if
 * already past). @to must not be armed. */
void timeout_add_locked(struct pica_timeout *to, pica_tick_t deadline);
/* Disarm @to if armed. */
void timeout_cancel_locked(struct pica_timeout *to);
static inline bool
timeout_is_armed(const struct pica_timeout *to)
{
    return pica_list_is_linked(&to->node);
}

/* Start the tick (sched_start). */
void timeout_start_locked(void);
/* Tickless idle: the idle thread stops the tick (only the first deadline
 * stays armed); the first thread made ready while it runs restarts it. */
extern bool tick_stopped;
extern uint32_t timer_interrupts;
void timeout_tick_stop_locked(void);
void timeout_tick_restart_locked(void);

/* Ticks from timer cycles and back, for the timer's frequency. */
uint32_t timeout_cycles_per_tick(void);
