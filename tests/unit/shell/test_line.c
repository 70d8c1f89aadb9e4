/* SPDX-License-Identifier: MIT */
/* The line editor (shell/line.c) driven by scripted keys against the
 * terminal emulator of term.c: besides the line and cursor, the screen
 * must show prompt + line with the cursor at the insertion point. Editing
 * keys, history, completion, Enter over a pipe, the length limit, log
 * output around the line, and a long run of random keys. Built twice, with
 * the default limits (unit.shell.line) and small ones (unit.shell.line_small). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static void
test_line_start_prints_the_prompt(void **state)
{
    (void)state;
    assert_string_equal(term_row(&term, 0), "pica>");
    expect_line("", 0);
    assert_int_equal(shell_line_len(&line), 0);
}

static void
test_line_enter_returns_the_line_and_echoes_crlf(void **state)
{
    (void)state;
    assert_int_equal(type("hello"), SHELL_LINE_NONE);
    expect_line("hello", 5);
    assert_int_equal(type("\r"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "hello");
    assert_string_equal(term_row(&term, -1), "pica> hello");
    assert_int_equal(term.col, 0);
    assert_int_equal(shell_line_history_count(&line), 1);
    assert_string_equal(shell_line_history(&line, 0), "hello");
    shell_line_start(&line);
    expect_line("", 0);
}

static void
test_line_inserts_in_the_middle(void **state)
{
    (void)state;
    type("ac" LEFT "b");
    expect_line("abc", 2);
    type(LEFT "_");
    expect_line("a_bc", 2);
    type(ESC "[H" ">");
    expect_line(">a_bc", 1);
}

static void
test_line_echo_writes_only_what_changed(void **state)
{
    (void)state;
    size_t written = term.written;
    type("abcdef");
    assert_int_equal(term.written - written, 6);
    written = term.written;
    type(LEFT);
    assert_int_equal(term.written - written, 1);
    written = term.written;
    type("X"); /* X, the tail, one step back */
    assert_int_equal(term.written - written, 3);
    expect_line("abcdeXf", 6);
    written = term.written;
    type("\x7f"); /* back, the tail, a blank, back over both */
    assert_int_equal(term.written - written, 5);
    expect_line("abcdef", 5);
    written = term.written;
    type(ESC "[H");
    assert_int_equal(term.written - written, 4); /* ESC[5D */
    written = term.written;
    type(RIGHT RIGHT);
    assert_int_equal(term.written - written, 2);
    expect_line("abcdef", 2);
}

static void
test_line_backspace_deletes_before_the_cursor(void **state)
{
    (void)state;
    type("abcd" LEFT "\x7f");
    expect_line("abd", 2);
    type("\b");
    expect_line("ad", 1);
    type("\x7f");
    expect_line("d", 0);
    size_t written = term.written;
    type("\x7f\b");
    expect_line("d", 0);
    assert_int_equal(term.written, written);
    type(ESC "[F" "\x7f");
    expect_line("", 0);
}

static void
test_line_delete_and_ctrl_d_delete_at_the_cursor(void **state)
{
    (void)state;
    type("abc" ESC "[H" ESC "[3~");
    expect_line("bc", 0);
    type("\x04");
    expect_line("c", 0);
    type(ESC "[F");
    size_t written = term.written;
    type("\x04" ESC "[3~");
    expect_line("c", 1);
    assert_int_equal(term.written, written);
    type("\x7f");
    written = term.written;
    assert_int_equal(type("\x04"), SHELL_LINE_NONE);
    expect_line("", 0);
    assert_int_equal(term.written, written);
}

static void
test_line_ctrl_k_kills_to_the_end(void **state)
{
    (void)state;
    type("hello world" ESC "[H" RIGHT RIGHT RIGHT RIGHT RIGHT "\x0b");
    expect_line("hello", 5);
    type("\x0b");
    expect_line("hello", 5);
    type(ESC "[H" "\x0b");
    expect_line("", 0);
}

