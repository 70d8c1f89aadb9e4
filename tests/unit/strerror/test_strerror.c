/* SPDX-License-Identifier: MIT */
/* pica_strerror maps by symbol, so it reads the same on glibc and picolibc. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>
#include <pica/errno.h>

static void
test_strerror_names_negative_and_positive_codes(void **state)
{
    (void)state;
    assert_string_equal(pica_strerror(-ETIMEDOUT), "timed out");
    assert_string_equal(pica_strerror(ETIMEDOUT), "timed out");
    assert_string_equal(pica_strerror(-EOWNERDEAD), "owner died");
    assert_string_equal(pica_strerror(0), "success");
    assert_string_equal(pica_strerror(-ENODEV), "no such device");
    assert_string_equal(pica_strerror(-ENOTSUP), "not supported");
    assert_string_equal(pica_strerror(-EIO), "input/output error");
    assert_string_equal(pica_strerror(-EROFS), "read-only");
}

static void
test_strerror_unknown_code_is_reported_as_such(void **state)
{
    (void)state;
    assert_string_equal(pica_strerror(-99999), "unknown error");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strerror_names_negative_and_positive_codes),
        cmocka_unit_test(test_strerror_unknown_code_is_reported_as_such),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
