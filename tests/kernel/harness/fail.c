/* SPDX-License-Identifier: MIT */
/* A test app with one passing and one deliberately failing test: the harness
 * must report the failure (file, line, both values) and fail the run. */
#include <pica/test.h>

static int
one_plus_one(void)
{
    return 1 + 1;
}

PICA_TEST(passing_test)
{
    pica_assert_eq(one_plus_one(), 2);
}

PICA_TEST(deliberately_failing_test)
{
    pica_assert_eq(one_plus_one(), 3);
    pica_assert(0); /* not reached: the first failure ends the test */
}

PICA_TEST(runs_after_a_failure)
{
    pica_assert_ne(one_plus_one(), 0);
}

int
main(void)
{
    pica_test_run();
}
