/* SPDX-License-Identifier: MIT */
/* Cron schedules: a crontab time specification parsed into bit sets, and
 * the next moment (UTC) such a schedule fires. Freestanding, no allocation,
 * no recursion, so the kernel, tools/pica-cron.c and the host tests share
 * it; lib/cron_expr.c. The syntax and the day rule are in docs/cron.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum cron_flag {
    /* The day-of-month or day-of-week field does not start with '*': when
     * both are set a day matches if either field accepts it, otherwise
     * only if both do (the rule of Vixie cron). */
    CRON_DOM_RESTRICTED = 1u << 0,
    CRON_DOW_RESTRICTED = 1u << 1,
    /* @reboot: fired once at boot by its owner, never by the clock. */
    CRON_REBOOT = 1u << 2,
};

/* A parsed schedule: bit n of each set is value n. */
struct cron_expr {
    uint64_t seconds; /* 0-59; {0} for a line of five fields */
    uint64_t minutes; /* 0-59 */
    uint32_t hours;   /* 0-23 */
    uint32_t mdays;   /* 1-31 */
    uint16_t months;  /* 1-12 */
    uint8_t wdays;    /* 0-6, 0 = Sunday (a 7 in the line is stored as 0) */
    uint8_t flags;    /* enum cron_flag */
};

#define CRON_REASON_LEN 64

/* Why a line was refused. The reason is text rather than a code because it
 * quotes the line ("value 61 out of range 0-59"); it is held here so that
 * the error outlives the line and copies freely. */
struct cron_error {
    int field;              /* 0-based, counted as written; -1: the line as a whole */
    const char *field_name; /* "second", "minute", "hour", "day-of-month", "month",
                               "day-of-week", or NULL with field -1 */
    int column;             /* 1-based, in the line */
    char reason[CRON_REASON_LEN];
};

/* How many years past the year of its start cron_next() searches. The
 * calendar repeats every 400 years, and within that cycle the longest wait
 * between two days with the same month, day of the month and weekday is
 * 14,609 days: a Tuesday 29 February, from 2084 to 2124 across 2100, which
 * is not a leap year. The days an expression accepts are a union of such
 * combinations, so if any of them ever occurs, one occurs within 14,609
 * days, never more than 40 calendar years, of any start: a schedule that
 * has not fired by then never will. */
#define CRON_SEARCH_YEARS 40

/* Parse @line, a schedule alone (no command): five fields "minute hour
 * day-of-month month day-of-week", six with a leading second, or a macro
 * (@yearly, @annually, @monthly, @weekly, @daily, @midnight, @hourly,
 * @reboot). Fields are separated by spaces or tabs; blanks at either end,
 * a line's CR and LF included, are ignored.
 * Context: any.
 * Returns: 0, -EINVAL (*@err says where and why if @err is not NULL; *@out
 * unchanged). */
int cron_parse(const char *line, struct cron_expr *out, struct cron_error *err);

/* Write @e as "<field> field (column C): <reason>", or "column C: <reason>"
 * for the line as a whole, and a NUL, into @buf of @n bytes.
 * Context: any.
 * Returns: the length, -ENOSPC (@buf too small; it holds as much as fits). */
int cron_error_format(char *buf, size_t n, const struct cron_error *e);

/* The first second strictly after @after (Unix seconds, UTC) at which @e
 * fires, in *@next. Steps a field at a time (month, day, hour, minute,
 * second), so the cost does not grow with the wait.
 * Context: any.
 * Returns: 0, -ENOENT (no fire time within CRON_SEARCH_YEARS, that is never,
 * none before PICA_DATETIME_UNIX_MAX, or @reboot), -EINVAL (@after outside
 * PICA_DATETIME_UNIX_MIN..PICA_DATETIME_UNIX_MAX). */
int cron_next(const struct cron_expr *e, int64_t after, int64_t *next);

/* Whether @e fires at @t (never for @reboot).
 * Context: any. */
bool cron_matches(const struct cron_expr *e, int64_t t);
