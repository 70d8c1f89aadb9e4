/* SPDX-License-Identifier: MIT */
/* pica_test_devtimer on every board: a periodic hardware timer
 * (include/pica/hwtimer.h), the one the board's table names for the test
 * framework (boards/<b>/timers.c, devtimer); -ENOTSUP where it names none,
 * or where that timer has no periodic mode (netduinoplus2 under QEMU 7.2,
 * whose TIM interrupts are broken: drivers/timer/stm32_tim.c). */
#include <errno.h>
#include <pica/hwtimer.h>
#include <pica/test.h>
#include <stddef.h>
#include <stdint.h>

#include "hwtimer_dev.h"

static void (*devtimer_fn)(void);

static void
devtimer_tick(unsigned timer, void *arg)
{
    (void)timer;
    (void)arg;
    devtimer_fn();
}

int
pica_test_devtimer_start(uint32_t period_ns, void (*fn)(void))
{
    if (board_hwtimer.devtimer < 0) {
        return -ENOTSUP;
    }
    if (fn == NULL) {
        return -EINVAL;
    }
    unsigned timer = (unsigned)board_hwtimer.devtimer;
    pica_hwtimer_stop(timer);
    devtimer_fn = fn;
    return pica_hwtimer_start(timer, period_ns, PICA_HWTIMER_PERIODIC, devtimer_tick, NULL);
}

void
pica_test_devtimer_stop(void)
{
    if (board_hwtimer.devtimer >= 0) {
        pica_hwtimer_stop((unsigned)board_hwtimer.devtimer);
    }
}
