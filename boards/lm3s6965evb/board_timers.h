/* SPDX-License-Identifier: MIT */
/* lm3s6965evb's hardware timers, Timer A of each GPTM module, by their
 * index for pica_hwtimer_*() and by address. Table: timers.c. */
#pragma once

#define BOARD_HWTIMER_GPTM0 0u /* the test framework's */
#define BOARD_HWTIMER_GPTM1 1u
#define BOARD_HWTIMER_GPTM2 2u
#define BOARD_HWTIMER_GPTM3 3u

#define BOARD_HWTIMER_GPTM0_BASE 0x40030000u
#define BOARD_HWTIMER_GPTM1_BASE 0x40031000u
#define BOARD_HWTIMER_GPTM2_BASE 0x40032000u
#define BOARD_HWTIMER_GPTM3_BASE 0x40033000u

/* The one to read for time stamps (no counter reads under QEMU 7.2). */
#define BOARD_HWTIMER_COUNTER BOARD_HWTIMER_GPTM1
#define BOARD_HWTIMER_COUNTER_BASE BOARD_HWTIMER_GPTM1_BASE
