/* SPDX-License-Identifier: MIT */
/* Cron schedules (lib/cron_expr.h): cron_parse() reads a line field by
 * field into bit sets, validating all of it before writing anything;
 * cron_next() walks forward a field at a time from the coarsest, and
 * cron_matches() checks one moment. Dates come from lib/calendar.c. */
#include "cron_expr.h"

#include <pica/calendar.h>
#include <pica/errno.h>

#define FIELDS_MAX 6
#define YEAR_MAX 9999

/* What one field accepts. Values run from min to max as written; '*' and
 * the open end of "a/s" stop at last, which differs from max only for the
 * day of the week, where 7 is a second name for Sunday (0). */
struct field_spec {
    const char *name;
    uint8_t min, max, last;
    const char *names; /* three letters for each value from min, or NULL */
};

static const struct field_spec field_specs[FIELDS_MAX] = {
    { "second", 0, 59, 59, NULL },
    { "minute", 0, 59, 59, NULL },
    { "hour", 0, 23, 23, NULL },
    { "day-of-month", 1, 31, 31, NULL },
    { "month", 1, 12, 12, "janfebmaraprmayjunjulaugsepoctnovdec" },
    { "day-of-week", 0, 7, 6, "sunmontuewedthufrisat" },
};

enum { FIELD_SECOND, FIELD_MINUTE, FIELD_HOUR, FIELD_MDAY, FIELD_MONTH, FIELD_WDAY };

/* Macros as the five fields they stand for; NULL: @reboot. */
static const struct {
    const char *name;
    const char *fields;
} macros[] = {
    { "@yearly", "0 0 1 1 *" },   { "@annually", "0 0 1 1 *" }, { "@monthly", "0 0 1 * *" },
    { "@weekly", "0 0 * * 0" },   { "@daily", "0 0 * * *" },    { "@midnight", "0 0 * * *" },
    { "@hourly", "0 * * * *" },   { "@reboot", NULL },
};

/* ---- text, with no C library: a bounded buffer that counts what it
 * could not hold, so the caller learns the full length ---- */

struct text {
    char *buf;
    size_t size;
    size_t len;
};

static void
text_char(struct text *t, char c)
{
    if (t->len + 1 < t->size) {
        t->buf[t->len] = c;
        t->buf[t->len + 1] = '\0';
    }
    t->len++;
}

static void
text_mem(struct text *t, const char *s, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        text_char(t, s[i]);
    }
}

static void
text_str(struct text *t, const char *s)
{
    while (*s) {
        text_char(t, *s++);
    }
}

static void
text_uint(struct text *t, unsigned v)
{
    char digits[10];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        text_char(t, digits[--n]);
    }
}

/* Part of the line, cut short so that a reason always has room for it. */
static void
text_excerpt(struct text *t, const char *s, const char *end)
{
    const size_t room = 16;
    size_t len = (size_t)(end - s);
    text_mem(t, s, len <= room ? len : room);
    if (len > room) {
        text_str(t, "...");
    }
}

static void
text_quote(struct text *t, const char *s, const char *end)
{
    text_char(t, '\'');
    text_excerpt(t, s, end);
    text_char(t, '\'');
}

/* ---- parsing ---- */

struct parser {
    const char *line;
    const char *p;   /* the next character */
    const char *end; /* the end of the current field */
    const struct field_spec *spec;
    int field;
    struct cron_error *err;
};

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_digit(char c)
{
    return c >= '0' && c <= '9';
}

static char
lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? (char)(c - 'A' + 'a') : c;
}

static bool
is_alpha(char c)
{
    return lower(c) >= 'a' && lower(c) <= 'z';
}

/* Start an error at @at; the caller writes the reason into the text. */
static struct text
fail_at(struct parser *ps, const char *at)
{
    struct text t = { 0 };
    if (ps->err) {
        ps->err->field = ps->field;
        ps->err->field_name = ps->field >= 0 ? ps->spec->name : NULL;
        ps->err->column = (int)(at - ps->line) + 1;
        ps->err->reason[0] = '\0';
        t.buf = ps->err->reason;
        t.size = sizeof(ps->err->reason);
    }
    return t;
}

