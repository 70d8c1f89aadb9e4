/* SPDX-License-Identifier: MIT */
/* cron_next() against a model, over expressions built at random (fixed
 * seed): the test writes each line from parts whose values it knows, then
 * checks with its own matcher, on the host's gmtime_r(), that the time
 * found fires, that no second between the start and it does (second by
 * second near the start, and past whole days, hours and minutes that
 * cannot fire after that), and that "never" means no day in 400 years. */
#define _POSIX_C_SOURCE 200809L
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>
#include <pica/calendar.h>
#include <pica/errno.h>

#include "cron_expr.h"

#define CASES 10000
#define DAY 86400
#define WINDOW_SECS DAY
#define YEAR_2200 INT64_C(7258118400)

enum { SEC, MIN, HOUR, MDAY, MONTH, WDAY, FIELDS };

/* The values each field is written with, from crontab(5). */
static const struct {
    int min, max, star_last;
    const char *names[12];
} fields[FIELDS] = {
    [SEC] = { 0, 59, 59, { NULL } },
    [MIN] = { 0, 59, 59, { NULL } },
    [HOUR] = { 0, 23, 23, { NULL } },
    [MDAY] = { 1, 31, 31, { NULL } },
    [MONTH] = { 1, 12, 12, { "Jan", "feb", "MAR", "apr", "May", "jun", "jul", "AUG", "sep",
                             "oct", "Nov", "dec" } },
    [WDAY] = { 0, 7, 6, { "sun", "Mon", "tue", "WED", "thu", "fri", "Sat" } },
};

struct model {
    uint64_t set[FIELDS];
    bool mday_star, wday_star;
    char text[256];
    size_t len;
};

static uint32_t rng_state = 0x2545f491u;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

static int
pick(int lo, int hi)
{
    return lo + (int)(rng() % (uint32_t)(hi - lo + 1));
}

static void
put(struct model *m, const char *s)
{
    size_t n = strlen(s);
    assert_true(m->len + n < sizeof(m->text));
    memcpy(m->text + m->len, s, n + 1);
    m->len += n;
}

static void
put_value(struct model *m, int f, int v)
{
    char num[8];
    int name = v - fields[f].min;
    if (name < 12 && fields[f].names[name] && rng() % 2) {
        put(m, fields[f].names[name]);
        return;
    }
    snprintf(num, sizeof(num), "%d", v);
    put(m, num);
}

static void
add_values(struct model *m, int f, int lo, int hi, int step)
{
    for (int v = lo; v <= hi; v += step) {
        int day = (f == WDAY && v == 7) ? 0 : v; /* 7 is Sunday again */
        m->set[f] |= (uint64_t)1 << day;
    }
}

/* One list item of field @f: '*', a value or a range, perhaps stepped. */
static void
gen_item(struct model *m, int f, bool *star)
{
    int lo = fields[f].min, last = fields[f].star_last;
    int kind = pick(0, 5), step = pick(1, last - lo + 1);
    int a = pick(lo, fields[f].max), b = pick(lo, fields[f].max);
    char num[16];
    *star = kind <= 1;
    if (kind <= 1) {
        put(m, "*");
        a = lo;
        b = last;
    } else if (kind == 2 || kind == 5) {
        put_value(m, f, a);
        b = (kind == 5 && a < last) ? last : a; /* "a/s" runs to the last value */
    } else {
        if (a > b) {
            int t = a;
            a = b;
            b = t;
        }
        put_value(m, f, a);
        put(m, "-");
        put_value(m, f, b);
    }
    if (kind == 1 || kind == 4 || kind == 5) {
        snprintf(num, sizeof(num), "/%d", step);
        put(m, num);
    } else {
        step = 1;
    }
    add_values(m, f, a, b, step);
}

static void
gen_field(struct model *m, int f)
{
    int items = rng() % 4 == 0 ? pick(2, 3) : 1;
    for (int i = 0; i < items; i++) {
        bool star;
        if (i) {
            put(m, ",");
        }
        gen_item(m, f, &star);
        if (i == 0 && f == MDAY) {
            m->mday_star = star;
        } else if (i == 0 && f == WDAY) {
            m->wday_star = star;
        }
    }
}

static void
gen_model(struct model *m)
{
    static const char *const blanks[] = { "", "", " ", "\t", "  ", " \t " };
    memset(m, 0, sizeof(*m));
    int first = rng() % 2 ? SEC : MIN;
    if (first == MIN) {
        m->set[SEC] = 1; /* five fields fire at second 0 */
    }
    put(m, blanks[pick(0, 5)]);
    for (int f = first; f < FIELDS; f++) {
        if (f != first) {
            put(m, blanks[pick(2, 5)]);
        }
        gen_field(m, f);
    }
    put(m, blanks[pick(0, 5)]);
}

static bool
has(uint64_t set, int v)
{
    return (set >> v) & 1;
}

/* Vixie cron's day rule, from its manual: with both day fields restricted
 * either may match, otherwise both must. */
static bool
model_day(const struct model *m, const struct tm *tm)
{
    if (!has(m->set[MONTH], tm->tm_mon + 1)) {
        return false;
    }
    bool dom = has(m->set[MDAY], tm->tm_mday), dow = has(m->set[WDAY], tm->tm_wday);
    return (!m->mday_star && !m->wday_star) ? (dom || dow) : (dom && dow);
}

