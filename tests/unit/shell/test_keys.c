/* SPDX-License-Identifier: MIT */
/* Terminal input through the line editor (shell/keys.c): every encoding of
 * the cursor keys, sequences split across feeds, unknown and overlong
 * sequences dropped without a trace, control bytes ending a sequence,
 * ignored bytes, and 100 KB of random bytes with the invariants and the
 * screen checked after each. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "harness.h"

static void
test_keys_arrows_move_in_both_encodings(void **state)
{
    (void)state;
    type("abc");
    type(LEFT);
    expect_line("abc", 2);
    type(ESC "OD");
    expect_line("abc", 1);
    type(RIGHT);
    expect_line("abc", 2);
    type(ESC "OC" ESC "OC" RIGHT);
    expect_line("abc", 3);
    type(LEFT LEFT LEFT LEFT LEFT);
    expect_line("abc", 0);
    /* xterm's Ctrl-Right: the modifier is disregarded */
    type(ESC "[1;5C");
    expect_line("abc", 1);
}

static void
test_keys_home_and_end_in_every_encoding(void **state)
{
    (void)state;
    static const char *const home[] = { ESC "[H", ESC "OH", ESC "[1~", ESC "[7~", "\x01" };
    static const char *const end[] = { ESC "[F", ESC "OF", ESC "[4~", ESC "[8~", "\x05" };
    type("hello");
    for (size_t i = 0; i < sizeof(home) / sizeof(home[0]); i++) {
        type(LEFT LEFT);
        type(home[i]);
        expect_line("hello", 0);
        type(RIGHT);
        type(end[i]);
        expect_line("hello", 5);
    }
}

static void
test_keys_ctrl_b_and_ctrl_f_move(void **state)
{
    (void)state;
    type("ab\x02\x02");
    expect_line("ab", 0);
    type("\x02");
    expect_line("ab", 0);
    type("\x06");
    expect_line("ab", 1);
    type("\x06\x06\x06");
    expect_line("ab", 2);
}

static void
test_keys_escape_sequences_split_across_feeds(void **state)
{
    (void)state;
    type("abc");
    size_t written = term.written;
    assert_int_equal(shell_line_feed(&line, 0x1b), SHELL_LINE_NONE);
    assert_int_equal(shell_line_feed(&line, '['), SHELL_LINE_NONE);
    assert_int_equal(term.written, written);
    assert_int_equal(shell_line_cursor(&line), 3);
    shell_line_feed(&line, 'D');
    expect_line("abc", 2);
    written = term.written;
    shell_line_feed(&line, 0x1b);
    shell_line_feed(&line, '[');
    shell_line_feed(&line, '3');
    assert_int_equal(term.written, written);
    expect_line("abc", 2);
    shell_line_feed(&line, '~');
    expect_line("ab", 2);
    shell_line_feed(&line, 0x1b);
    shell_line_feed(&line, 'O');
    assert_int_equal(shell_line_cursor(&line), 2);
    shell_line_feed(&line, 'H');
    expect_line("ab", 0);
}

static void
test_keys_unknown_sequences_are_swallowed_silently(void **state)
{
    (void)state;
    static const char *const unknown[] = {
        ESC "[2~",     ESC "[5~",      ESC "[6~",   ESC "[11~",      ESC "[0~",
        ESC "[200~",   ESC "[201~",    ESC "[?1;2c", ESC "[12;40R",  ESC "[<0;10;5M",
        ESC "[1;5Z",   ESC "[3D",      ESC "[2A",   ESC "[1:2A",     ESC "[ q",
        ESC "[=5h",    ESC "[>0;1c",   ESC "OP",    ESC "Ox",        ESC "x",
        ESC "(B",      ESC "#8",       ESC "]0;title\a", ESC "P1$r0m" ESC "\\",
        ESC "[;;;;z",  ESC "[",
    };
    type("ab");
    for (size_t i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
        size_t written = term.written;
        assert_int_equal(type(unknown[i]), SHELL_LINE_NONE);
        if (i + 1 < sizeof(unknown) / sizeof(unknown[0])) {
            assert_int_equal(term.written, written);
            expect_line("ab", 2);
        }
    }
    /* "ESC [" last: the next byte is its final, then typing goes on */
    type("Zc");
    expect_line("abc", 3);
}