static int
fail(struct parser *ps, const char *at, const char *reason)
{
    struct text t = fail_at(ps, at);
    text_str(&t, reason);
    return -EINVAL;
}

static int
fail_char(struct parser *ps, const char *at)
{
    struct text t = fail_at(ps, at);
    unsigned char c = (unsigned char)*at;
    if (c > ' ' && c < 0x7f) {
        text_str(&t, "unexpected character '");
        text_char(&t, (char)c);
        text_char(&t, '\'');
    } else {
        const char *hex = "0123456789abcdef";
        text_str(&t, "unexpected byte 0x");
        text_char(&t, hex[c >> 4]);
        text_char(&t, hex[c & 15]);
    }
    return -EINVAL;
}

static int
fail_range(struct parser *ps, const char *at, const char *what, const char *end, unsigned lo,
           unsigned hi)
{
    struct text t = fail_at(ps, at);
    text_str(&t, what);
    text_excerpt(&t, at, end);
    text_str(&t, " out of range ");
    text_uint(&t, lo);
    text_char(&t, '-');
    text_uint(&t, hi);
    return -EINVAL;
}

/* Digits at ps->p; saturates at 1000, past every field's range, so a long
 * number is refused as out of range rather than wrapping. */
static unsigned
read_number(struct parser *ps)
{
    unsigned v = 0;
    while (ps->p < ps->end && is_digit(*ps->p)) {
        v = v < 1000 ? v * 10 + (unsigned)(*ps->p - '0') : v;
        ps->p++;
    }
    return v;
}

/* The three-letter name at @s of @len letters, as its value, or -1. */
static int
lookup_name(const struct field_spec *spec, const char *s, size_t len)
{
    if (len != 3 || !spec->names) {
        return -1;
    }
    for (int v = 0; spec->names[3 * v]; v++) {
        const char *n = &spec->names[3 * v];
        if (lower(s[0]) == n[0] && lower(s[1]) == n[1] && lower(s[2]) == n[2]) {
            return spec->min + v;
        }
    }
    return -1;
}

/* One value, a number or a name, at ps->p. */
static int
read_value(struct parser *ps, unsigned *value)
{
    const char *start = ps->p;
    if (ps->p < ps->end && is_digit(*ps->p)) {
        unsigned v = read_number(ps);
        if (v < ps->spec->min || v > ps->spec->max) {
            return fail_range(ps, start, "value ", ps->p, ps->spec->min, ps->spec->max);
        }
        *value = v;
        return 0;
    }
    if (ps->p < ps->end && is_alpha(*ps->p)) {
        while (ps->p < ps->end && is_alpha(*ps->p)) {
            ps->p++;
        }
        int v = lookup_name(ps->spec, start, (size_t)(ps->p - start));
        if (v < 0) {
            struct text t = fail_at(ps, start);
            text_str(&t, ps->spec->names ? "unknown name " : "expected a number, found ");
            text_quote(&t, start, ps->p);
            return -EINVAL;
        }
        *value = (unsigned)v;
        return 0;
    }
    if (ps->p == ps->end) {
        return fail(ps, ps->p, "missing value");
    }
    return fail_char(ps, ps->p);
}

/* '*', a value or a range "a-b" at ps->p, as the bounds it stands for;
 * *@single tells a lone value, which a step extends (parse_item()). */
static int
read_span(struct parser *ps, unsigned *lo, unsigned *hi, bool *single)
{
    const char *start = ps->p;
    *single = false;
    if (*ps->p == '*') {
        ps->p++;
        *lo = ps->spec->min;
        *hi = ps->spec->last;
        return 0;
    }
    int err = read_value(ps, lo);
    if (err) {
        return err;
    }
    *hi = *lo;
    if (ps->p == ps->end || *ps->p != '-') {
        *single = true;
        return 0;
    }
    ps->p++;
    err = read_value(ps, hi);
    if (err) {
        return err;
    }
    if (*hi < *lo) {
        struct text t = fail_at(ps, start);
        text_str(&t, "range ");
        text_excerpt(&t, start, ps->p);
        text_str(&t, " is reversed");
        return -EINVAL;
    }
    return 0;
}