static void
test_line_ctrl_u_kills_to_the_start(void **state)
{
    (void)state;
    type("hello world" LEFT LEFT LEFT LEFT LEFT "\x15");
    expect_line("world", 0);
    type("\x15");
    expect_line("world", 0);
    type(ESC "[F" "\x15");
    expect_line("", 0);
}

static void
test_line_ctrl_w_deletes_the_word_before_the_cursor(void **state)
{
    (void)state;
    type("ls  foo bar  ");
    type("\x17");
    expect_line("ls  foo ", 8);
    type("\x17");
    expect_line("ls  ", 4);
    type("\x17");
    expect_line("", 0);
    type("\x17");
    expect_line("", 0);
    /* inside a word: only its part before the cursor goes */
    type("hello world" LEFT LEFT LEFT "\x17");
    expect_line("hello rld", 6);
}

static void
test_line_ctrl_l_clears_the_screen_and_redraws(void **state)
{
    (void)state;
    type("one\r");
    shell_line_start(&line);
    type("two\r");
    shell_line_start(&line);
    type("ab" LEFT);
    assert_int_equal(term.row, 2);
    type("\x0c");
    assert_int_equal(term.row, 0);
    expect_line("ab", 1);
    assert_string_equal(term_row(&term, 1), "");
}

static void
test_line_ctrl_c_abandons_the_line(void **state)
{
    (void)state;
    assert_int_equal(type("abc" LEFT LEFT "\x03"), SHELL_LINE_INTERRUPT);
    assert_string_equal(shell_line_text(&line), "");
    assert_string_equal(term_row(&term, -1), "pica> abc^C");
    assert_int_equal(term.col, 0);
    assert_int_equal(shell_line_history_count(&line), 0);
    shell_line_start(&line);
    expect_line("", 0);
    type("x");
    expect_line("x", 1);
}

static void
test_line_history_up_and_down_restore_the_edited_line(void **state)
{
    (void)state;
    type("one\r");
    shell_line_start(&line);
    type("two\r");
    shell_line_start(&line);
    type("thr" LEFT);
    type(UP);
    expect_line("two", 3);
    type(UP);
    expect_line("one", 3);
    type(UP);
    expect_line("one", 3);
    type(DOWN);
    expect_line("two", 3);
    type(DOWN);
    expect_line("thr", 3);
    type(DOWN);
    expect_line("thr", 3);
    /* an edit to a recalled entry does not change the entry */
    type(UP "X" DOWN UP);
    expect_line("two", 3);
    assert_int_equal(type("\r"), SHELL_LINE_LINE);
    assert_int_equal(shell_line_history_count(&line), 2);
}

static void
test_line_history_skips_blank_lines_and_repeats(void **state)
{
    (void)state;
    static const char *const lines[] = { "a\r", "\r", "   \r", "a\r", "b\r", "a\r", "a\r" };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        assert_int_equal(type(lines[i]), SHELL_LINE_LINE);
        shell_line_start(&line);
    }
    unsigned want = SHELL_HISTORY >= 3 ? 3 : SHELL_HISTORY;
    assert_int_equal(shell_line_history_count(&line), want);
    assert_string_equal(shell_line_history(&line, 0), "a");
    assert_string_equal(shell_line_history(&line, 1), "b");
    assert_null(shell_line_history(&line, want));
}

static void
test_line_history_keeps_the_newest_entries(void **state)
{
    (void)state;
    char cmd[16];
    for (int i = 0; i < SHELL_HISTORY + 5; i++) {
        snprintf(cmd, sizeof(cmd), "cmd%d\r", i);
        assert_int_equal(type(cmd), SHELL_LINE_LINE);
        shell_line_start(&line);
    }
    assert_int_equal(shell_line_history_count(&line), SHELL_HISTORY);
    snprintf(cmd, sizeof(cmd), "cmd%d", SHELL_HISTORY + 4);
    assert_string_equal(shell_line_history(&line, 0), cmd);
    assert_string_equal(shell_line_history(&line, SHELL_HISTORY - 1), "cmd5");
    assert_null(shell_line_history(&line, SHELL_HISTORY));
    for (int i = 0; i < SHELL_HISTORY + 3; i++) {
        type(UP);
    }
    expect_line("cmd5", 4);
    for (int i = 0; i < SHELL_HISTORY; i++) {
        type(DOWN);
    }
    expect_line("", 0);
}

