/* SPDX-License-Identifier: MIT */
/* The civil calendar in UTC (include/pica/calendar.h): dates to a count of
 * days since 1970-01-01 and back, through years that begin on 1 March so
 * that the leap day is the last day of its year and every month before it
 * has a fixed start. Used by lib/cron_expr.c and tools/pica-cron.c. */
#include <pica/calendar.h>
#include <pica/errno.h>

#define SECS_PER_DAY 86400
#define YEAR_MAX 9999
/* From 0000-03-01 to 1970-01-01. */
#define EPOCH_DAYS_FROM_MARCH_0 719468
/* The Gregorian cycle, 400 years. */
#define DAYS_PER_400_YEARS 146097

/* The first day of each month within a year that begins on 1 March. */
static const uint16_t march_year_month_start[12] = {
    0, 31, 61, 92, 122, 153, 184, 214, 245, 275, 306, 337,
};

static const uint8_t month_days[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

/* Division rounding towards minus infinity, for times before 1970; @b > 0. */
static int64_t
floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b < 0) ? q - 1 : q;
}

/* Days from 0000-03-01 to 1 March of @y. The years in between have one
 * leap day each for those that end with a 29 February (the years 1..y of
 * the ordinary calendar): the multiples of 4, less those of 100, plus
 * those of 400. */
static int64_t
march_years_days(int64_t y)
{
    return 365 * y + floor_div(y, 4) - floor_div(y, 100) + floor_div(y, 400);
}

static int64_t
days_from_civil(int year, int month, int day)
{
    int64_t march_year = month > 2 ? year : year - 1;
    int index = month > 2 ? month - 3 : month + 9;
    return march_years_days(march_year) + march_year_month_start[index] + day - 1 -
           EPOCH_DAYS_FROM_MARCH_0;
}

/* The inverse of days_from_civil() for @days within the supported years. */
static void
civil_from_days(int64_t days, int *year, int *month, int *day)
{
    int64_t z = days + EPOCH_DAYS_FROM_MARCH_0;
    /* The mean Gregorian year gives an estimate within a year of the
     * answer, which the loops settle. */
    int64_t y = floor_div(z * 400, DAYS_PER_400_YEARS);
    while (march_years_days(y + 1) <= z) {
        y++;
    }
    while (march_years_days(y) > z) {
        y--;
    }
    int day_of_year = (int)(z - march_years_days(y));
    int index = 11;
    while (march_year_month_start[index] > day_of_year) {
        index--;
    }
    *day = day_of_year - march_year_month_start[index] + 1;
    *month = index < 10 ? index + 3 : index - 9;
    *year = (int)(index < 10 ? y : y + 1);
}

bool
pica_is_leap_year(int year)
{
    return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
}

int
pica_days_in_month(int year, int month)
{
    if (month < 1 || month > 12) {
        return -EINVAL;
    }
    return month_days[month - 1] + (month == 2 && pica_is_leap_year(year));
}

static bool
datetime_is_valid(const struct pica_datetime *dt)
{
    return dt->year >= 1 && dt->year <= YEAR_MAX && dt->month >= 1 && dt->month <= 12 &&
           dt->day >= 1 && dt->day <= pica_days_in_month(dt->year, dt->month) &&
           dt->hour < 24 && dt->min < 60 && dt->sec < 60;
}

void
pica_datetime_from_unix(int64_t secs, struct pica_datetime *dt)
{
    if (secs < PICA_DATETIME_UNIX_MIN) {
        secs = PICA_DATETIME_UNIX_MIN;
    } else if (secs > PICA_DATETIME_UNIX_MAX) {
        secs = PICA_DATETIME_UNIX_MAX;
    }
    int64_t days = floor_div(secs, SECS_PER_DAY);
    int of_day = (int)(secs - days * SECS_PER_DAY);
    int year, month, day;
    civil_from_days(days, &year, &month, &day);
    dt->year = (uint16_t)year;
    dt->month = (uint8_t)month;
    dt->day = (uint8_t)day;
    dt->hour = (uint8_t)(of_day / 3600);
    dt->min = (uint8_t)(of_day / 60 % 60);
    dt->sec = (uint8_t)(of_day % 60);
    /* 1970-01-01 was a Thursday (4); earlier days count back to it. */
    int64_t wday = (days + 4) % 7;
    dt->wday = (uint8_t)(wday < 0 ? wday + 7 : wday);
    dt->yday = (uint16_t)(days - days_from_civil(year, 1, 1));
}

int
pica_datetime_to_unix(const struct pica_datetime *dt, int64_t *secs)
{
    if (!datetime_is_valid(dt)) {
        return -EINVAL;
    }
    int64_t days = days_from_civil(dt->year, dt->month, dt->day);
    *secs = days * SECS_PER_DAY + dt->hour * 3600 + dt->min * 60 + dt->sec;
    return 0;
}

/* Exactly @count decimal digits at *@p, which moves past them. */
static bool
read_digits(const char **p, int count, int *value)
{
    int v = 0;
    for (int i = 0; i < count; i++) {
        char c = (*p)[i];
        if (c < '0' || c > '9') {
            return false;
        }
        v = v * 10 + (c - '0');
    }
    *p += count;
    *value = v;
    return true;
}

static bool
read_char(const char **p, char c)
{
    if (**p != c) {
        return false;
    }
    (*p)++;
    return true;
}

int
pica_datetime_parse(const char *s, struct pica_datetime *dt)
{
    int year, month, day, hour = 0, min = 0, sec = 0;
    /* read_digits() stops at the first non-digit, so it never reads past
     * the NUL. */
    bool ok = read_digits(&s, 4, &year) && read_char(&s, '-') && read_digits(&s, 2, &month) &&
              read_char(&s, '-') && read_digits(&s, 2, &day);
    if (ok && (*s == ' ' || *s == 'T')) {
        s++;
        ok = read_digits(&s, 2, &hour) && read_char(&s, ':') && read_digits(&s, 2, &min);
        if (ok && *s == ':') {
            s++;
            ok = read_digits(&s, 2, &sec);
        }
    }
    if (!ok || *s != '\0') {
        return -EINVAL;
    }
    struct pica_datetime t = {
        .year = (uint16_t)year,
        .month = (uint8_t)month,
        .day = (uint8_t)day,
        .hour = (uint8_t)hour,
        .min = (uint8_t)min,
        .sec = (uint8_t)sec,
    };
    int64_t secs;
    int err = pica_datetime_to_unix(&t, &secs);
    if (err) {
        return err;
    }
    pica_datetime_from_unix(secs, dt);
    return 0;
}

/* @value in @count digits, zero-padded, at @p; returns the end. */
static char *
put_digits(char *p, int count, unsigned value)
{
    for (int i = count - 1; i >= 0; i--) {
        p[i] = (char)('0' + value % 10);
        value /= 10;
    }
    return p + count;
}

int
pica_datetime_format(char *buf, size_t n, const struct pica_datetime *dt)
{
    if (!datetime_is_valid(dt)) {
        return -EINVAL;
    }
    if (n < PICA_DATETIME_TEXT_LEN + 1) {
        return -ENOSPC;
    }
    char *p = put_digits(buf, 4, dt->year);
    *p++ = '-';
    p = put_digits(p, 2, dt->month);
    *p++ = '-';
    p = put_digits(p, 2, dt->day);
    *p++ = ' ';
    p = put_digits(p, 2, dt->hour);
    *p++ = ':';
    p = put_digits(p, 2, dt->min);
    *p++ = ':';
    p = put_digits(p, 2, dt->sec);
    *p = '\0';
    return PICA_DATETIME_TEXT_LEN;
}
