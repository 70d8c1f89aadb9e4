/* SPDX-License-Identifier: MIT */
/* libFuzzer target over cron expressions (lib/cron_expr.c): the input is a
 * line for cron_parse(). A refused line must come with a column inside it
 * and a reason that formats; an accepted one must hold only values in
 * range, and from a few start times cron_next() must give a later time
 * that cron_matches() accepts, the same again from the second before it,
 * and, when the wait is short, no match in between. Dictionary: cron.dict. */
#include "cron_expr.h"

#include <pica/calendar.h>
#include <pica/errno.h>

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define LINE_MAX_LEN 1024
#define SHORT_WAIT 7200

static void
check_refusal(const char *line, const struct cron_error *err)
{
    char text[128];
    size_t len = strlen(line); /* a NUL in the input ends the line early */
    if (err->column < 1 || (size_t)err->column > len + 1 || err->reason[0] == '\0' ||
        !memchr(err->reason, '\0', CRON_REASON_LEN) ||
        (err->field >= 0) != (err->field_name != NULL) || err->field > 5 ||
        cron_error_format(text, sizeof(text), err) < 0) {
        abort();
    }
}

static void
check_sets(const struct cron_expr *e)
{
    if (e->flags & CRON_REBOOT) {
        if (e->seconds || e->minutes || e->hours || e->mdays || e->months || e->wdays) {
            abort();
        }
        return;
    }
    if (!e->seconds || e->seconds >> 60 || !e->minutes || e->minutes >> 60 || !e->hours ||
        e->hours >> 24 || !(e->mdays >> 1) || (e->mdays & 1) || !(e->months >> 1) ||
        (e->months & ~0x1ffeu) || !e->wdays || (e->wdays & ~0x7fu)) {
        abort();
    }
}

static void
check_next(const struct cron_expr *e, int64_t after)
{
    int64_t next, again;
    int rc = cron_next(e, after, &next);
    if (rc == -ENOENT) {
        return;
    }
    if (rc != 0 || (e->flags & CRON_REBOOT) || next <= after || !cron_matches(e, next)) {
        abort();
    }
    if (cron_next(e, next - 1, &again) != 0 || again != next) {
        abort();
    }
    if (next - after <= SHORT_WAIT) {
        for (int64_t t = after + 1; t < next; t++) {
            if (cron_matches(e, t)) {
                abort();
            }
        }
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* Starts at the ends of February around leap days and a skipped one
     * (2100), at the epoch, and near the last year the calendar holds. */
    static const int64_t starts[] = {
        0, 951782399, 1772323199, 4107455999, PICA_DATETIME_UNIX_MAX - 400 * 86400,
    };
    static char line[LINE_MAX_LEN + 1];
    if (size > LINE_MAX_LEN) {
        return 0;
    }
    memcpy(line, data, size);
    line[size] = '\0';
    struct cron_expr e;
    struct cron_error err;
    if (cron_parse(line, &e, &err) != 0) {
        check_refusal(line, &err);
        return 0;
    }
    check_sets(&e);
    for (size_t i = 0; i < sizeof(starts) / sizeof(starts[0]); i++) {
        check_next(&e, starts[i]);
    }
    return 0;
}
