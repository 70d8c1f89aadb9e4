/* SPDX-License-Identifier: MIT */
/* What the line editor's tests (test_line.c, test_keys.c) share: an editor
 * wired to the terminal emulator of term.c and to a completion callback,
 * and the check that the screen shows prompt + line with the cursor at the
 * insertion point. Include after <cmocka.h>. */
#pragma once

#include <stdint.h>

#include "line.h"
#include "term.h"

#define PROMPT "pica> "
#define ESC "\033"
#define LEFT ESC "[D"
#define RIGHT ESC "[C"
#define UP ESC "[A"
#define DOWN ESC "[B"

extern struct term term;
extern struct shell_line line;
/* The argument number of the last completion asked for. */
extern int last_argi;
/* Completes commands (help, hello, history, ls, log) for the first word
 * and files (alpha, alpine, beta) for the others. */
extern const struct shell_line_io io;
extern const struct shell_line_io io_no_completion;

/* cmocka setup: a clean terminal and an editor on @io with its prompt out. */
int harness_setup(void **state);

/* Feed @s; returns the last event other than NONE (NONE if none). */
enum shell_line_event type(const char *s);

/* What must hold whatever was fed: length within the limit, cursor within
 * the line, NUL-terminated printable ASCII. */
void check_invariants(void);

/* The invariants, and the cursor's row showing prompt + line with the
 * cursor at the insertion point; fails the test at @file:@at if not. */
void check_screen_at(const char *file, int at);
#define check_screen() check_screen_at(__FILE__, __LINE__)

/* Line @text, cursor at @cursor, and the screen to match. */
#define expect_line(text, cursor)                                                                  \
    do {                                                                                           \
        assert_string_equal(shell_line_text(&line), (text));                                       \
        assert_int_equal(shell_line_cursor(&line), (cursor));                                      \
        check_screen();                                                                            \
    } while (0)

/* A small xorshift, so every run sees the same bytes. */
uint32_t next_random(uint32_t *s);
