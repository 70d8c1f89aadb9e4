/* SPDX-License-Identifier: MIT */
/* The hardware timer of sifive_e: only the CLINT's machine timer, whose
 * mtimecmp the kernel's tick shares with it (arch/riscv32/clint.c); the
 * FE310's PWM blocks are not modelled by QEMU. Names: board_timers.h;
 * driver: drivers/timer/clint_timer.c. */
#include "board_timers.h"
#include "hwtimer_dev.h"

static const struct hwtimer_dev timers[] = {
    [BOARD_HWTIMER_CLINT] = {.ops = &clint_timer_ops, .name = "CLINT mtimer",
                             .irq = HWTIMER_NO_IRQ, .bits = 64},
};

/* The CLINT alarm is also the test framework's device timer: its
 * interrupts come through the kernel's timer interrupt but are none of the
 * kernel's doing, which is what the tests that use it (tickless, port)
 * need. */
HWTIMER_BOARD_DEFINE(timers, BOARD_HWTIMER_CLINT);
