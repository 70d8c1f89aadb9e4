/* SPDX-License-Identifier: MIT */
/* A test app whose second test never ends: STUCK_SPINNING keeps the CPU
 * busy in the test's own loop; otherwise the test waits for a semaphore no
 * one gives, as after a lost wake-up, and the idle thread runs. Either way
 * the framework must stop the run at its virtual-time limit and name the
 * test. */
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/test.h>

PICA_TEST(passes_before_the_stuck_one)
{
    pica_assert_eq(pica_sleep(PICA_TICKS(2)), 0);
}

#if STUCK_SPINNING
PICA_TEST(spins_forever)
{
    for (;;) {
    }
}
#else
PICA_TEST(waits_forever)
{
    static struct pica_sem never_given;
    pica_assert_eq(pica_sem_init(&never_given, 0, 1), 0);
    pica_sem_take(&never_given, PICA_FOREVER);
}
#endif

PICA_TEST(never_reached)
{
    pica_assert(0);
}

int
main(void)
{
    pica_test_run();
}
