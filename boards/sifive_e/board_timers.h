/* SPDX-License-Identifier: MIT */
/* sifive_e's hardware timer by its index for pica_hwtimer_*(). Table:
 * timers.c. */
#pragma once

#define BOARD_HWTIMER_CLINT 0u /* CLINT alarm, beside the kernel's tick */

/* The one to read for time stamps: mtime. */
#define BOARD_HWTIMER_COUNTER BOARD_HWTIMER_CLINT
