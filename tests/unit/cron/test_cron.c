/* SPDX-License-Identifier: MIT */
/* Cron expressions (lib/cron_expr.c): the sets a line parses into, lines
 * refused with the field, column and reason, and a table of next fire
 * times worked out by hand: month ends, leap days, both day rules, steps,
 * names, macros, seconds, and the search bound. test_cron_random.c checks
 * random expressions against a model. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pica/calendar.h>
#include <pica/errno.h>

#include "cron_expr.h"

#define ALL_60 ((((uint64_t)1) << 60) - 1)
#define BIT(n) ((uint64_t)1 << (n))

static int64_t
at(const char *text)
{
    struct pica_datetime dt;
    int64_t secs = 0;
    assert_int_equal(pica_datetime_parse(text, &dt), 0);
    assert_int_equal(pica_datetime_to_unix(&dt, &secs), 0);
    return secs;
}

static struct cron_expr
parse_ok(const char *line)
{
    struct cron_expr e;
    struct cron_error err;
    int rc = cron_parse(line, &e, &err);
    if (rc) {
        fail_msg("'%s': %s (column %d)", line, err.reason, err.column);
    }
    return e;
}

/* ---- the sets a line stands for ---- */

static void
test_cron_five_fields_fire_at_second_zero(void **state)
{
    (void)state;
    struct cron_expr e = parse_ok("*/15 3,5-7 1-31 * *");
    assert_int_equal(e.seconds, 1);
    assert_int_equal(e.minutes, BIT(0) | BIT(15) | BIT(30) | BIT(45));
    assert_int_equal(e.hours, BIT(3) | BIT(5) | BIT(6) | BIT(7));
    assert_int_equal(e.mdays, 0xfffffffeu);
    assert_int_equal(e.months, 0x1ffe);
    assert_int_equal(e.wdays, 0x7f);
    /* "1-31" does not start with '*': restricted although it is every day. */
    assert_int_equal(e.flags, CRON_DOM_RESTRICTED);
}

static void
test_cron_six_fields_lead_with_seconds(void **state)
{
    (void)state;
    struct cron_expr e = parse_ok("\t 10-50/15  *  * * * *  \r\n");
    assert_int_equal(e.seconds, BIT(10) | BIT(25) | BIT(40));
    assert_int_equal(e.minutes, ALL_60);
    assert_int_equal(e.hours, 0xffffff);
    assert_int_equal(e.flags, 0);
}

static void
test_cron_steps_ranges_and_open_ends(void **state)
{
    (void)state;
    /* "a/s" runs from a to the field's last value. */
    assert_int_equal(parse_ok("10/20 * * * *").minutes, BIT(10) | BIT(30) | BIT(50));
    assert_int_equal(parse_ok("0 */7 * * *").hours, BIT(0) | BIT(7) | BIT(14) | BIT(21));
    assert_int_equal(parse_ok("0 0 */10 * *").mdays, BIT(1) | BIT(11) | BIT(21) | BIT(31));
    assert_int_equal(parse_ok("0 0 * 2/5 *").months, BIT(2) | BIT(7) | BIT(12));
    assert_int_equal(parse_ok("0 0 * * */2").wdays, BIT(0) | BIT(2) | BIT(4) | BIT(6));
    assert_int_equal(parse_ok("0 0 * * 1/2").wdays, BIT(1) | BIT(3) | BIT(5));
    assert_int_equal(parse_ok("59 * * * *").minutes, BIT(59));
    assert_int_equal(parse_ok("0 0 * * 0005").wdays, BIT(5));
}

static void
test_cron_sunday_is_0_and_7(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("0 0 * * 7").wdays, BIT(0));
    assert_int_equal(parse_ok("0 0 * * 0").wdays, BIT(0));
    assert_int_equal(parse_ok("0 0 * * 5-7").wdays, BIT(5) | BIT(6) | BIT(0));
    assert_int_equal(parse_ok("0 0 * * 0-7").wdays, 0x7f);
    assert_int_equal(parse_ok("0 0 * * 7/3").wdays, BIT(0));
}

