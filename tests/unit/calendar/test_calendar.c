/* SPDX-License-Identifier: MIT */
/* The UTC calendar (lib/calendar.c): known dates, every day from 1970 to
 * 2199 against the host C library's gmtime_r() and back, refused fields,
 * and the text form both ways. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <pica/calendar.h>
#include <pica/errno.h>

#define DAY 86400

struct known {
    int64_t secs;
    int year, month, day, hour, min, sec, wday, yday;
};

/* Seconds, fields, weekday and day of the year, from the Python standard
 * library's calendar.timegm() and datetime. */
static const struct known known_dates[] = {
    { 0, 1970, 1, 1, 0, 0, 0, 4, 0 },
    { -1, 1969, 12, 31, 23, 59, 59, 3, 364 },
    { 951825600, 2000, 2, 29, 12, 0, 0, 2, 59 },
    { 1735603200, 2024, 12, 31, 0, 0, 0, 2, 365 },
    { 4107456000, 2100, 2, 28, 0, 0, 0, 0, 58 },
    { 4107542400, 2100, 3, 1, 0, 0, 0, 1, 59 },
    { 4102444799, 2099, 12, 31, 23, 59, 59, 4, 364 },
};

static const struct known first_moment = { PICA_DATETIME_UNIX_MIN, 1, 1, 1, 0, 0, 0, 1, 0 };
static const struct known last_moment = {
    PICA_DATETIME_UNIX_MAX, 9999, 12, 31, 23, 59, 59, 5, 364,
};

static void
assert_fields(const struct pica_datetime *dt, const struct known *k)
{
    assert_int_equal(dt->year, k->year);
    assert_int_equal(dt->month, k->month);
    assert_int_equal(dt->day, k->day);
    assert_int_equal(dt->hour, k->hour);
    assert_int_equal(dt->min, k->min);
    assert_int_equal(dt->sec, k->sec);
    assert_int_equal(dt->wday, k->wday);
    assert_int_equal(dt->yday, k->yday);
}

static void
test_calendar_known_dates_both_ways(void **state)
{
    (void)state;
    const struct known *all[sizeof(known_dates) / sizeof(known_dates[0]) + 2];
    size_t n = 0;
    for (size_t i = 0; i < sizeof(known_dates) / sizeof(known_dates[0]); i++) {
        all[n++] = &known_dates[i];
    }
    all[n++] = &first_moment;
    all[n++] = &last_moment;
    for (size_t i = 0; i < n; i++) {
        const struct known *k = all[i];
        struct pica_datetime dt;
        pica_datetime_from_unix(k->secs, &dt);
        assert_fields(&dt, k);
        int64_t secs = 0;
        assert_int_equal(pica_datetime_to_unix(&dt, &secs), 0);
        assert_int_equal(secs, k->secs);
    }
}

static void
test_calendar_times_out_of_range_give_its_ends(void **state)
{
    (void)state;
    struct pica_datetime dt;
    pica_datetime_from_unix(INT64_MIN, &dt);
    assert_fields(&dt, &first_moment);
    pica_datetime_from_unix(PICA_DATETIME_UNIX_MAX + 1, &dt);
    assert_fields(&dt, &last_moment);
    pica_datetime_from_unix(INT64_MAX, &dt);
    assert_fields(&dt, &last_moment);
}

static void
test_calendar_leap_years_follow_the_gregorian_rule(void **state)
{
    (void)state;
    assert_true(pica_is_leap_year(2000));
    assert_true(pica_is_leap_year(2024));
    assert_true(pica_is_leap_year(2400));
    assert_false(pica_is_leap_year(1900));
    assert_false(pica_is_leap_year(2100));
    assert_false(pica_is_leap_year(2026));
    assert_int_equal(pica_days_in_month(2000, 2), 29);
    assert_int_equal(pica_days_in_month(2100, 2), 28);
    assert_int_equal(pica_days_in_month(2024, 2), 29);
    assert_int_equal(pica_days_in_month(2026, 4), 30);
    assert_int_equal(pica_days_in_month(2026, 12), 31);
    assert_int_equal(pica_days_in_month(2026, 0), -EINVAL);
    assert_int_equal(pica_days_in_month(2026, 13), -EINVAL);
}

/* Every day of 1970-2199, at a time of day that moves with the day, as
 * the host's gmtime_r() sees it, and back to the same second. */
static void
test_calendar_every_day_1970_to_2199_matches_gmtime_and_returns(void **state)
{
    (void)state;
    const int64_t days = 84006; /* 1970-01-01 to 2200-01-01 */
    for (int64_t d = 0; d < days; d++) {
        int64_t secs = d * DAY + (d * 7919) % DAY;
        time_t t = (time_t)secs;
        struct tm tm;
        assert_non_null(gmtime_r(&t, &tm));
        struct known k = { secs, tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                           tm.tm_min, tm.tm_sec, tm.tm_wday, tm.tm_yday };
        struct pica_datetime dt;
        pica_datetime_from_unix(secs, &dt);
        assert_fields(&dt, &k);
        int64_t back = 0;
        assert_int_equal(pica_datetime_to_unix(&dt, &back), 0);
        assert_int_equal(back, secs);
    }
}

