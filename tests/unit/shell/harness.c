/* SPDX-License-Identifier: MIT */
/* The line editor tests' shared editor, terminal and checks (harness.h). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

struct term term;
struct shell_line line;
int last_argi;

static const char *const commands[] = { "help", "hello", "history", "ls", "log", NULL };
static const char *const files[] = { "alpha", "alpine", "beta", NULL };

static const char *
complete(void *ctx, int argi, const char *prefix, size_t n, unsigned idx)
{
    (void)ctx;
    last_argi = argi;
    for (const char *const *c = argi == 0 ? commands : files; *c != NULL; c++) {
        if (strncmp(*c, prefix, n) == 0 && idx-- == 0) {
            return *c;
        }
    }
    return NULL;
}

const struct shell_line_io io = { term_write, &term, complete };
const struct shell_line_io io_no_completion = { term_write, &term, NULL };

int
harness_setup(void **state)
{
    (void)state;
    term_reset(&term);
    last_argi = -1;
    shell_line_init(&line, &io, PROMPT);
    shell_line_start(&line);
    return 0;
}

enum shell_line_event
type(const char *s)
{
    enum shell_line_event ev = SHELL_LINE_NONE;
    for (; *s != '\0'; s++) {
        enum shell_line_event e = shell_line_feed(&line, (uint8_t)*s);
        if (e != SHELL_LINE_NONE) {
            ev = e;
        }
    }
    return ev;
}

void
check_invariants(void)
{
    const char *text = shell_line_text(&line);
    size_t len = shell_line_len(&line);
    assert_true(len <= SHELL_LINE_MAX);
    assert_true(shell_line_cursor(&line) <= len);
    assert_int_equal(strlen(text), len);
    for (size_t i = 0; i < len; i++) {
        assert_true(text[i] >= 0x20 && text[i] <= 0x7e);
    }
}

void
check_screen_at(const char *file, int at)
{
    char want[sizeof(PROMPT) + SHELL_LINE_MAX];
    check_invariants();
    snprintf(want, sizeof(want), "%s%s", PROMPT, shell_line_text(&line));
    int col = (int)(strlen(PROMPT) + shell_line_cursor(&line));
    if (term.bad || !term_shows(&term, 0, want) || term.col != col) {
        print_error("screen \"%s\" column %d%s%s, want \"%s\" column %d\n", term_row(&term, 0),
                    term.col, term.bad ? ", unexpected output " : "", term.bad_what, want, col);
        _fail(file, at);
    }
}

uint32_t
next_random(uint32_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 17;
    *s ^= *s << 5;
    return *s;
}
