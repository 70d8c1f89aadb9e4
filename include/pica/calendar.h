/* SPDX-License-Identifier: MIT */
/* Wall-clock dates in UTC: Unix seconds to and from the civil calendar
 * (Gregorian, extended back to year 1) and one text form. Plain arithmetic,
 * without the C library's time functions or time zones, so the kernel,
 * user programs and host tools share it; lib/calendar.c. Unix time counts
 * no leap seconds, so a minute here always has 60 seconds. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A moment in UTC. wday and yday are derived: pica_datetime_from_unix() and
 * pica_datetime_parse() set them, pica_datetime_to_unix() ignores them. */
struct pica_datetime {
    uint16_t year; /* 1-9999 */
    uint8_t month; /* 1-12 */
    uint8_t day;   /* 1-31 */
    uint8_t hour;  /* 0-23 */
    uint8_t min;   /* 0-59 */
    uint8_t sec;   /* 0-59 */
    uint8_t wday;  /* 0-6, 0 = Sunday */
    uint16_t yday; /* 0-365, 0 = 1 January */
};

/* The Unix seconds of 0001-01-01 00:00:00 and 9999-12-31 23:59:59, the
 * first and last moments a struct pica_datetime holds. */
#define PICA_DATETIME_UNIX_MIN (-INT64_C(62135596800))
#define PICA_DATETIME_UNIX_MAX INT64_C(253402300799)

/* Characters in "YYYY-MM-DD HH:MM:SS", the NUL not counted. */
#define PICA_DATETIME_TEXT_LEN 19

/* Whether @year has a 29 February: years divisible by 4, except centuries
 * not divisible by 400 (2000 has one, 2100 has not).
 * Context: any. */
bool pica_is_leap_year(int year);

/* Days in @month (1-12) of @year.
 * Context: any.
 * Returns: 28-31, -EINVAL (month out of range). */
int pica_days_in_month(int year, int month);

/* The date, time, weekday and day of the year of @secs (Unix seconds, UTC).
 * A time before PICA_DATETIME_UNIX_MIN or after PICA_DATETIME_UNIX_MAX gives
 * that end of the range.
 * Context: any. */
void pica_datetime_from_unix(int64_t secs, struct pica_datetime *dt);

/* The Unix seconds of @dt (its wday and yday are not read).
 * Context: any.
 * Returns: 0, -EINVAL (a field out of range: year 0, month 13, 30 February,
 * hour 24, second 60...; *@secs unchanged). */
int pica_datetime_to_unix(const struct pica_datetime *dt, int64_t *secs);

/* Read exactly one of "YYYY-MM-DD HH:MM:SS", "YYYY-MM-DD HH:MM" and
 * "YYYY-MM-DD", with 'T' allowed in place of the space; fields left out are
 * 0, wday and yday are set. Every digit is required ("2026-3-1" is
 * refused) and nothing may follow.
 * Context: any.
 * Returns: 0, -EINVAL (another form or a field out of range; *@dt
 * unchanged). */
int pica_datetime_parse(const char *s, struct pica_datetime *dt);

/* Write @dt as "YYYY-MM-DD HH:MM:SS" and a NUL into @buf of @n bytes.
 * Context: any.
 * Returns: PICA_DATETIME_TEXT_LEN, -ENOSPC (@n is under
 * PICA_DATETIME_TEXT_LEN + 1), -EINVAL (a field out of range); on error
 * @buf is unchanged. */
int pica_datetime_format(char *buf, size_t n, const struct pica_datetime *dt);
