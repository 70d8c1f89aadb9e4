/* SPDX-License-Identifier: MIT */
/* The port contract of arch/arch.h, checked on the board: switch requests
 * (switch.c), the timer (timer.c), the fast paths' atomics (atomic.c). */
#include <pica/test.h>

int
main(void)
{
    pica_test_run();
}
