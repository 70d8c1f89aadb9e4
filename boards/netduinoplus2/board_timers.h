/* SPDX-License-Identifier: MIT */
/* netduinoplus2's hardware timers, TIM2-TIM5, by their index for
 * pica_hwtimer_*() and by address. Table: timers.c. */
#pragma once

#define BOARD_HWTIMER_TIM2 0u
#define BOARD_HWTIMER_TIM3 1u /* 16 bits */
#define BOARD_HWTIMER_TIM4 2u /* 16 bits */
#define BOARD_HWTIMER_TIM5 3u /* the test framework's */

#define BOARD_HWTIMER_TIM2_BASE 0x40000000u
#define BOARD_HWTIMER_TIM3_BASE 0x40000400u
#define BOARD_HWTIMER_TIM4_BASE 0x40000800u
#define BOARD_HWTIMER_TIM5_BASE 0x40000C00u

/* The one to read for time stamps (the benchmark's instruction counter). */
#define BOARD_HWTIMER_COUNTER BOARD_HWTIMER_TIM2
#define BOARD_HWTIMER_COUNTER_BASE BOARD_HWTIMER_TIM2_BASE
