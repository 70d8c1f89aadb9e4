/* SPDX-License-Identifier: MIT */
/* libFuzzer target over the shell's portable core: the input is typed into
 * a line editor (shell/line.c) that has a completion callback, and every
 * finished line goes through shell_split() (shell/args.c), as does the raw
 * input itself. After every byte the editor's invariants must hold, and
 * nothing may be written but what line.h promises. A 0xff byte, which the
 * editor ignores, also hides and shows the line, as log output does. */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "args.h"
#include "line.h"

#define MAX_ARGS 8

static const char *const words[] = { "help", "hello", "history", "ls", "log", "cat", "cron",
                                     "cron-demo", "\x01odd", NULL };

static void
require(int ok)
{
    if (!ok) {
        abort();
    }
}

/* Every word for every argument; a few do not start with the prefix, and
 * one holds a control byte, to check the editor's own filtering. */
static const char *
complete(void *ctx, int argi, const char *prefix, size_t n, unsigned idx)
{
    (void)ctx;
    (void)prefix;
    (void)n;
    require(argi >= 0 && argi <= SHELL_LINE_MAX);
    return idx < sizeof(words) / sizeof(words[0]) ? words[idx] : NULL;
}

/* Printable ASCII, CR, LF, BS, BEL, and ESC only as the start of ESC[. */
static void
check_write(void *ctx, const char *s, size_t n)
{
    int *after_esc = ctx;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (*after_esc) {
            require(c == '[');
            *after_esc = 0;
            continue;
        }
        require((c >= 0x20 && c <= 0x7e) || c == '\r' || c == '\n' || c == '\b' || c == '\a' ||
                c == 0x1b);
        *after_esc = c == 0x1b;
    }
}

static int esc_pending;
static const struct shell_line_io io = { check_write, &esc_pending, complete };

static int
is_text(const char *s, size_t max)
{
    size_t n = strlen(s);
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            return 0;
        }
    }
    return n <= max;
}

static void
check_line(const struct shell_line *l)
{
    require(shell_line_len(l) <= SHELL_LINE_MAX);
    require(shell_line_cursor(l) <= shell_line_len(l));
    require(strlen(shell_line_text(l)) == shell_line_len(l));
    require(is_text(shell_line_text(l), SHELL_LINE_MAX));
    require(shell_line_history_count(l) <= SHELL_HISTORY);
    for (unsigned i = 0; i < shell_line_history_count(l); i++) {
        const char *h = shell_line_history(l, i);
        require(h != NULL && h[0] != '\0' && is_text(h, SHELL_LINE_MAX));
    }
    require(shell_line_history(l, shell_line_history_count(l)) == NULL);
}

/* Split a copy of @text (@n bytes) with room for @max arguments. */
static void
check_split(const char *text, size_t n, int max)
{
    static char buf[4096], before[4096];
    char *argv[MAX_ARGS + 1];
    const char *error = NULL;
    n = n < sizeof(buf) - 1 ? n : sizeof(buf) - 1;
    memcpy(buf, text, n);
    buf[n] = '\0';
    memcpy(before, buf, n + 1);
    int argc = shell_split(buf, argv, max, &error);
    if (argc < 0) {
        require(argc == -EINVAL || argc == -E2BIG);
        require(error != NULL);
        require(memcmp(buf, before, n + 1) == 0);
        return;
    }
    require(argc <= max);
    size_t used = 0;
    for (int i = 0; i < argc; i++) {
        require(argv[i] >= buf && argv[i] <= buf + n);
        size_t len = strlen(argv[i]);
        require(argv[i] + len <= buf + n);
        used += len + 1;
    }
    require(used <= n + 1);
    require(argc == max || argv[argc] == NULL);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct shell_line l;
    esc_pending = 0;
    shell_line_init(&l, &io, "> ");
    shell_line_start(&l);
    for (size_t i = 0; i < size; i++) {
        enum shell_line_event ev = shell_line_feed(&l, data[i]);
        check_line(&l);
        if (ev == SHELL_LINE_LINE) {
            check_split(shell_line_text(&l), shell_line_len(&l), MAX_ARGS);
            check_split(shell_line_text(&l), shell_line_len(&l), 2);
        }
        if (ev != SHELL_LINE_NONE) {
            shell_line_start(&l);
        }
        if (data[i] == 0xff) {
            shell_line_hide(&l);
            shell_line_show(&l);
        }
    }
    /* the raw bytes up to the first NUL, as a line from anywhere */
    const uint8_t *nul = memchr(data, 0, size);
    check_split((const char *)data, nul != NULL ? (size_t)(nul - data) : size, MAX_ARGS);
    return 0;
}
