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

/* The wall clock's start (kernel/walltime.c): the goldfish RTC counts
 * nanoseconds since 1970, from the host's time when QEMU started. Reading
 * the low word latches the high one. */
int
board_rtc_read(int64_t *unix_ns)
{
    volatile uint32_t *rtc = (volatile uint32_t *)BOARD_HWTIMER_RTC_BASE;
    uint64_t lo = rtc[0];
    *unix_ns = (int64_t)(((uint64_t)rtc[1] << 32) | lo);
    return 0;
}
