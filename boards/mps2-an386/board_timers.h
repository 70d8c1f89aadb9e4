/* SPDX-License-Identifier: MIT */
/* The MPS2 boards' hardware timers (AN385 and AN386), by their index for
 * pica_hwtimer_*() and by address for a driver's inline accessor. Table:
 * timers.c. */
#pragma once

#define BOARD_HWTIMER_TIMER0 0u /* CMSDK timer0: the test framework's */
#define BOARD_HWTIMER_TIMER1 1u /* CMSDK timer1 */
#define BOARD_HWTIMER_DUAL1 2u  /* CMSDK dual timer, first half */
#define BOARD_HWTIMER_DUAL2 3u  /* CMSDK dual timer, second half (same line) */

#define BOARD_HWTIMER_TIMER0_BASE 0x40000000u
#define BOARD_HWTIMER_TIMER1_BASE 0x40001000u
#define BOARD_HWTIMER_DUAL1_BASE 0x40002000u
#define BOARD_HWTIMER_DUAL2_BASE 0x40002020u

/* The one to read for time stamps (the benchmark's instruction counter). */
#define BOARD_HWTIMER_COUNTER BOARD_HWTIMER_TIMER1
#define BOARD_HWTIMER_COUNTER_BASE BOARD_HWTIMER_TIMER1_BASE