static void
test_line_history_with_ctrl_p_n_and_ss3(void **state)
{
    (void)state;
    type("one\r");
    shell_line_start(&line);
    type("two\r");
    shell_line_start(&line);
    type("\x10");
    expect_line("two", 3);
    type(ESC "OA");
    expect_line("one", 3);
    type("\x0e");
    expect_line("two", 3);
    type(ESC "OB");
    expect_line("", 0);
}

static void
test_line_tab_without_a_candidate_rings(void **state)
{
    (void)state;
    type("xyz\t");
    expect_line("xyz", 3);
    assert_int_equal(term.bells, 1);
    assert_int_equal(last_argi, 0);
    type("\t");
    assert_int_equal(term.bells, 2);
    expect_line("xyz", 3);
}

static void
test_line_tab_with_one_candidate_completes_it(void **state)
{
    (void)state;
    type("hi\t");
    expect_line("history ", 8);
    assert_int_equal(term.bells, 0);
    type("\x15" "ls b\t");
    assert_int_equal(last_argi, 1);
    expect_line("ls beta ", 8);
    /* the word ends at the cursor */
    type("\x15" "ls bx" LEFT "\t");
    expect_line("ls beta x", 8);
}

static void
test_line_tab_with_many_candidates_then_lists_them(void **state)
{
    (void)state;
    type("he\t");
    expect_line("hel", 3);
    assert_int_equal(term.bells, 0);
    type("\t");
    assert_string_equal(term_row(&term, -1), "help  hello");
    assert_string_equal(term_row(&term, -2), "pica> hel");
    expect_line("hel", 3);
    type("\t");
    assert_string_equal(term_row(&term, -1), "help  hello");
    assert_string_equal(term_row(&term, -3), "help  hello");
    expect_line("hel", 3);
    type("\x15" "h\t");
    assert_int_equal(term.bells, 1);
    expect_line("h", 1);
    type("\t");
    assert_string_equal(term_row(&term, -1), "help  hello  history");
    expect_line("h", 1);
}

static void
test_line_tab_lists_only_on_a_second_consecutive_tab(void **state)
{
    (void)state;
    type("ls  al\t");
    assert_int_equal(last_argi, 1);
    expect_line("ls  alp", 7);
    int row = term.row;
    type(LEFT RIGHT "\t");
    assert_int_equal(term.row, row);
    assert_int_equal(term.bells, 1);
    type("\t");
    assert_string_equal(term_row(&term, -1), "alpha  alpine");
    expect_line("ls  alp", 7);
    type("\x15" "x y z\t");
    assert_int_equal(last_argi, 2);
}

static void
test_line_tab_without_completion_does_nothing(void **state)
{
    (void)state;
    term_reset(&term);
    shell_line_init(&line, &io_no_completion, PROMPT);
    shell_line_start(&line);
    type("he");
    size_t written = term.written;
    type("\t\t");
    expect_line("he", 2);
    assert_int_equal(term.written, written);
}

static void
test_line_tab_completion_stops_at_the_limit(void **state)
{
    (void)state;
    for (int i = 0; i < SHELL_LINE_MAX - 3; i++) {
        type(" ");
    }
    type("hi\t");
    assert_int_equal(shell_line_len(&line), SHELL_LINE_MAX);
    assert_int_equal(term.bells, 1);
    check_screen();
}

