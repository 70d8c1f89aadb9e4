/* SPDX-License-Identifier: MIT */
/* A second deadline on the machine timer, beside the kernel's: the CLINT
 * has one mtimecmp per hart and the kernel's tick owns it, so clint.c
 * programs it with whichever deadline comes first and runs what is due.
 * For drivers/timer/clint_timer.c (include/pica/hwtimer.h). */
#pragma once

#include <stdint.h>

/* Call @fn(@arg) once, in the machine timer interrupt, when mtime reaches
 * @at (at once if it has). Replaces an alarm already set. The alarm is
 * cleared before @fn runs, which may set it again. Context: any. */
void clint_alarm_set(uint64_t at, void (*fn)(void *arg), void *arg);

/* Clear the alarm; @fn does not run after this returns. Context: any. */
void clint_alarm_cancel(void);
