/* SPDX-License-Identifier: MIT */
/* A one-screen terminal emulator for the line editor's tests: it keeps the
 * rows and the cursor, understands exactly what shell/line.h promises to
 * write, and flags anything else, so a test checks what the screen shows
 * rather than the bytes that drew it. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#define TERM_COLS 512
#define TERM_ROWS 64

struct term {
    char rows[TERM_ROWS][TERM_COLS]; /* ' ' where nothing shows */
    int row, col;
    unsigned bells;
    size_t written;   /* bytes received, all told */
    bool bad;         /* a byte or sequence outside the promised set */
    char bad_what[64];
    /* a sequence being received */
    bool in_esc;
    char seq[32];
    size_t seq_len;
};

void term_reset(struct term *t);

/* The shell_line_io write callback; @ctx is the struct term. */
void term_write(void *ctx, const char *s, size_t n);

/* The row @rel rows from the cursor's (0 its own, -1 the one above) with
 * trailing blanks dropped, in a static buffer. */
const char *term_row(const struct term *t, int rel);

/* Whether the row @rel rows from the cursor's shows exactly @text followed
 * by blanks (trailing spaces in @text look the same as none). */
bool term_shows(const struct term *t, int rel, const char *text);