static void
test_cron_names_in_any_case_and_in_ranges(void **state)
{
    (void)state;
    struct cron_expr e = parse_ok("0 9 * JAN,jul,Dec Mon-FRI");
    assert_int_equal(e.months, BIT(1) | BIT(7) | BIT(12));
    assert_int_equal(e.wdays, 0x3e);
    assert_int_equal(e.flags, CRON_DOW_RESTRICTED);
    assert_int_equal(parse_ok("0 0 * mar-may/2 sun,sat").months, BIT(3) | BIT(5));
    assert_int_equal(parse_ok("0 0 * * thu-7").wdays, BIT(4) | BIT(5) | BIT(6) | BIT(0));
}

static void
test_cron_star_prefix_decides_the_day_rule(void **state)
{
    (void)state;
    assert_int_equal(parse_ok("0 0 * * *").flags, 0);
    assert_int_equal(parse_ok("0 0 */2 * *").flags, 0);
    assert_int_equal(parse_ok("0 0 *,5 * 1").flags, CRON_DOW_RESTRICTED);
    assert_int_equal(parse_ok("0 0 1 * */2").flags, CRON_DOM_RESTRICTED);
    assert_int_equal(parse_ok("0 0 1 * 1").flags, CRON_DOM_RESTRICTED | CRON_DOW_RESTRICTED);
}

static void
test_cron_macros_stand_for_their_fields(void **state)
{
    (void)state;
    static const struct {
        const char *macro, *fields;
    } same[] = {
        { "@yearly", "0 0 1 1 *" },   { "@annually", "0 0 1 1 *" }, { "@monthly", "0 0 1 * *" },
        { "@weekly", "0 0 * * 0" },   { "@daily", "0 0 * * *" },    { "@midnight", "0 0 * * *" },
        { "@hourly", "0 * * * *" },   { "  @Daily \n", "0 0 * * *" },
    };
    for (size_t i = 0; i < sizeof(same) / sizeof(same[0]); i++) {
        struct cron_expr a = parse_ok(same[i].macro), b = parse_ok(same[i].fields);
        assert_memory_equal(&a, &b, sizeof(a));
    }
    struct cron_expr r = parse_ok("@reboot");
    assert_int_equal(r.flags, CRON_REBOOT);
    int64_t next = 7;
    assert_int_equal(cron_next(&r, 0, &next), -ENOENT);
    assert_int_equal(next, 7);
    assert_false(cron_matches(&r, 0));
}

/* ---- refused lines ---- */

struct bad_line {
    const char *line;
    int field;
    const char *field_name;
    int column;
    const char *reason;
};

