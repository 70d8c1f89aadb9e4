/* SPDX-License-Identifier: MIT */
/* virt-rv32's hardware timers by their index for pica_hwtimer_*().
 * Table: timers.c. */
#pragma once

#define BOARD_HWTIMER_RTC 0u   /* goldfish RTC alarm: the test framework's */
#define BOARD_HWTIMER_CLINT 1u /* CLINT alarm, beside the kernel's tick */

#define BOARD_HWTIMER_RTC_BASE 0x00101000u

/* The one to read for time stamps: nanoseconds of virtual time. */
#define BOARD_HWTIMER_COUNTER BOARD_HWTIMER_RTC
#define BOARD_HWTIMER_COUNTER_BASE BOARD_HWTIMER_RTC_BASE
