/* SPDX-License-Identifier: MIT */
/* The timeout macros at the ends of their range: PICA_MS() and PICA_US()
 * saturate at PICA_TIMEOUT_MAX instead of wrapping into PICA_FOREVER or a
 * short wait, with constant and run-time arguments alike, and a saturated
 * timeout is an ordinary (long) finite wait. The wall clock: where it
 * starts, that it runs with the monotonic clock, and setting it. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>

/* The board's RTC, if any (kernel/kernel.h): -ENODEV where there is none. */
int board_rtc_read(int64_t *unix_ns);

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

#define TIME_2000 946684800LL
#define TIME_2020 1577836800LL

static int64_t
wall_us(void)
{
    struct pica_walltime t;
    pica_assert_eq(pica_time_get(&t), 0);
    pica_assert_lt(t.nsec, 1000000000u);
    return t.sec * 1000000 + t.nsec / 1000u;
}

PICA_TEST(wall_clock_starts_from_the_rtc_or_from_2000)
{
    int64_t rtc_ns;
    bool has_rtc = board_rtc_read(&rtc_ns) == 0;
    struct pica_walltime t;
    pica_assert_eq(pica_time_get(&t), 0);
    printf("wall clock: %ld s since 1970 (%s)\n", (long)t.sec,
           has_rtc ? "from the RTC" : "no RTC: from 2000-01-01");
    if (has_rtc) {
        /* QEMU starts the RTC at the host's time. */
        pica_assert_ge(t.sec, TIME_2020);
        pica_assert_le(t.sec - rtc_ns / 1000000000, 1);
    } else {
        pica_assert_ge(t.sec, TIME_2000);
        pica_assert_lt(t.sec, TIME_2000 + 86400);
    }
    pica_assert_eq(pica_time_get(NULL), -EINVAL);
}

PICA_TEST(wall_clock_runs_with_the_monotonic_clock)
{
    int64_t u1 = (int64_t)pica_uptime_us();
    int64_t w1 = wall_us();
    pica_assert_eq(pica_sleep(PICA_MS(50)), 0);
    int64_t w2 = wall_us();
    int64_t u2 = (int64_t)pica_uptime_us();
    pica_assert_ge(w2 - w1, 50000);
    pica_assert_le(w2 - w1, u2 - u1);
}

PICA_TEST(setting_the_wall_clock_moves_it_and_nothing_else)
{
    /* 2024-02-29 23:59:59.5 */
    const struct pica_walltime leap = {.sec = 1709251199, .nsec = 500000000u};
    pica_assert_eq(pica_time_set(&leap), 0);
    int64_t w = wall_us();
    pica_assert_ge(w, leap.sec * 1000000 + 500000);
    pica_assert_lt(w, leap.sec * 1000000 + 600000);
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_sleep(PICA_MS(600)), 0);
    pica_assert_ge(pica_tick_now() - t0, PICA_MS(600) - 1);
    struct pica_walltime now;
    pica_assert_eq(pica_time_get(&now), 0);
    pica_assert_ge(now.sec, leap.sec + 1); /* 2024-03-01 00:00:00 or later */
    pica_assert_le(now.sec, leap.sec + 3);

    /* Back by a year: the monotonic clock and sleeps do not notice. */
    const struct pica_walltime back = {.sec = leap.sec - 365 * 86400, .nsec = 0};
    uint64_t up = pica_uptime_us();
    pica_assert_eq(pica_time_set(&back), 0);
    pica_assert_ge(pica_uptime_us(), up);
    pica_assert_eq(pica_sleep(PICA_MS(10)), 0);
    pica_assert_eq(pica_time_get(&now), 0);
    pica_assert_ge(now.sec, back.sec);
    pica_assert_le(now.sec, back.sec + 2);
}

PICA_TEST(bad_wall_clock_values_are_refused_and_change_nothing)
{
    const struct pica_walltime ok = {.sec = TIME_2000 + 1000, .nsec = 0};
    pica_assert_eq(pica_time_set(&ok), 0);
    const struct pica_walltime bad[] = {
        {.sec = TIME_2000, .nsec = 1000000000u},
        {.sec = -1, .nsec = 0},
        {.sec = PICA_TIME_MAX + 1, .nsec = 0},
        {.sec = INT64_MIN, .nsec = 0},
    };
    for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        pica_assert_eq(pica_time_set(&bad[i]), -EINVAL);
    }
    pica_assert_eq(pica_time_set(NULL), -EINVAL);
    struct pica_walltime now;
    pica_assert_eq(pica_time_get(&now), 0);
    pica_assert_ge(now.sec, ok.sec);
    pica_assert_le(now.sec, ok.sec + 2);
    /* The last second of the range is accepted. */
    const struct pica_walltime last = {.sec = PICA_TIME_MAX, .nsec = 999999999u};
    pica_assert_eq(pica_time_set(&last), 0);
    pica_assert_eq(pica_time_set(&ok), 0);
}

int
main(void)
{
    pica_test_run();
}