static void
test_calendar_to_unix_refuses_fields_out_of_range(void **state)
{
    (void)state;
    static const struct pica_datetime bad[] = {
        { .year = 2026, .month = 0, .day = 1 },
        { .year = 2026, .month = 13, .day = 1 },
        { .year = 2026, .month = 1, .day = 0 },
        { .year = 2026, .month = 1, .day = 32 },
        { .year = 2026, .month = 2, .day = 29 },
        { .year = 2024, .month = 2, .day = 30 },
        { .year = 2100, .month = 2, .day = 29 },
        { .year = 2026, .month = 4, .day = 31 },
        { .year = 2026, .month = 1, .day = 1, .hour = 24 },
        { .year = 2026, .month = 1, .day = 1, .min = 60 },
        { .year = 2026, .month = 1, .day = 1, .sec = 60 },
        { .year = 0, .month = 1, .day = 1 },
        { .year = 10000, .month = 1, .day = 1 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t secs = 42;
        assert_int_equal(pica_datetime_to_unix(&bad[i], &secs), -EINVAL);
        assert_int_equal(secs, 42);
    }
    /* wday and yday are outputs only. */
    struct pica_datetime ok = { .year = 2024, .month = 2, .day = 29, .wday = 6, .yday = 300 };
    int64_t secs;
    assert_int_equal(pica_datetime_to_unix(&ok, &secs), 0);
    assert_int_equal(secs, 1709164800);
}

static void
test_calendar_parse_reads_each_form(void **state)
{
    (void)state;
    static const struct {
        const char *text;
        struct known want;
    } forms[] = {
        { "2000-02-29 12:00:00", { 0, 2000, 2, 29, 12, 0, 0, 2, 59 } },
        { "2000-02-29T12:00:00", { 0, 2000, 2, 29, 12, 0, 0, 2, 59 } },
        { "2099-12-31 23:59:59", { 0, 2099, 12, 31, 23, 59, 59, 4, 364 } },
        { "2026-03-01 07:45", { 0, 2026, 3, 1, 7, 45, 0, 0, 59 } },
        { "2026-03-01T07:45", { 0, 2026, 3, 1, 7, 45, 0, 0, 59 } },
        { "2024-12-31", { 0, 2024, 12, 31, 0, 0, 0, 2, 365 } },
        { "0001-01-01", { 0, 1, 1, 1, 0, 0, 0, 1, 0 } },
    };
    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        struct pica_datetime dt;
        assert_int_equal(pica_datetime_parse(forms[i].text, &dt), 0);
        assert_fields(&dt, &forms[i].want);
    }
}

static void
test_calendar_parse_refuses_other_text(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "",
        "2026",
        "2026-3-01",
        "2026-03-1",
        "26-03-01",
        "20260301",
        "2026/03/01",
        " 2026-03-01",
        "2026-03-01 ",
        "2026-03-01x",
        "2026-03-01 12",
        "2026-03-01 12:",
        "2026-03-01 12:00:",
        "2026-03-01 12:00:00 ",
        "2026-03-01 12:00:00Z",
        "2026-03-01 12:00:000",
        "2026-03-01  12:00",
        "2026-03-01t12:00",
        "+026-03-01",
        "2026-02-29",
        "2100-02-29",
        "2026-04-31",
        "2026-00-10",
        "2026-13-10",
        "0000-01-01",
        "2026-03-01 24:00",
        "2026-03-01 23:60",
        "2026-03-01 23:59:60",
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct pica_datetime dt = { .year = 1234 };
        assert_int_equal(pica_datetime_parse(bad[i], &dt), -EINVAL);
        assert_int_equal(dt.year, 1234);
    }
}

static void
test_calendar_format_writes_the_fixed_form(void **state)
{
    (void)state;
    char buf[32];
    struct pica_datetime dt;
    pica_datetime_from_unix(4102444799, &dt);
    assert_int_equal(pica_datetime_format(buf, sizeof(buf), &dt), PICA_DATETIME_TEXT_LEN);
    assert_string_equal(buf, "2099-12-31 23:59:59");
    pica_datetime_from_unix(PICA_DATETIME_UNIX_MIN + 3661, &dt);
    assert_int_equal(pica_datetime_format(buf, PICA_DATETIME_TEXT_LEN + 1, &dt), 19);
    assert_string_equal(buf, "0001-01-01 01:01:01");
    struct pica_datetime back;
    assert_int_equal(pica_datetime_parse(buf, &back), 0);
    assert_memory_equal(&back, &dt, sizeof(dt));
}

static void
test_calendar_format_refuses_small_buffers_and_bad_fields(void **state)
{
    (void)state;
    char buf[32];
    memset(buf, 'x', sizeof(buf));
    struct pica_datetime dt;
    pica_datetime_from_unix(0, &dt);
    assert_int_equal(pica_datetime_format(buf, PICA_DATETIME_TEXT_LEN, &dt), -ENOSPC);
    assert_int_equal(pica_datetime_format(buf, 0, &dt), -ENOSPC);
    dt.month = 13;
    assert_int_equal(pica_datetime_format(buf, sizeof(buf), &dt), -EINVAL);
    dt.month = 2;
    dt.day = 30;
    assert_int_equal(pica_datetime_format(buf, sizeof(buf), &dt), -EINVAL);
    assert_int_equal(buf[0], 'x');
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar_known_dates_both_ways),
        cmocka_unit_test(test_calendar_times_out_of_range_give_its_ends),
        cmocka_unit_test(test_calendar_leap_years_follow_the_gregorian_rule),
        cmocka_unit_test(test_calendar_every_day_1970_to_2199_matches_gmtime_and_returns),
        cmocka_unit_test(test_calendar_to_unix_refuses_fields_out_of_range),
        cmocka_unit_test(test_calendar_parse_reads_each_form),
        cmocka_unit_test(test_calendar_parse_refuses_other_text),
        cmocka_unit_test(test_calendar_format_writes_the_fixed_form),
        cmocka_unit_test(test_calendar_format_refuses_small_buffers_and_bad_fields),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