static const struct bad_line bad_lines[] = {
    { "61 * * * *", 0, "minute", 1, "value 61 out of range 0-59" },
    { "  0 61 * * *", 1, "hour", 5, "value 61 out of range 0-23" },
    { "0 0 0 * *", 2, "day-of-month", 5, "value 0 out of range 1-31" },
    { "0 0 32 * *", 2, "day-of-month", 5, "value 32 out of range 1-31" },
    { "0 0 * 13 *", 3, "month", 7, "value 13 out of range 1-12" },
    { "0 0 0 * * 8", 5, "day-of-week", 11, "value 8 out of range 0-7" },
    { "60 0 0 * * *", 0, "second", 1, "value 60 out of range 0-59" },
    { "99999999999 * * * *", 0, "minute", 1, "value 99999999999 out of range 0-59" },
    { "12345678901234567890 * * * *", 0, "minute", 1,
      "value 1234567890123456... out of range 0-59" },
    { "*/0 * * * *", 0, "minute", 3, "step 0 out of range 1-60" },
    { "0 0 * * */8", 4, "day-of-week", 11, "step 8 out of range 1-7" },
    { "0 1-5/25 * * *", 1, "hour", 7, "step 25 out of range 1-24" },
    { "50-10 * * * *", 0, "minute", 1, "range 50-10 is reversed" },
    { "0 0 * * fri-mon", 4, "day-of-week", 9, "range fri-mon is reversed" },
    { "0 0 * * 7-1", 4, "day-of-week", 9, "range 7-1 is reversed" },
    { "* * * *", -1, NULL, 8, "expected 5 or 6 fields, found 4" },
    { "* * * * * * *", -1, NULL, 13, "expected 5 or 6 fields, found 7" },
    { "", -1, NULL, 1, "expected 5 or 6 fields, found 0" },
    { " \t ", -1, NULL, 1, "expected 5 or 6 fields, found 0" },
    { "0 0 * foo *", 3, "month", 7, "unknown name 'foo'" },
    { "0 0 * * monday", 4, "day-of-week", 9, "unknown name 'monday'" },
    { "0 0 * * abcdefghijklmnopqrstuvwxyz", 4, "day-of-week", 9,
      "unknown name 'abcdefghijklmnop...'" },
    { "0 0 L * *", 2, "day-of-month", 5, "expected a number, found 'L'" },
    { "0 jan * * *", 1, "hour", 3, "expected a number, found 'jan'" },
    { "@often", -1, NULL, 1, "unknown macro '@often'" },
    { " @", -1, NULL, 2, "unknown macro '@'" },
    { "@daily 5", -1, NULL, 8, "unexpected text after the macro" },
    { "0 0 * * mon-", 4, "day-of-week", 13, "missing value" },
    { "1,,2 * * * *", 0, "minute", 3, "empty list item" },
    { "1, * * * *", 0, "minute", 3, "empty list item" },
    { ",1 * * * *", 0, "minute", 1, "empty list item" },
    { "*/ * * * *", 0, "minute", 3, "missing step after '/'" },
    { "*/x * * * *", 0, "minute", 3, "missing step after '/'" },
    { "0 0 1#2 * *", 2, "day-of-month", 6, "unexpected character '#'" },
    { "*5 * * * *", 0, "minute", 2, "unexpected character '5'" },
    { "*-5 * * * *", 0, "minute", 2, "unexpected character '-'" },
    { "5L * * * *", 0, "minute", 2, "unexpected character 'L'" },
    { "-5 * * * *", 0, "minute", 1, "unexpected character '-'" },
    { "0 0 \x01 * *", 2, "day-of-month", 5, "unexpected byte 0x01" },
    { "0 0 ? * *", 2, "day-of-month", 5, "unexpected character '?'" },
    { "1-2-3 * * * *", 0, "minute", 4, "unexpected character '-'" },
    { "1/2/3 * * * *", 0, "minute", 4, "unexpected character '/'" },
};

static void
test_cron_refused_lines_name_field_column_and_reason(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(bad_lines) / sizeof(bad_lines[0]); i++) {
        const struct bad_line *b = &bad_lines[i];
        struct cron_expr e = { .flags = 0x55 };
        struct cron_error err;
        memset(&err, 0, sizeof(err));
        assert_int_equal(cron_parse(b->line, &e, &err), -EINVAL);
        assert_int_equal(e.flags, 0x55); /* untouched */
        assert_string_equal(err.reason, b->reason);
        assert_int_equal(err.field, b->field);
        assert_int_equal(err.column, b->column);
        if (b->field_name) {
            assert_string_equal(err.field_name, b->field_name);
        } else {
            assert_null(err.field_name);
        }
        assert_int_equal(cron_parse(b->line, &e, NULL), -EINVAL);
    }
}

static void
test_cron_error_format_leads_with_field_and_column(void **state)
{
    (void)state;
    struct cron_expr e;
    struct cron_error err;
    char buf[96];
    assert_int_equal(cron_parse("  61 * * * *", &e, &err), -EINVAL);
    int n = cron_error_format(buf, sizeof(buf), &err);
    assert_string_equal(buf, "minute field (column 3): value 61 out of range 0-59");
    assert_int_equal(n, (int)strlen(buf));
    assert_int_equal(cron_parse("@often", &e, &err), -EINVAL);
    cron_error_format(buf, sizeof(buf), &err);
    assert_string_equal(buf, "column 1: unknown macro '@often'");
    assert_int_equal(cron_error_format(buf, 10, &err), -ENOSPC);
    assert_string_equal(buf, "column 1:");
    assert_int_equal(cron_error_format(buf, 0, &err), -ENOSPC);
}

/* ---- next fire times ---- */

struct next_case {
    const char *expr, *after, *next; /* next NULL: -ENOENT */
};

