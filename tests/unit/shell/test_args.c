/* SPDX-License-Identifier: MIT */
/* Argument splitting (shell/args.c): whitespace, the three kinds of
 * quoting, parts that join into one argument, and the errors, which leave
 * the line as it was. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "args.h"

#define MAX_ARGS 8

static char buf[256];
static char *argv[MAX_ARGS + 1];
static const char *error;

/* Split a copy of @line; argv and error hold the result. */
static int
split(const char *line, int max_args)
{
    strcpy(buf, line);
    memset(argv, 0x55, sizeof(argv));
    error = NULL;
    return shell_split(buf, argv, max_args, &error);
}

#define expect_args(line, ...)                                                                     \
    do {                                                                                           \
        static const char *const want[] = { __VA_ARGS__ };                                         \
        int n = (int)(sizeof(want) / sizeof(want[0]));                                            \
        assert_int_equal(split((line), MAX_ARGS), n);                                              \
        for (int i = 0; i < n; i++) {                                                              \
            assert_string_equal(argv[i], want[i]);                                                 \
        }                                                                                          \
        assert_null(argv[n]);                                                                      \
    } while (0)

static void
test_args_whitespace_separates(void **state)
{
    (void)state;
    expect_args("ls", "ls");
    expect_args("cat  a.txt\tb", "cat", "a.txt", "b");
    expect_args("  \t lead and trail \t ", "lead", "and", "trail");
}

static void
test_args_a_blank_line_has_none(void **state)
{
    (void)state;
    assert_int_equal(split("", MAX_ARGS), 0);
    assert_null(argv[0]);
    assert_int_equal(split(" \t  ", MAX_ARGS), 0);
    assert_null(argv[0]);
}

static void
test_args_single_quotes_are_literal(void **state)
{
    (void)state;
    expect_args("echo 'a b'", "echo", "a b");
    expect_args("'x\\y \"z\"'", "x\\y \"z\"");
    expect_args("'' ''", "", "");
}

static void
test_args_double_quotes_escape_quote_and_backslash(void **state)
{
    (void)state;
    expect_args("\"a b\"", "a b");
    expect_args("\"say \\\"hi\\\"\"", "say \"hi\"");
    expect_args("\"c:\\\\dir\"", "c:\\dir");
    /* any other backslash stays as it is */
    expect_args("\"a\\nb\\x\"", "a\\nb\\x");
    expect_args("\"it's\"", "it's");
    expect_args("\"\"", "");
}

static void
test_args_backslash_escapes_outside_quotes(void **state)
{
    (void)state;
    expect_args("a\\ b c", "a b", "c");
    expect_args("\\'x\\' \\\"", "'x'", "\"");
    expect_args("\\\\", "\\");
    expect_args("\\a", "a");
}

static void
test_args_adjacent_parts_join(void **state)
{
    (void)state;
    expect_args("a\"b c\"d", "ab cd");
    expect_args("'a'\"b\"c\\ d", "abc d");
    expect_args("x=''y", "x=y");
}

static void
test_args_unterminated_quotes_fail_with_the_line_unchanged(void **state)
{
    (void)state;
    static const char *const lines[] = { "echo 'abc", "\"abc", "a \"b\\\"", "ok 'x' \"y" };
    for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
        assert_int_equal(split(lines[i], MAX_ARGS), -EINVAL);
        assert_string_equal(error, "unterminated quote");
        assert_string_equal(buf, lines[i]);
    }
}

static void
test_args_a_trailing_backslash_fails(void **state)
{
    (void)state;
    assert_int_equal(split("ls foo\\", MAX_ARGS), -EINVAL);
    assert_string_equal(error, "trailing backslash");
    assert_string_equal(buf, "ls foo\\");
}

static void
test_args_too_many_arguments_fail(void **state)
{
    (void)state;
    assert_int_equal(split("a b c", 3), 3);
    assert_string_equal(argv[2], "c");
    assert_int_equal(split("a b c d", 3), -E2BIG);
    assert_string_equal(error, "too many arguments");
    assert_string_equal(buf, "a b c d");
    assert_int_equal(split("a", 0), -E2BIG);
    assert_int_equal(split("  ", 0), 0);
}

static void
test_args_errors_need_no_error_pointer(void **state)
{
    (void)state;
    strcpy(buf, "'x");
    assert_int_equal(shell_split(buf, argv, MAX_ARGS, NULL), -EINVAL);
    assert_int_equal(shell_split(NULL, argv, MAX_ARGS, &error), -EINVAL);
    assert_int_equal(shell_split(buf, argv, -1, &error), -EINVAL);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_args_whitespace_separates),
        cmocka_unit_test(test_args_a_blank_line_has_none),
        cmocka_unit_test(test_args_single_quotes_are_literal),
        cmocka_unit_test(test_args_double_quotes_escape_quote_and_backslash),
        cmocka_unit_test(test_args_backslash_escapes_outside_quotes),
        cmocka_unit_test(test_args_adjacent_parts_join),
        cmocka_unit_test(test_args_unterminated_quotes_fail_with_the_line_unchanged),
        cmocka_unit_test(test_args_a_trailing_backslash_fails),
        cmocka_unit_test(test_args_too_many_arguments_fail),
        cmocka_unit_test(test_args_errors_need_no_error_pointer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
