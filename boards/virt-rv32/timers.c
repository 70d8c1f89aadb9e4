/* SPDX-License-Identifier: MIT */
/* The hardware timers of virt-rv32: the goldfish RTC's alarm on a count of
 * nanoseconds (QEMU's rtc clock, virtual time with -rtc clock=vm), and the
 * CLINT's machine timer, whose mtimecmp the kernel's tick shares with it
 * (arch/riscv32/clint.c). Drivers: drivers/timer/goldfish_rtc.c,
 * clint_timer.c. */
#include "hwtimer_dev.h"

static const struct hwtimer_dev timers[] = {
    /* 0: the test framework's device timer (pica_test_devtimer_start) */
    {.ops = &goldfish_rtc_ops, .name = "goldfish RTC", .base = 0x00101000u,
     .hz = 1000000000u, .irq = 11, .bits = 64},
    {.ops = &clint_timer_ops, .name = "CLINT mtimer", .irq = HWTIMER_NO_IRQ, .bits = 64},
};

HWTIMER_BOARD_DEFINE(timers, 0);