/* An item of a list: a span (read_span()) with an optional step "/s"; a
 * single value with a step, "a/s", runs to the field's last value. Sets
 * the values it stands for in *@mask. */
static int
parse_item(struct parser *ps, uint64_t *mask)
{
    const struct field_spec *spec = ps->spec;
    unsigned lo, hi, step = 1;
    bool single;
    int err = read_span(ps, &lo, &hi, &single);
    if (err) {
        return err;
    }
    if (ps->p < ps->end && *ps->p == '/') {
        const char *at = ++ps->p;
        if (ps->p == ps->end || !is_digit(*ps->p)) {
            return fail(ps, at, "missing step after '/'");
        }
        step = read_number(ps);
        unsigned count = spec->last - spec->min + 1u;
        if (step < 1 || step > count) {
            return fail_range(ps, at, "step ", ps->p, 1, count);
        }
        if (single && lo < spec->last) {
            hi = spec->last;
        }
    }
    /* A value past the last (day of the week 7) wraps to the first, Sunday. */
    for (unsigned v = lo; v <= hi; v += step) {
        *mask |= (uint64_t)1 << (v % (spec->last + 1u));
    }
    return 0;
}

/* A comma-separated list of items, the whole of the current field. */
static int
parse_field(struct parser *ps, uint64_t *mask)
{
    *mask = 0;
    for (;;) {
        if (ps->p == ps->end || *ps->p == ',') {
            return fail(ps, ps->p, "empty list item");
        }
        int err = parse_item(ps, mask);
        if (err) {
            return err;
        }
        if (ps->p == ps->end) {
            return 0;
        }
        if (*ps->p != ',') {
            return fail_char(ps, ps->p);
        }
        ps->p++;
    }
}

/* Split @s into fields; more than FIELDS_MAX are counted, not recorded. */
static int
split_fields(const char *s, const char *start[FIELDS_MAX + 1], const char *end[FIELDS_MAX + 1])
{
    int count = 0;
    for (;;) {
        while (is_space(*s)) {
            s++;
        }
        if (*s == '\0') {
            return count;
        }
        const char *field = s;
        while (*s && !is_space(*s)) {
            s++;
        }
        if (count <= FIELDS_MAX) {
            start[count] = field;
            end[count] = s;
        }
        count++;
    }
}

/* Parse the fields of @s (a line or a macro's expansion) into *@e. */
static int
parse_fields(struct parser *ps, const char *s, struct cron_expr *e)
{
    const char *start[FIELDS_MAX + 1], *end[FIELDS_MAX + 1];
    int count = split_fields(s, start, end);
    if (count != 5 && count != 6) {
        /* Point at the first field too many, or where the next is missing. */
        const char *at = count > 6 ? start[6] : count > 0 ? end[count - 1] : s;
        struct text t = fail_at(ps, at);
        text_str(&t, "expected 5 or 6 fields, found ");
        text_uint(&t, (unsigned)count);
        return -EINVAL;
    }
    uint64_t masks[FIELDS_MAX] = { 1 }; /* a line of five fires at second 0 */
    int first = FIELDS_MAX - count;
    *e = (struct cron_expr){ 0 };
    for (int i = 0; i < count; i++) {
        ps->field = i;
        ps->spec = &field_specs[first + i];
        ps->p = start[i];
        ps->end = end[i];
        int err = parse_field(ps, &masks[first + i]);
        if (err) {
            return err;
        }
    }
    e->seconds = masks[FIELD_SECOND];
    e->minutes = masks[FIELD_MINUTE];
    e->hours = (uint32_t)masks[FIELD_HOUR];
    e->mdays = (uint32_t)masks[FIELD_MDAY];
    e->months = (uint16_t)masks[FIELD_MONTH];
    e->wdays = (uint8_t)masks[FIELD_WDAY];
    /* Vixie cron's test: the field's first character, so "*\/2" counts as '*'. */
    e->flags = (uint8_t)((*start[FIELD_MDAY - first] != '*' ? CRON_DOM_RESTRICTED : 0) |
                         (*start[FIELD_WDAY - first] != '*' ? CRON_DOW_RESTRICTED : 0));
    return 0;
}

