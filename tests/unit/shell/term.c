/* SPDX-License-Identifier: MIT */
/* The tests' terminal (term.h). Rows scroll up when LF passes the last
 * one; there is no line wrap, as the rows are wider than any line drawn. */
#include "term.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
term_reset(struct term *t)
{
    memset(t, 0, sizeof(*t));
    memset(t->rows, ' ', sizeof(t->rows));
}

static void
term_fail(struct term *t, const char *what)
{
    if (!t->bad) {
        snprintf(t->bad_what, sizeof(t->bad_what), "%s", what);
    }
    t->bad = true;
}

static void
line_feed(struct term *t)
{
    if (t->row < TERM_ROWS - 1) {
        t->row++;
        return;
    }
    memmove(t->rows[0], t->rows[1], sizeof(t->rows) - TERM_COLS);
    memset(t->rows[TERM_ROWS - 1], ' ', TERM_COLS);
}

/* A complete ESC [ params final: only the ones line.h names. */
static void
sequence(struct term *t)
{
    char final = t->seq[t->seq_len - 1];
    const char *p = t->seq + 1;
    size_t plen = t->seq_len - 2;
    int n = plen > 0 ? atoi(p) : 1;
    if (t->seq[0] != '[' || strspn(p, "0123456789") < plen) {
        term_fail(t, t->seq);
    } else if (final == 'K' && plen == 0) {
        memset(t->rows[t->row] + t->col, ' ', (size_t)(TERM_COLS - t->col));
    } else if (final == 'D' && n > 0) {
        t->col = t->col > n ? t->col - n : 0;
    } else if (final == 'C' && n > 0) {
        t->col = t->col + n < TERM_COLS - 1 ? t->col + n : TERM_COLS - 1;
    } else if (final == 'H' && plen == 0) {
        t->row = 0;
        t->col = 0;
    } else if (final == 'J' && n == 2 && plen == 1) {
        memset(t->rows, ' ', sizeof(t->rows));
    } else {
        term_fail(t, t->seq);
    }
}

static void
escape_byte(struct term *t, char c)
{
    if (t->seq_len + 1 >= sizeof(t->seq)) {
        term_fail(t, "overlong sequence");
        t->in_esc = false;
        return;
    }
    t->seq[t->seq_len++] = c;
    t->seq[t->seq_len] = '\0';
    if (t->seq_len > 1 && c >= 0x40 && c <= 0x7e) {
        t->in_esc = false;
        sequence(t);
    }
}

static void
term_byte(struct term *t, char c)
{
    if (t->in_esc) {
        escape_byte(t, c);
    } else if (c >= 0x20 && c <= 0x7e) {
        t->rows[t->row][t->col] = c;
        if (t->col < TERM_COLS - 1) {
            t->col++;
        }
    } else if (c == '\r') {
        t->col = 0;
    } else if (c == '\n') {
        line_feed(t);
    } else if (c == '\b') {
        if (t->col > 0) {
            t->col--;
        }
    } else if (c == '\a') {
        t->bells++;
    } else if (c == 0x1b) {
        t->in_esc = true;
        t->seq_len = 0;
    } else {
        term_fail(t, "control byte");
    }
}

void
term_write(void *ctx, const char *s, size_t n)
{
    struct term *t = ctx;
    t->written += n;
    for (size_t i = 0; i < n; i++) {
        term_byte(t, s[i]);
    }
}

const char *
term_row(const struct term *t, int rel)
{
    static char text[TERM_COLS + 1];
    int r = t->row + rel;
    if (r < 0 || r >= TERM_ROWS) {
        return "";
    }
    size_t n = TERM_COLS;
    while (n > 0 && t->rows[r][n - 1] == ' ') {
        n--;
    }
    memcpy(text, t->rows[r], n);
    text[n] = '\0';
    return text;
}

bool
term_shows(const struct term *t, int rel, const char *text)
{
    size_t n = strlen(text);
    int r = t->row + rel;
    if (r < 0 || r >= TERM_ROWS) {
        return false;
    }
    const char *row = t->rows[r];
    if (n > TERM_COLS || memcmp(row, text, n) != 0) {
        return false;
    }
    for (size_t i = n; i < TERM_COLS; i++) {
        if (row[i] != ' ') {
            return false;
        }
    }
    return true;
}
