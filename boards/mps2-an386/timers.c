/* SPDX-License-Identifier: MIT */
/* The hardware timers of the MPS2 boards (AN385 and AN386 build this
 * file), all on the fixed 25 MHz peripheral clock: the two CMSDK APB
 * timers and the two halves of the CMSDK dual timer, which share a line.
 * The kernel ticks with SysTick, so all four are free. Drivers:
 * drivers/timer/cmsdk_timer.c, cmsdk_dualtimer.c. */
#include "hwtimer_dev.h"

#define MPS2_TIMER_HZ 25000000u

static const struct hwtimer_dev timers[] = {
    /* 0: the test framework's device timer (pica_test_devtimer_start) */
    {.ops = &cmsdk_timer_ops, .name = "CMSDK timer0", .base = 0x40000000u,
     .hz = MPS2_TIMER_HZ, .irq = 8, .bits = 32},
    /* 1: the benchmark's instruction counter (bench/thread-metric) */
    {.ops = &cmsdk_timer_ops, .name = "CMSDK timer1", .base = 0x40001000u,
     .hz = MPS2_TIMER_HZ, .irq = 9, .bits = 32},
    {.ops = &cmsdk_dualtimer_ops, .name = "CMSDK dual timer 1", .base = 0x40002000u,
     .hz = MPS2_TIMER_HZ, .irq = 10, .bits = 32},
    {.ops = &cmsdk_dualtimer_ops, .name = "CMSDK dual timer 2", .base = 0x40002020u,
     .hz = MPS2_TIMER_HZ, .irq = 10, .bits = 32},
};

HWTIMER_BOARD_DEFINE(timers, 0);