/* The macro that @s starts with, ending at *@end. */
static int
find_macro(struct parser *ps, const char *s, const char **end)
{
    const char *e = s;
    while (*e && !is_space(*e)) {
        e++;
    }
    *end = e;
    for (unsigned m = 0; m < sizeof(macros) / sizeof(macros[0]); m++) {
        const char *name = macros[m].name;
        const char *c = s;
        while (c < e && *name && lower(*c) == *name) {
            c++;
            name++;
        }
        if (c == e && *name == '\0') {
            return (int)m;
        }
    }
    struct text t = fail_at(ps, s);
    text_str(&t, "unknown macro ");
    text_quote(&t, s, e);
    return -EINVAL;
}

int
cron_parse(const char *line, struct cron_expr *out, struct cron_error *err)
{
    struct parser ps = { .line = line, .field = -1, .err = err };
    const char *s = line;
    while (is_space(*s)) {
        s++;
    }
    struct cron_expr e;
    if (*s != '@') {
        int rc = parse_fields(&ps, line, &e);
        if (rc) {
            return rc;
        }
        *out = e;
        return 0;
    }
    const char *end;
    int m = find_macro(&ps, s, &end);
    if (m < 0) {
        return m;
    }
    while (is_space(*end)) {
        end++;
    }
    if (*end) {
        return fail(&ps, end, "unexpected text after the macro");
    }
    if (!macros[m].fields) {
        *out = (struct cron_expr){ .flags = CRON_REBOOT };
        return 0;
    }
    /* The expansions are valid, so errors (and columns) cannot arise here. */
    int rc = parse_fields(&ps, macros[m].fields, &e);
    if (rc) {
        return rc;
    }
    *out = e;
    return 0;
}

int
cron_error_format(char *buf, size_t n, const struct cron_error *e)
{
    struct text t = { .buf = buf, .size = n };
    if (n) {
        buf[0] = '\0';
    }
    if (e->field >= 0 && e->field_name) {
        text_str(&t, e->field_name);
        text_str(&t, " field (column ");
        text_uint(&t, (unsigned)e->column);
        text_str(&t, "): ");
    } else {
        text_str(&t, "column ");
        text_uint(&t, (unsigned)e->column);
        text_str(&t, ": ");
    }
    text_str(&t, e->reason);
    return t.len < n ? (int)t.len : -ENOSPC;
}

/* ---- matching and searching ---- */

static bool
has(uint64_t set, int value)
{
    return (set >> value) & 1;
}

static bool
day_matches(const struct cron_expr *e, int mday, int wday)
{
    bool dom = has(e->mdays, mday), dow = has(e->wdays, wday);
    const unsigned both = CRON_DOM_RESTRICTED | CRON_DOW_RESTRICTED;
    return (e->flags & both) == both ? (dom || dow) : (dom && dow);
}

bool
cron_matches(const struct cron_expr *e, int64_t t)
{
    if ((e->flags & CRON_REBOOT) || t < PICA_DATETIME_UNIX_MIN || t > PICA_DATETIME_UNIX_MAX) {
        return false;
    }
    struct pica_datetime dt;
    pica_datetime_from_unix(t, &dt);
    return has(e->seconds, dt.sec) && has(e->minutes, dt.min) && has(e->hours, dt.hour) &&
           has(e->months, dt.month) && day_matches(e, dt.day, dt.wday);
}

/* The smallest value in @set from @from to @max, or -1. */
static int
next_in(uint64_t set, int from, int max)
{
    for (int v = from; v <= max; v++) {
        if (has(set, v)) {
            return v;
        }
    }
    return -1;
}

/* The first day from @day on in @year-@month that @e's day fields accept,
 * or -1. */