static bool
model_time(const struct model *m, int of_day)
{
    return has(m->set[HOUR], of_day / 3600) && has(m->set[MIN], of_day / 60 % 60) &&
           has(m->set[SEC], of_day % 60);
}

static void
utc(int64_t t, struct tm *tm)
{
    time_t tt = (time_t)t;
    assert_non_null(gmtime_r(&tt, tm));
}

static bool
model_matches(const struct model *m, int64_t t)
{
    struct tm tm;
    utc(t, &tm);
    return model_day(m, &tm) && model_time(m, (int)(t % DAY));
}

/* Every second from @after + 1 to @limit - 1, with t >= 0 so that t % DAY
 * is the time of day; the date is read again at each midnight. */
static void
assert_none_second_by_second(const struct model *m, int64_t after, int64_t limit)
{
    bool day_ok = false;
    for (int64_t t = after + 1; t < limit; t++) {
        if (t == after + 1 || t % DAY == 0) {
            struct tm tm;
            utc(t, &tm);
            day_ok = model_day(m, &tm);
        }
        if (day_ok && model_time(m, (int)(t % DAY))) {
            fail_msg("'%s' after %lld: %lld fires first", m->text, (long long)after, (long long)t);
        }
    }
}

/* The rest of the wait: a day, hour or minute that cannot fire is passed
 * whole, any other second is tried. */
static void
assert_none_before(const struct model *m, int64_t from, int64_t next)
{
    for (int64_t t = from; t < next;) {
        struct tm tm;
        utc(t, &tm);
        int of_day = (int)(t % DAY);
        if (!model_day(m, &tm)) {
            t += DAY - of_day;
        } else if (!has(m->set[HOUR], tm.tm_hour)) {
            t += 3600 - of_day % 3600;
        } else if (!has(m->set[MIN], tm.tm_min)) {
            t += 60 - tm.tm_sec;
        } else if (has(m->set[SEC], tm.tm_sec)) {
            fail_msg("'%s': %lld fires before %lld", m->text, (long long)t, (long long)next);
        } else {
            t++;
        }
    }
}

/* The calendar repeats every 400 years, so no day in 400 years is never. */
static void
assert_no_day_in_400_years(const struct model *m, int64_t after)
{
    for (int64_t d = 0; d <= 146097; d++) {
        struct tm tm;
        utc(after + d * DAY, &tm);
        if (model_day(m, &tm)) {
            fail_msg("'%s' has no fire time after %lld, yet day %lld fires", m->text,
                     (long long)after, (long long)d);
        }
    }
}

/* Starts anywhere in 1970-2199, a quarter of them in the last two minutes
 * of a day, where carries happen. */
static int64_t
gen_after(void)
{
    int64_t t = (int64_t)(((uint64_t)rng() << 32 | rng()) % (uint64_t)YEAR_2200);
    if (rng() % 4 == 0) {
        t = t - t % DAY + DAY - 1 - rng() % 120;
    }
    return t;
}

static void
test_cron_random_next_is_the_first_match(void **state)
{
    (void)state;
    int found = 0, never = 0;
    for (int i = 0; i < CASES; i++) {
        struct model m;
        gen_model(&m);
        struct cron_expr e;
        struct cron_error err;
        if (cron_parse(m.text, &e, &err)) {
            fail_msg("'%s' refused: %s (column %d)", m.text, err.reason, err.column);
        }
        int64_t after = gen_after(), next = 0;
        int rc = cron_next(&e, after, &next);
        if (rc == -ENOENT) {
            assert_no_day_in_400_years(&m, after);
            never++;
            continue;
        }
        assert_int_equal(rc, 0);
        assert_true(next > after);
        if (!model_matches(&m, next)) {
            fail_msg("'%s' after %lld: %lld does not fire", m.text, (long long)after,
                     (long long)next);
        }
        assert_true(cron_matches(&e, next));
        int64_t window = next - after < WINDOW_SECS ? next : after + WINDOW_SECS;
        assert_none_second_by_second(&m, after, window);
        assert_none_before(&m, window, next);
        int64_t probe = gen_after();
        assert_int_equal(cron_matches(&e, probe), model_matches(&m, probe));
        found++;
    }
    print_message("%d fired, %d never\n", found, never);
    assert_true(found > CASES / 2);
}

/* The sets themselves: each parsed set is the model's, and a day field is
 * restricted exactly when its text does not start with '*'. */
static void
test_cron_random_lines_parse_into_the_model_sets(void **state)
{
    (void)state;
    for (int i = 0; i < CASES; i++) {
        struct model m;
        gen_model(&m);
        struct cron_expr e;
        assert_int_equal(cron_parse(m.text, &e, NULL), 0);
        assert_int_equal(e.seconds, m.set[SEC]);
        assert_int_equal(e.minutes, m.set[MIN]);
        assert_int_equal(e.hours, m.set[HOUR]);
        assert_int_equal(e.mdays, m.set[MDAY]);
        assert_int_equal(e.months, m.set[MONTH]);
        assert_int_equal(e.wdays, m.set[WDAY]);
        assert_int_equal(!(e.flags & CRON_DOM_RESTRICTED), m.mday_star);
        assert_int_equal(!(e.flags & CRON_DOW_RESTRICTED), m.wday_star);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cron_random_lines_parse_into_the_model_sets),
        cmocka_unit_test(test_cron_random_next_is_the_first_match),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
