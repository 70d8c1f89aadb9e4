/* SPDX-License-Identifier: MIT */
/* Compiled once for each PICA_CFG_PRIORITIES value tests/headers lists:
 * every accepted configuration gives the kernel's own threads priorities
 * it can create them at, with main() above idle and below the timer
 * thread, so the configuration boots. */
#include <pica/pica.h>

_Static_assert(PICA_PRIO_MAIN >= 0 && PICA_PRIO_MAIN < PICA_PRIO_IDLE,
               "main() needs a priority above idle");
_Static_assert(PICA_CFG_TIMER_PRIO < PICA_PRIO_MAIN, "timer callbacks preempt main()");
_Static_assert(PICA_CFG_LOG_PRIO < PICA_PRIO_IDLE, "the log thread runs above idle");
_Static_assert(PICA_PRIO_IDLE == PICA_CFG_PRIORITIES - 1, "idle is the lowest priority");
