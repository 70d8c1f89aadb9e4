/* SPDX-License-Identifier: MIT */
/* The shell's line editor: keystrokes in, a finished line out, the echo and
 * cursor movement written through a callback. Pure C with no allocation and
 * no kernel calls, so it runs the same on the console UART and in the host
 * tests (tests/unit/shell/). Keys, history, completion: docs/shell.md. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "keys.h"

/* Usable characters per line; a longer line is cut here (BEL for each
 * character refused). */
#ifndef SHELL_LINE_MAX
#define SHELL_LINE_MAX 128
#endif

/* Lines kept for recall with up and down. */
#ifndef SHELL_HISTORY
#define SHELL_HISTORY 16
#endif

_Static_assert(SHELL_LINE_MAX >= 1 && SHELL_LINE_MAX <= 4096, "SHELL_LINE_MAX: 1 to 4096");
_Static_assert(SHELL_HISTORY >= 1 && SHELL_HISTORY <= 255, "SHELL_HISTORY: 1 to 255");

struct shell_line_io {
    /* Write @n bytes to the terminal. Apart from the prompt, written as
     * given, these are only printable ASCII, CR, LF, BS, BEL and the
     * sequences ESC[K, ESC[nD, ESC[nC, ESC[H and ESC[2J. */
    void (*write)(void *ctx, const char *s, size_t n);
    void *ctx;
    /* The @idx-th candidate (from 0) for argument @argi (0: the command
     * name) starting with the @prefix_len bytes at @prefix (not
     * NUL-terminated), or NULL after the last. Candidates must stay valid
     * while the Tab is handled (constant strings do); candidates that do
     * not start with the prefix are skipped, and idx stops at 255. NULL
     * here: Tab does nothing. */
    const char *(*complete)(void *ctx, int argi, const char *prefix, size_t prefix_len,
                            unsigned idx);
};

enum shell_line_event {
    SHELL_LINE_NONE,      /* still editing */
    SHELL_LINE_LINE,      /* Enter: shell_line_text() holds the line */
    SHELL_LINE_INTERRUPT, /* Ctrl-C: the line was abandoned */
};

/* Caller-allocated; only line.c touches the fields. Its size is
 * (SHELL_HISTORY + 2) * (SHELL_LINE_MAX + 1) bytes of text, two pointers
 * and 14 bytes, rounded up to a pointer's alignment: with the defaults
 * 2,344 bytes on a 32-bit target (2,352 on a 64-bit host). */
struct shell_line {
    const struct shell_line_io *io;
    const char *prompt;
    uint16_t len;           /* characters in buf; buf[len] is NUL */
    uint16_t cursor;        /* insertion point, 0..len */
    struct shell_keys keys; /* the escape-sequence parser */
    uint8_t flags;          /* LINE_* in line.c */
    uint8_t hist_next;      /* ring slot the next entry goes into */
    uint8_t hist_count;     /* entries held, at most SHELL_HISTORY */
    uint8_t hist_pos;       /* 0: editing the new line; k: showing the k-th newest */
    char buf[SHELL_LINE_MAX + 1];
    char saved[SHELL_LINE_MAX + 1]; /* the new line, kept while browsing history */
    char hist[SHELL_HISTORY][SHELL_LINE_MAX + 1];
};

/* Set up @l with @io (kept by pointer: it must outlive @l) and @prompt
 * (kept by pointer; NULL for none). Nothing is written until
 * shell_line_start().
 * Context: any. */
void shell_line_init(struct shell_line *l, const struct shell_line_io *io, const char *prompt);

/* Write the prompt and begin an empty line. Call it before the first key
 * and again after each LINE or INTERRUPT, once the line has been handled.
 * Context: the thread that feeds keys. */
void shell_line_start(struct shell_line *l);

/* Process one byte from the terminal. After LINE the text stays readable
 * until the next shell_line_start(). A byte fed before that starts the new
 * line itself, prompt included, except the LF of a CR LF, which is dropped
 * whenever it comes.
 * Context: the thread that feeds keys. */
enum shell_line_event shell_line_feed(struct shell_line *l, uint8_t c);

/* Erase the prompt and line from the terminal (the cursor is left at
 * column 0) so other text can be written on that row, then redraw them
 * with show. Nothing happens between a LINE or INTERRUPT and the next
 * start, when no line is on screen. Keys must not be fed in between.
 * Context: the thread that feeds keys, or any thread holding the lock that
 * serialises the console with it. */
void shell_line_hide(struct shell_line *l);
void shell_line_show(struct shell_line *l);

/* The line: NUL-terminated, printable ASCII only. Context: any. */
const char *shell_line_text(const struct shell_line *l);
size_t shell_line_len(const struct shell_line *l);
size_t shell_line_cursor(const struct shell_line *l);

/* History: the number of entries, and entry @i with 0 the newest (NULL
 * past the oldest). Context: any. */
unsigned shell_line_history_count(const struct shell_line *l);
const char *shell_line_history(const struct shell_line *l, unsigned i);