static void
test_line_cr_lf_and_crlf_each_end_one_line(void **state)
{
    (void)state;
    assert_int_equal(type("a\r"), SHELL_LINE_LINE);
    shell_line_start(&line);
    size_t written = term.written;
    /* the LF of a CR LF arriving after the next prompt */
    assert_int_equal(type("\n"), SHELL_LINE_NONE);
    assert_int_equal(term.written, written);
    expect_line("", 0);
    assert_int_equal(type("b\n"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "b");
    shell_line_start(&line);
    assert_int_equal(type("\n"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "");
    shell_line_start(&line);
    written = term.written;
    assert_int_equal(type("c\r\n"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "c");
    assert_int_equal(term.written, written + 3);
    shell_line_start(&line);
    assert_int_equal(shell_line_feed(&line, '\r'), SHELL_LINE_LINE);
    shell_line_start(&line);
    assert_int_equal(shell_line_feed(&line, '\r'), SHELL_LINE_LINE);
    shell_line_start(&line);
    assert_int_equal(type("d\r\n\n"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "");
    assert_int_equal(shell_line_history(&line, 0)[0], 'd');
}

static void
test_line_a_key_fed_after_a_line_starts_the_next(void **state)
{
    (void)state;
    type("a\r");
    size_t written = term.written;
    shell_line_hide(&line);
    shell_line_show(&line);
    assert_int_equal(term.written, written);
    type("x");
    expect_line("x", 1);
}

static void
test_line_a_long_line_is_cut_with_a_bell_per_byte(void **state)
{
    (void)state;
    char text[301];
    memset(text, 'x', 300);
    text[300] = '\0';
    type(text);
    assert_int_equal(shell_line_len(&line), SHELL_LINE_MAX);
    assert_int_equal(term.bells, 300 - SHELL_LINE_MAX);
    check_screen();
    type(LEFT "y");
    assert_int_equal(term.bells, 300 - SHELL_LINE_MAX + 1);
    assert_int_equal(shell_line_cursor(&line), SHELL_LINE_MAX - 1);
    check_screen();
    assert_int_equal(type("\r"), SHELL_LINE_LINE);
    text[SHELL_LINE_MAX] = '\0';
    assert_string_equal(shell_line_text(&line), text);
}

static void
test_line_hide_and_show_keep_log_output_above_the_line(void **state)
{
    (void)state;
    type("hello" LEFT LEFT);
    shell_line_hide(&line);
    assert_string_equal(term_row(&term, 0), "");
    assert_int_equal(term.col, 0);
    term_write(&term, "log: one\r\n", 10);
    shell_line_show(&line);
    assert_string_equal(term_row(&term, -1), "log: one");
    expect_line("hello", 3);
    /* a second hide is no more output; show after it draws once */
    shell_line_hide(&line);
    size_t written = term.written;
    shell_line_hide(&line);
    assert_int_equal(term.written, written);
    term_write(&term, "log: two\r\n", 10);
    shell_line_show(&line);
    assert_string_equal(term_row(&term, -1), "log: two");
    assert_string_equal(term_row(&term, -2), "log: one");
    expect_line("hello", 3);
    type("\x7f");
    expect_line("helo", 2);
}

static void
test_line_show_leaves_nothing_else_on_the_row(void **state)
{
    (void)state;
    type("ab");
    shell_line_hide(&line);
    term_write(&term, "a partial log line", 18);
    shell_line_show(&line);
    expect_line("ab", 2);
}

static void
test_line_size_is_as_documented(void **state)
{
    (void)state;
    size_t raw = (SHELL_HISTORY + 2) * (SHELL_LINE_MAX + 1) + 2 * sizeof(void *) + 14;
    size_t align = _Alignof(void *);
    assert_int_equal(sizeof(struct shell_line), (raw + align - 1) / align * align);
    if (SHELL_LINE_MAX == 128 && SHELL_HISTORY == 16 && sizeof(void *) == 8) {
        assert_int_equal(sizeof(struct shell_line), 2352);
    }
}

/* After a line ends, the row above shows what was typed, as typed. */
static void
check_ended(enum shell_line_event ev, const char *before)
{
    char want[sizeof(PROMPT) + SHELL_LINE_MAX + 2];
    snprintf(want, sizeof(want), "%s%s%s", PROMPT, before, ev == SHELL_LINE_INTERRUPT ? "^C" : "");
    assert_true(term_shows(&term, -1, want));
    assert_int_equal(term.col, 0);
    shell_line_start(&line);
}

static void
test_line_random_editing_keeps_the_screen_right(void **state)
{
    (void)state;
    static const char *const keys[] = {
        "a", "b", " ", "x", "h", "l", "\x7f", "\b", ESC "[3~", LEFT, RIGHT, ESC "OD",
        ESC "OC", ESC "[H", ESC "[F", ESC "[1~", ESC "[4~", "\x01", "\x05", "\x02",
        "\x06", "\x0b", "\x15", "\x17", "\x0c", "\x04", UP, DOWN, "\x10", "\x0e", "\t",
        "\t", "\r", "\n", "\x03", "a", "b", "c", "d", "e", "f",
    };
    uint32_t seed = 12345;
    char before[SHELL_LINE_MAX + 1];
    for (int i = 0; i < 20000; i++) {
        strcpy(before, shell_line_text(&line));
        enum shell_line_event ev = type(keys[next_random(&seed) % (sizeof(keys) / sizeof(keys[0]))]);
        if (ev != SHELL_LINE_NONE) {
            check_ended(ev, before);
        }
        if (next_random(&seed) % 16 == 0) {
            shell_line_hide(&line);
            term_write(&term, "log\r\n", 5);
            shell_line_show(&line);
            assert_string_equal(term_row(&term, -1), "log");
        }
        check_screen();
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_line_start_prints_the_prompt, harness_setup),
        cmocka_unit_test_setup(test_line_enter_returns_the_line_and_echoes_crlf, harness_setup),
        cmocka_unit_test_setup(test_line_inserts_in_the_middle, harness_setup),
        cmocka_unit_test_setup(test_line_echo_writes_only_what_changed, harness_setup),
        cmocka_unit_test_setup(test_line_backspace_deletes_before_the_cursor, harness_setup),
        cmocka_unit_test_setup(test_line_delete_and_ctrl_d_delete_at_the_cursor, harness_setup),
        cmocka_unit_test_setup(test_line_ctrl_k_kills_to_the_end, harness_setup),
        cmocka_unit_test_setup(test_line_ctrl_u_kills_to_the_start, harness_setup),
        cmocka_unit_test_setup(test_line_ctrl_w_deletes_the_word_before_the_cursor, harness_setup),
        cmocka_unit_test_setup(test_line_ctrl_l_clears_the_screen_and_redraws, harness_setup),
        cmocka_unit_test_setup(test_line_ctrl_c_abandons_the_line, harness_setup),
        cmocka_unit_test_setup(test_line_history_up_and_down_restore_the_edited_line, harness_setup),
        cmocka_unit_test_setup(test_line_history_skips_blank_lines_and_repeats, harness_setup),
        cmocka_unit_test_setup(test_line_history_keeps_the_newest_entries, harness_setup),
        cmocka_unit_test_setup(test_line_history_with_ctrl_p_n_and_ss3, harness_setup),
        cmocka_unit_test_setup(test_line_tab_without_a_candidate_rings, harness_setup),
        cmocka_unit_test_setup(test_line_tab_with_one_candidate_completes_it, harness_setup),
        cmocka_unit_test_setup(test_line_tab_with_many_candidates_then_lists_them, harness_setup),
        cmocka_unit_test_setup(test_line_tab_lists_only_on_a_second_consecutive_tab, harness_setup),
        cmocka_unit_test_setup(test_line_tab_without_completion_does_nothing, harness_setup),
        cmocka_unit_test_setup(test_line_tab_completion_stops_at_the_limit, harness_setup),
        cmocka_unit_test_setup(test_line_cr_lf_and_crlf_each_end_one_line, harness_setup),
        cmocka_unit_test_setup(test_line_a_key_fed_after_a_line_starts_the_next, harness_setup),
        cmocka_unit_test_setup(test_line_a_long_line_is_cut_with_a_bell_per_byte, harness_setup),
        cmocka_unit_test_setup(test_line_hide_and_show_keep_log_output_above_the_line, harness_setup),
        cmocka_unit_test_setup(test_line_show_leaves_nothing_else_on_the_row, harness_setup),
        cmocka_unit_test_setup(test_line_size_is_as_documented, harness_setup),
        cmocka_unit_test_setup(test_line_random_editing_keeps_the_screen_right, harness_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