static const struct next_case next_cases[] = {
    /* minutes that wrap at the hour and the day, steps that do not divide */
    { "*/15 * * * *", "2026-02-28 23:50:00", "2026-03-01 00:00:00" },
    { "*/15 * * * *", "2026-03-01 00:00:00", "2026-03-01 00:15:00" },
    { "*/7 * * * *", "2026-03-01 10:55:30", "2026-03-01 10:56:00" },
    { "*/7 * * * *", "2026-03-01 10:56:00", "2026-03-01 11:00:00" },
    { "0 */5 * * *", "2026-03-01 20:00:00", "2026-03-02 00:00:00" },
    { "10/20 * * * *", "2026-03-01 12:50:00", "2026-03-01 13:10:00" },
    { "10-50/15 * * * *", "2026-03-01 12:40:00", "2026-03-01 13:10:00" },
    /* month ends and leap days */
    { "0 0 31 * *", "2026-01-31 00:00:00", "2026-03-31 00:00:00" },
    { "0 0 31 * *", "2026-03-31 00:00:00", "2026-05-31 00:00:00" },
    { "0 0 30 * *", "2026-01-30 00:00:00", "2026-03-30 00:00:00" },
    { "0 12 29 2 *", "2025-01-01 00:00:00", "2028-02-29 12:00:00" },
    { "0 12 29 2 *", "2096-03-01 00:00:00", "2104-02-29 12:00:00" },
    { "0 0 28 2 *", "2100-02-28 00:00:00", "2101-02-28 00:00:00" },
    { "0 0 1 3 *", "2100-02-28 00:00:00", "2100-03-01 00:00:00" },
    /* year rollover */
    { "59 23 31 12 *", "2026-12-31 23:59:00", "2027-12-31 23:59:00" },
    { "0 0 1 1 *", "2026-12-31 23:59:59", "2027-01-01 00:00:00" },
    { "* * * * *", "2099-12-31 23:59:59", "2100-01-01 00:00:00" },
    /* both days restricted: either matches (2026-03-01 is a Sunday) */
    { "0 0 1 * mon", "2026-03-01 00:00:00", "2026-03-02 00:00:00" },
    { "0 0 13 * 5", "2026-01-01 00:00:00", "2026-01-02 00:00:00" },
    { "0 0 13 * 5", "2026-01-09 00:00:00", "2026-01-13 00:00:00" },
    /* one field starts with '*': both must match */
    { "0 0 */10 * mon", "2026-01-01 00:00:00", "2026-05-11 00:00:00" },
    { "0 0 13 * */7", "2026-01-01 00:00:00", "2026-09-13 00:00:00" },
    /* Sunday as 0 and 7 */
    { "0 0 * * 0", "2026-03-02 00:00:00", "2026-03-08 00:00:00" },
    { "0 0 * * 7", "2026-03-02 00:00:00", "2026-03-08 00:00:00" },
    { "0 0 * * 5-7", "2026-03-02 00:00:00", "2026-03-06 00:00:00" },
    { "0 0 * * 5-7", "2026-03-07 00:00:00", "2026-03-08 00:00:00" },
    /* names */
    { "0 9 * jan,jul mon-fri", "2026-02-01 00:00:00", "2026-07-01 09:00:00" },
    { "0 0 1 MAR *", "2026-01-15 00:00:00", "2026-03-01 00:00:00" },
    /* seconds */
    { "*/20 * * * * *", "2026-03-01 12:00:50", "2026-03-01 12:01:00" },
    { "30 0 0 * * *", "2026-03-01 00:00:30", "2026-03-02 00:00:30" },
    { "30 0 0 * * *", "2026-03-01 00:00:29", "2026-03-01 00:00:30" },
    { "59 59 23 31 12 *", "2026-06-01 00:00:00", "2026-12-31 23:59:59" },
    /* macros */
    { "@hourly", "2026-03-01 12:00:00", "2026-03-01 13:00:00" },
    { "@daily", "2026-03-01 12:00:00", "2026-03-02 00:00:00" },
    { "@midnight", "2026-03-01 23:59:59", "2026-03-02 00:00:00" },
    { "@weekly", "2026-03-01 00:00:00", "2026-03-08 00:00:00" },
    { "@monthly", "2026-01-31 00:00:00", "2026-02-01 00:00:00" },
    { "@yearly", "2026-01-01 00:00:00", "2027-01-01 00:00:00" },
    { "@annually", "2026-06-01 00:00:00", "2027-01-01 00:00:00" },
    /* a Sunday 29 February waits 40 years across 2100, the search's bound */
    { "0 0 29 2 */7", "2088-03-01 00:00:00", "2128-02-29 00:00:00" },
    /* never */
    { "0 0 30 2 *", "2026-01-01 00:00:00", NULL },
    { "0 0 31 4,6,9,11 *", "2026-01-01 00:00:00", NULL },
    { "0 0 31 2 */7", "2026-01-01 00:00:00", NULL },
};