static int
next_day(const struct cron_expr *e, int year, int month, int day)
{
    int last = pica_days_in_month(year, month);
    if (day > last) {
        return -1;
    }
    struct pica_datetime dt = { .year = (uint16_t)year, .month = (uint8_t)month,
                                .day = (uint8_t)day };
    int64_t secs;
    pica_datetime_to_unix(&dt, &secs);
    pica_datetime_from_unix(secs, &dt);
    for (int wday = dt.wday; day <= last; day++, wday = (wday + 1) % 7) {
        if (day_matches(e, day, wday)) {
            return day;
        }
    }
    return -1;
}

/* A candidate moment. A field may run one past its end (hour 24, day 32,
 * month 13): nothing is accepted there, so the search carries into the
 * next larger field, and every step stays a single increment. */
struct when {
    int year, month, day, hour, min, sec;
};

/* Move @w to the earliest accepted moment at or after it (true), or to the
 * start of the next month, day, hour or minute, when nothing in the
 * current one is accepted (false): the search goes on from there. */
static bool
when_settle(const struct cron_expr *e, struct when *w)
{
    int month = next_in(e->months, w->month, 12);
    if (month < 0) {
        *w = (struct when){ w->year + 1, 1, 1, 0, 0, 0 };
        return false;
    }
    if (month != w->month) {
        *w = (struct when){ w->year, month, 1, 0, 0, 0 };
    }
    int day = next_day(e, w->year, w->month, w->day);
    if (day < 0) {
        *w = (struct when){ w->year, w->month + 1, 1, 0, 0, 0 };
        return false;
    }
    if (day != w->day) {
        *w = (struct when){ w->year, w->month, day, 0, 0, 0 };
    }
    int hour = next_in(e->hours, w->hour, 23);
    if (hour < 0) {
        *w = (struct when){ w->year, w->month, w->day + 1, 0, 0, 0 };
        return false;
    }
    if (hour != w->hour) {
        *w = (struct when){ w->year, w->month, w->day, hour, 0, 0 };
    }
    int min = next_in(e->minutes, w->min, 59);
    if (min < 0) {
        *w = (struct when){ w->year, w->month, w->day, w->hour + 1, 0, 0 };
        return false;
    }
    if (min != w->min) {
        w->min = min;
        w->sec = 0;
    }
    int sec = next_in(e->seconds, w->sec, 59);
    if (sec < 0) {
        w->min++;
        w->sec = 0;
        return false;
    }
    w->sec = sec;
    return true;
}

/* A set with no value in range, which cron_parse() never makes: without
 * this check an empty second set would be searched minute by minute. */
static bool
expr_is_empty(const struct cron_expr *e)
{
    const uint64_t sixty = ((uint64_t)1 << 60) - 1;
    return !(e->seconds & sixty) || !(e->minutes & sixty) || !(e->hours & 0xffffffu) ||
           !(e->mdays & 0xfffffffeu) || !(e->months & 0x1ffeu) || !(e->wdays & 0x7fu);
}

int
cron_next(const struct cron_expr *e, int64_t after, int64_t *next)
{
    if (after < PICA_DATETIME_UNIX_MIN || after > PICA_DATETIME_UNIX_MAX) {
        return -EINVAL;
    }
    if ((e->flags & CRON_REBOOT) || expr_is_empty(e) || after == PICA_DATETIME_UNIX_MAX) {
        return -ENOENT;
    }
    struct pica_datetime dt;
    pica_datetime_from_unix(after + 1, &dt);
    struct when w = { dt.year, dt.month, dt.day, dt.hour, dt.min, dt.sec };
    /* A pass that fails moves to the next month, day, hour or minute, and
     * on a day with a fire time few passes fail (every set has a value), so
     * a year costs some 30 passes when nothing fires and the year limit
     * (CRON_SEARCH_YEARS says why it is enough) bounds the whole. */
    while (w.year - dt.year <= CRON_SEARCH_YEARS && w.year <= YEAR_MAX) {
        if (when_settle(e, &w)) {
            struct pica_datetime found = {
                .year = (uint16_t)w.year, .month = (uint8_t)w.month, .day = (uint8_t)w.day,
                .hour = (uint8_t)w.hour,  .min = (uint8_t)w.min,     .sec = (uint8_t)w.sec,
            };
            return pica_datetime_to_unix(&found, next);
        }
    }
    return -ENOENT;
}
