/* SPDX-License-Identifier: MIT */
/* The hardware timers of virt-rv32: the goldfish RTC's alarm on a count of
 * nanoseconds (QEMU's rtc clock, virtual time with -rtc clock=vm), and the
 * CLINT's machine timer, whose mtimecmp the kernel's tick shares with it
 * (arch/riscv32/clint.c). Names: board_timers.h; drivers:
 * drivers/timer/goldfish_rtc.c, clint_timer.c. */
#include "board_timers.h"
#include "hwtimer_dev.h"

static const struct hwtimer_dev timers[] = {
    [BOARD_HWTIMER_RTC] = {.ops = &goldfish_rtc_ops, .name = "goldfish RTC",
                           .base = BOARD_HWTIMER_RTC_BASE, .hz = 1000000000u, .irq = 11,
                           .bits = 64},
    [BOARD_HWTIMER_CLINT] = {.ops = &clint_timer_ops, .name = "CLINT mtimer",
                             .irq = HWTIMER_NO_IRQ, .bits = 64},
};

/* The test framework's device timer: the RTC. */
HWTIMER_BOARD_DEFINE(timers, BOARD_HWTIMER_RTC);