static void
test_cron_next_matches_the_worked_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof(next_cases) / sizeof(next_cases[0]); i++) {
        const struct next_case *c = &next_cases[i];
        struct cron_expr e = parse_ok(c->expr);
        int64_t next = 0;
        int rc = cron_next(&e, at(c->after), &next);
        if (!c->next) {
            assert_int_equal(rc, -ENOENT);
            continue;
        }
        char got[PICA_DATETIME_TEXT_LEN + 1] = "";
        struct pica_datetime dt;
        pica_datetime_from_unix(next, &dt);
        pica_datetime_format(got, sizeof(got), &dt);
        if (rc != 0 || strcmp(got, c->next) != 0) {
            fail_msg("'%s' after %s: got %d %s, want %s", c->expr, c->after, rc, got, c->next);
        }
        assert_true(cron_matches(&e, next));
        assert_false(cron_matches(&e, next - 1) && next - 1 > at(c->after));
    }
}

/* A 29 February that must also be a Monday, which a line can only ask
 * for through a set the kernel builds: 2044, then 2072, then 2112. */
static void
test_cron_next_finds_a_monday_29_february_40_years_on(void **state)
{
    (void)state;
    struct cron_expr e = {
        .seconds = 1, .minutes = 1, .hours = 1, .mdays = BIT(29), .months = BIT(2),
        .wdays = BIT(1), .flags = CRON_DOW_RESTRICTED,
    };
    int64_t next;
    assert_int_equal(cron_next(&e, at("2044-03-01"), &next), 0);
    assert_int_equal(next, at("2072-02-29"));
    assert_int_equal(cron_next(&e, at("2072-03-01"), &next), 0);
    assert_int_equal(next, at("2112-02-29"));
}

static void
test_cron_next_refuses_times_outside_the_calendar(void **state)
{
    (void)state;
    struct cron_expr e = parse_ok("* * * * * *");
    int64_t next = 5;
    assert_int_equal(cron_next(&e, PICA_DATETIME_UNIX_MIN - 1, &next), -EINVAL);
    assert_int_equal(cron_next(&e, PICA_DATETIME_UNIX_MAX + 1, &next), -EINVAL);
    assert_int_equal(cron_next(&e, PICA_DATETIME_UNIX_MAX, &next), -ENOENT);
    assert_int_equal(next, 5);
    assert_int_equal(cron_next(&e, PICA_DATETIME_UNIX_MAX - 1, &next), 0);
    assert_int_equal(next, PICA_DATETIME_UNIX_MAX);
    assert_int_equal(cron_next(&e, -1, &next), 0);
    assert_int_equal(next, 0);
    /* A set with nothing in range, which no line parses into. */
    e.seconds = BIT(60);
    assert_int_equal(cron_next(&e, 0, &next), -ENOENT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cron_five_fields_fire_at_second_zero),
        cmocka_unit_test(test_cron_six_fields_lead_with_seconds),
        cmocka_unit_test(test_cron_steps_ranges_and_open_ends),
        cmocka_unit_test(test_cron_sunday_is_0_and_7),
        cmocka_unit_test(test_cron_names_in_any_case_and_in_ranges),
        cmocka_unit_test(test_cron_star_prefix_decides_the_day_rule),
        cmocka_unit_test(test_cron_macros_stand_for_their_fields),
        cmocka_unit_test(test_cron_refused_lines_name_field_column_and_reason),
        cmocka_unit_test(test_cron_error_format_leads_with_field_and_column),
        cmocka_unit_test(test_cron_next_matches_the_worked_table),
        cmocka_unit_test(test_cron_next_finds_a_monday_29_february_40_years_on),
        cmocka_unit_test(test_cron_next_refuses_times_outside_the_calendar),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
