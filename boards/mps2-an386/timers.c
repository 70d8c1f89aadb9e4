/* SPDX-License-Identifier: MIT */
/* The hardware timers of the MPS2 boards (AN385 and AN386 build this
 * file), all on the fixed 25 MHz peripheral clock: the two CMSDK APB
 * timers and the two halves of the CMSDK dual timer, which share a line.
 * The kernel ticks with SysTick, so all four are free. Names:
 * board_timers.h; drivers: drivers/timer/cmsdk_timer.c, cmsdk_dualtimer.c. */
#include "board_timers.h"
#include "hwtimer_dev.h"

#define MPS2_TIMER_HZ 25000000u

static const struct hwtimer_dev timers[] = {
    [BOARD_HWTIMER_TIMER0] = {.ops = &cmsdk_timer_ops, .name = "CMSDK timer0",
                              .base = BOARD_HWTIMER_TIMER0_BASE, .hz = MPS2_TIMER_HZ, .irq = 8,
                              .bits = 32},
    [BOARD_HWTIMER_TIMER1] = {.ops = &cmsdk_timer_ops, .name = "CMSDK timer1",
                              .base = BOARD_HWTIMER_TIMER1_BASE, .hz = MPS2_TIMER_HZ, .irq = 9,
                              .bits = 32},
    [BOARD_HWTIMER_DUAL1] = {.ops = &cmsdk_dualtimer_ops, .name = "CMSDK dual timer 1",
                             .base = BOARD_HWTIMER_DUAL1_BASE, .hz = MPS2_TIMER_HZ, .irq = 10,
                             .bits = 32},
    [BOARD_HWTIMER_DUAL2] = {.ops = &cmsdk_dualtimer_ops, .name = "CMSDK dual timer 2",
                             .base = BOARD_HWTIMER_DUAL2_BASE, .hz = MPS2_TIMER_HZ, .irq = 10,
                             .bits = 32},
};

/* The test framework's device timer: timer0. */
HWTIMER_BOARD_DEFINE(timers, BOARD_HWTIMER_TIMER0);
