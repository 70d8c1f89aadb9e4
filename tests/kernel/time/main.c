/* SPDX-License-Identifier: MIT */
/* The timeout macros at the ends of their range: PICA_MS() and PICA_US()
 * saturate at PICA_TIMEOUT_MAX instead of wrapping into PICA_FOREVER or a
 * short wait, with constant and run-time arguments alike, and a saturated
 * timeout is an ordinary (long) finite wait. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>

/* Largest counts that still convert exactly: ceil(n * HZ / units) + 1 fits. */
#define MS_EXACT_MAX (((uint64_t)INT32_MAX - 1u) * 1000u / PICA_CFG_TICK_HZ)
#define US_EXACT_MAX (((uint64_t)INT32_MAX - 1u) * 1000000u / PICA_CFG_TICK_HZ)

/* Constant arguments give constant expressions. */
static const pica_timeout_t in_initialiser = PICA_MS(4294967294u);
_Static_assert(PICA_MS(10) == 10 * PICA_CFG_TICK_HZ / 1000 + 1, "exact below the limit");

/* Run-time arguments take the other path of the macros. */
static volatile uint64_t runtime;

static pica_timeout_t
ms(uint64_t n)
{
    runtime = n;
    return PICA_MS(runtime);
}

static pica_timeout_t
us(uint64_t n)
{
    runtime = n;
    return PICA_US(runtime);
}

PICA_TEST(ms_past_the_range_saturates_instead_of_becoming_forever)
{
    pica_assert_eq(PICA_MS(4294967294u), PICA_TIMEOUT_MAX);
    pica_assert_eq(in_initialiser, PICA_TIMEOUT_MAX);
    pica_assert_eq(ms(4294967294u), PICA_TIMEOUT_MAX);
    pica_assert_eq(PICA_MS(4294967295u), PICA_TIMEOUT_MAX);
    pica_assert_eq(ms(4294967296u), PICA_TIMEOUT_MAX);
    pica_assert_eq(PICA_MS(UINT64_MAX), PICA_TIMEOUT_MAX);
    pica_assert_eq(ms(UINT64_MAX), PICA_TIMEOUT_MAX);
    pica_assert_eq(ms((uint64_t)INT32_MAX + 1u), PICA_TIMEOUT_MAX);
}

PICA_TEST(us_past_the_range_saturates_instead_of_wrapping)
{
    pica_assert_eq(PICA_US(UINT64_MAX), PICA_TIMEOUT_MAX);
    pica_assert_eq(us(UINT64_MAX), PICA_TIMEOUT_MAX);
    /* 2^64 / 1000 us: the product with the tick rate overflowed 64 bits. */
    pica_assert_eq(us(UINT64_MAX / 1000u), PICA_TIMEOUT_MAX);
    pica_assert_eq(us(4294967296000000u), PICA_TIMEOUT_MAX);
}

PICA_TEST(the_last_exact_count_converts_and_the_next_one_saturates)
{
    pica_assert_eq(ms(MS_EXACT_MAX), (MS_EXACT_MAX * PICA_CFG_TICK_HZ + 999u) / 1000u + 1u);
    pica_assert_le(ms(MS_EXACT_MAX), PICA_TIMEOUT_MAX);
    pica_assert_eq(ms(MS_EXACT_MAX + 1u), PICA_TIMEOUT_MAX);
    pica_assert_eq(PICA_MS(MS_EXACT_MAX + 1u), PICA_TIMEOUT_MAX);
    pica_assert_eq(us(US_EXACT_MAX), (US_EXACT_MAX * PICA_CFG_TICK_HZ + 999999u) / 1000000u + 1u);
    pica_assert_eq(us(US_EXACT_MAX + 1u), PICA_TIMEOUT_MAX);
}

PICA_TEST(small_counts_round_up_and_add_a_tick)
{
    pica_assert_eq(PICA_MS(0), 1);
    pica_assert_eq(ms(0), 1);
    pica_assert_eq(ms(1), (PICA_CFG_TICK_HZ + 999) / 1000 + 1);
    pica_assert_eq(us(1), 2);
    pica_assert_eq(ms(1000), PICA_CFG_TICK_HZ + 1);
    pica_assert_eq(us(1000000), PICA_CFG_TICK_HZ + 1);
}

static volatile int sleep_result = 1;

static void
long_sleeper(void *arg)
{
    (void)arg;
    sleep_result = pica_sleep(PICA_MS(4294967294u));
}

PICA_TEST(a_saturated_timeout_is_a_long_finite_wait)
{
    /* Were it PICA_FOREVER, pica_sleep() would refuse it at once. */
    pica_assert_eq(pica_test_spawn(0, long_sleeper, NULL, PICA_PRIO_MAIN - 1), 0);
    pica_assert_eq(pica_sleep(PICA_TICKS(5)), 0);
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(pica_test_worker(0), &info), 0);
    pica_assert_eq(info.state, PICA_THREAD_SLEEPING);
    pica_assert_eq(sleep_result, 1);
    pica_assert_eq(pica_thread_kill(pica_test_worker(0)), 0);
    pica_test_join_workers(1);
}

int
main(void)
{
    pica_test_run();
}
