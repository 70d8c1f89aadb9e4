/* SPDX-License-Identifier: MIT */
/* The checks of user pointers (lib/uaccess.h) against a process of three
 * regions: text (R+X), RAM (R+W) and a read-only grant, with gaps. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

#include "region.h"
#include "uaccess.h"
#include "user_mem.h"

static struct pica_proc proc;
static struct user_mem mem;

static int
setup(void **state)
{
    (void)state;
    mem = user_mem_setup(&proc, 0);
    return 0;
}

#define RW (REGION_R | REGION_W)

static void
test_inside_each_region_with_its_perms(void **state)
{
    (void)state;
    assert_true(proc_access_ok(&proc, mem.text, USER_TEXT_SIZE, REGION_R));
    assert_true(proc_access_ok(&proc, mem.text + 4, 16, REGION_R | REGION_X));
    assert_true(proc_access_ok(&proc, mem.ram, USER_RAM_SIZE, RW));
    assert_true(proc_access_ok(&proc, mem.ram + 100, 1, REGION_R));
    assert_true(proc_access_ok(&proc, mem.grant, USER_GRANT_SIZE, REGION_R));
}

static void
test_wrong_perms_refused(void **state)
{
    (void)state;
    /* Outputs into text or a read-only grant. */
    assert_false(proc_access_ok(&proc, mem.text, 4, RW));
    assert_false(proc_access_ok(&proc, mem.grant, 4, RW));
    /* Execute from RAM. */
    assert_false(proc_access_ok(&proc, mem.ram, 4, REGION_X));
}

static void
test_boundaries(void **state)
{
    (void)state;
    uint32_t end = mem.ram + USER_RAM_SIZE;
    assert_true(proc_access_ok(&proc, end - 1, 1, RW));
    assert_true(proc_access_ok(&proc, end - 8, 8, RW));
    assert_false(proc_access_ok(&proc, end - 8, 9, RW));  /* one byte past */
    assert_false(proc_access_ok(&proc, end, 1, RW));
    assert_false(proc_access_ok(&proc, mem.ram - 1, 1, RW)); /* one byte before */
    assert_false(proc_access_ok(&proc, mem.ram - 1, 2, RW)); /* straddles the start */
    assert_false(proc_access_ok(&proc, mem.gap, 4, REGION_R));
    /* Text then gap then RAM: no range spans two regions with a gap. */
    assert_false(proc_access_ok(&proc, mem.text, mem.ram + 4 - mem.text, REGION_R));
}

static void
test_wrap_around_refused(void **state)
{
    (void)state;
    /* ptr + len wraps past zero to land inside the region. */
    assert_false(proc_access_ok(&proc, mem.ram + 16, UINT32_MAX, RW));
    assert_false(proc_access_ok(&proc, mem.ram + 16, UINT32_MAX - mem.ram - 15 + mem.ram, RW));
    assert_false(proc_access_ok(&proc, mem.ram, (uint32_t)(0u - mem.ram) + 8u, RW));
    assert_false(proc_access_ok(&proc, UINT32_MAX, 2, REGION_R));
    assert_false(proc_access_ok(&proc, UINT32_MAX, 1, REGION_R));
    assert_false(proc_access_ok(&proc, 0, UINT32_MAX, REGION_R));
}

static void
test_zero_length(void **state)
{
    (void)state;
    assert_true(proc_access_ok(&proc, mem.ram, 0, RW));
    assert_true(proc_access_ok(&proc, mem.ram + USER_RAM_SIZE - 1, 0, RW));
    /* Only where the process could access a byte. */
    assert_false(proc_access_ok(&proc, mem.ram + USER_RAM_SIZE, 0, RW));
    assert_false(proc_access_ok(&proc, mem.gap, 0, REGION_R));
    assert_false(proc_access_ok(&proc, 0, 0, REGION_R));
    assert_false(proc_access_ok(&proc, 0x20000000u, 0, REGION_R) &&
                 (0x20000000u < mem.text || 0x20000000u >= mem.grant + USER_GRANT_SIZE));
    assert_false(proc_access_ok(&proc, mem.text, 0, RW));
}

static void
test_grants_and_region_count(void **state)
{
    (void)state;
    struct pica_proc p = proc;
    p.nregions = 2; /* the grant withdrawn */
    assert_false(proc_access_ok(&p, mem.grant, 4, REGION_R));
    /* A privileged-only region never counts. */
    p = proc;
    p.regions[2].perms = REGION_R | REGION_PRIV;
    assert_false(proc_access_ok(&p, mem.grant, 4, REGION_R));
    /* A corrupt count reads no entry past the table. */
    p = proc;
    p.nregions = 200;
    assert_true(proc_access_ok(&p, mem.ram, 4, RW));
    p.nregions = 0;
    assert_false(proc_access_ok(&p, mem.ram, 4, REGION_R));
}

static void
test_copy_str(void **state)
{
    (void)state;
    char dst[8];
    char *ram = user_ptr(mem.ram);
    strcpy(ram, "hello");
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.ram, sizeof dst), 5);
    assert_string_equal(dst, "hello");
    strcpy(ram, "");
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.ram, sizeof dst), 0);
    assert_string_equal(dst, "");
    /* 7 characters and the NUL fit; 8 do not. */
    strcpy(ram, "1234567");
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.ram, sizeof dst), 7);
    strcpy(ram, "12345678");
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.ram, sizeof dst), -ENAMETOOLONG);
    assert_int_equal(dst[sizeof dst - 1], '\0');
    /* Running off the end of the region before the NUL. */
    uint32_t end = mem.ram + USER_RAM_SIZE;
    memcpy(user_ptr(end - 3), "abc", 3);
    assert_int_equal(uaccess_copy_str(&proc, dst, end - 3, sizeof dst), -EFAULT);
    assert_string_equal(dst, "abc");
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.gap, sizeof dst), -EFAULT);
    assert_string_equal(dst, "");
    assert_int_equal(uaccess_copy_str(&proc, dst, UINT32_MAX, sizeof dst), -EFAULT);
    /* A string in text or a read-only grant is fine: only read. */
    strcpy(user_ptr(mem.grant), "ro");
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.grant, sizeof dst), 2);
    assert_int_equal(uaccess_copy_str(&proc, dst, mem.ram, 0), -ENAMETOOLONG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_inside_each_region_with_its_perms, setup),
        cmocka_unit_test_setup(test_wrong_perms_refused, setup),
        cmocka_unit_test_setup(test_boundaries, setup),
        cmocka_unit_test_setup(test_wrap_around_refused, setup),
        cmocka_unit_test_setup(test_zero_length, setup),
        cmocka_unit_test_setup(test_grants_and_region_count, setup),
        cmocka_unit_test_setup(test_copy_str, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