static void
test_keys_an_overlong_sequence_is_dropped_whole(void **state)
{
    (void)state;
    char seq[400];
    type("ab");
    size_t written = term.written;
    strcpy(seq, ESC "[");
    memset(seq + 2, '1', 200);
    strcpy(seq + 202, "D");
    type(seq);
    memset(seq + 2, ';', 300);
    strcpy(seq + 302, "A");
    type(seq);
    assert_int_equal(term.written, written);
    expect_line("ab", 2);
    type("c");
    expect_line("abc", 3);
}

static void
test_keys_a_control_byte_ends_a_sequence_and_counts(void **state)
{
    (void)state;
    assert_int_equal(type("ab" ESC "\r"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "ab");
    shell_line_start(&line);
    assert_int_equal(type("ab" ESC "[1\x03"), SHELL_LINE_INTERRUPT);
    shell_line_start(&line);
    type("ab" ESC ESC "[D");
    expect_line("ab", 1);
    type(ESC "[" "\x7f");
    expect_line("b", 0);
    type(ESC "O" "\x05");
    expect_line("b", 1);
}

static void
test_keys_other_controls_and_high_bytes_are_ignored(void **state)
{
    (void)state;
    static const uint8_t ignored[] = { 0x00, 0x07, 0x0f, 0x11, 0x12, 0x13, 0x14,
                                       0x16, 0x18, 0x19, 0x1a, 0x1c, 0x1d, 0x1e, 0x1f };
    type("ab" LEFT);
    size_t written = term.written;
    for (size_t i = 0; i < sizeof(ignored); i++) {
        assert_int_equal(shell_line_feed(&line, ignored[i]), SHELL_LINE_NONE);
    }
    for (unsigned c = 0x80; c <= 0xff; c++) {
        assert_int_equal(shell_line_feed(&line, (uint8_t)c), SHELL_LINE_NONE);
    }
    assert_int_equal(term.written, written);
    expect_line("ab", 1);
}

static void
test_keys_random_bytes_keep_every_invariant(void **state)
{
    (void)state;
    uint32_t seed = 2463534242u;
    for (int i = 0; i < 100 * 1024; i++) {
        uint32_t r = next_random(&seed);
        if (shell_line_feed(&line, (uint8_t)r) != SHELL_LINE_NONE) {
            shell_line_start(&line);
        }
        if ((r >> 8) % 1024 == 0) {
            shell_line_hide(&line);
            term_write(&term, "log\r\n", 5);
            shell_line_show(&line);
        }
        check_screen();
    }
    /* whatever state the bytes left, CR ends it and the next line is clean */
    assert_int_equal(type("\r"), SHELL_LINE_LINE);
    shell_line_start(&line);
    assert_int_equal(type("abc\r"), SHELL_LINE_LINE);
    assert_string_equal(shell_line_text(&line), "abc");
    assert_false(term.bad);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_keys_arrows_move_in_both_encodings, harness_setup),
        cmocka_unit_test_setup(test_keys_home_and_end_in_every_encoding, harness_setup),
        cmocka_unit_test_setup(test_keys_ctrl_b_and_ctrl_f_move, harness_setup),
        cmocka_unit_test_setup(test_keys_escape_sequences_split_across_feeds, harness_setup),
        cmocka_unit_test_setup(test_keys_unknown_sequences_are_swallowed_silently, harness_setup),
        cmocka_unit_test_setup(test_keys_an_overlong_sequence_is_dropped_whole, harness_setup),
        cmocka_unit_test_setup(test_keys_a_control_byte_ends_a_sequence_and_counts, harness_setup),
        cmocka_unit_test_setup(test_keys_other_controls_and_high_bytes_are_ignored, harness_setup),
        cmocka_unit_test_setup(test_keys_random_bytes_keep_every_invariant, harness_setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
