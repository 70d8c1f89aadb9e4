/* SPDX-License-Identifier: MIT */
/* pica-cron: when a cron expression fires, computed by the code the kernel
 * runs (lib/cron_expr.c, lib/calendar.c). The script tools/pica-cron
 * builds this file and runs it; the usage below and docs/cron.md describe
 * it. Exit status: 0, 1 (no fire time), 2 (bad expression or usage). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <pica/calendar.h>

#include "cron_expr.h"

#define COUNT_MAX 100000

static void
usage(FILE *f)
{
    fprintf(f, "usage: pica-cron next EXPR [--from \"YYYY-MM-DD HH:MM:SS\"] [-n N]\n"
               "  Print the next N (default 1) times EXPR fires, one a line, in UTC,\n"
               "  after --from (default: now). EXPR is a crontab schedule of 5 fields,\n"
               "  6 with a leading second, or a macro such as @daily.\n"
               "Exit status: 0, 1 if EXPR never fires again, 2 for a bad EXPR or usage.\n");
}

static int
bad_usage(const char *why)
{
    fprintf(stderr, "pica-cron: %s\n", why);
    usage(stderr);
    return 2;
}

/* The expression with a caret under @column, below the error line. */
static void
show_column(const char *expr, int column)
{
    fprintf(stderr, "  %s\n  %*s^\n", expr, column - 1, "");
}

static int
print_times(const struct cron_expr *e, int64_t from, long count)
{
    char text[PICA_DATETIME_TEXT_LEN + 1];
    struct pica_datetime dt;
    int64_t t = from;
    for (long i = 0; i < count; i++) {
        int err = cron_next(e, t, &t);
        if (err) {
            pica_datetime_from_unix(i == 0 ? from : t, &dt);
            pica_datetime_format(text, sizeof(text), &dt);
            fprintf(stderr, "pica-cron: no fire time after %s within %d years\n", text,
                    CRON_SEARCH_YEARS);
            return 1;
        }
        pica_datetime_from_unix(t, &dt);
        pica_datetime_format(text, sizeof(text), &dt);
        printf("%s\n", text);
    }
    return 0;
}

struct options {
    const char *expr, *from;
    long count;
};

/* Fill *@o from the command line. Returns -1 to go on, or an exit status. */
static int
parse_args(int argc, char **argv, struct options *o)
{
    *o = (struct options){ .count = 1 };
    if (argc > 1 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
        usage(stdout);
        return 0;
    }
    if (argc < 2 || strcmp(argv[1], "next") != 0) {
        return bad_usage("the only command is 'next'");
    }
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if ((!strcmp(a, "--from") || !strcmp(a, "-n")) && i + 1 == argc) {
            return bad_usage("an option lacks its value");
        }
        if (!strcmp(a, "--from")) {
            o->from = argv[++i];
        } else if (!strcmp(a, "-n")) {
            char *end;
            errno = 0;
            o->count = strtol(argv[++i], &end, 10);
            if (errno || *end || end == argv[i] || o->count < 1 || o->count > COUNT_MAX) {
                return bad_usage("-n takes a count from 1 to 100000");
            }
        } else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
            usage(stdout);
            return 0;
        } else if (!o->expr && (a[0] != '-' || a[1] == '\0')) {
            o->expr = a;
        } else {
            return bad_usage(o->expr ? "more than one expression" : "unknown option");
        }
    }
    return o->expr ? -1 : bad_usage("no expression");
}

int
main(int argc, char **argv)
{
    struct options o;
    int status = parse_args(argc, argv, &o);
    if (status >= 0) {
        return status;
    }
    struct cron_expr e;
    struct cron_error err;
    if (cron_parse(o.expr, &e, &err)) {
        char msg[160];
        cron_error_format(msg, sizeof(msg), &err);
        fprintf(stderr, "pica-cron: %s\n", msg);
        show_column(o.expr, err.column);
        return 2;
    }
    if (e.flags & CRON_REBOOT) {
        fprintf(stderr, "pica-cron: @reboot fires once at boot, never by the clock\n");
        return 1;
    }
    int64_t from = (int64_t)time(NULL);
    if (o.from) {
        struct pica_datetime dt;
        if (pica_datetime_parse(o.from, &dt) || pica_datetime_to_unix(&dt, &from)) {
            return bad_usage("--from takes \"YYYY-MM-DD HH:MM:SS\" (or HH:MM, or a date)");
        }
    }
    return print_times(&e, from, o.count);
}
