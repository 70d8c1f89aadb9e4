/* SPDX-License-Identifier: MIT */
/* pica_test_devtimer on boards with no device timer QEMU models well
 * enough: netduinoplus2, whose TIM2 in QEMU 7.2 gives updates at about
 * one per kernel tick whatever the period asked (measured), useless for
 * rates around the tick. Tests that need one say so and skip. */
#include <errno.h>
#include <pica/test.h>
#include <stdint.h>

int
pica_test_devtimer_start(uint32_t period_ns, void (*fn)(void))
{
    (void)period_ns;
    (void)fn;
    return -ENOTSUP;
}

void
pica_test_devtimer_stop(void)
{
}
