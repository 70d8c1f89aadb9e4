/* SPDX-License-Identifier: MIT */
/* Atomic read-modify-write instructions, 32 and 64 bit, with and without fetch,
 * xchg and cmpxchg, and their memory checks. */
#include "bpf_test_util.h"

#include <string.h>

/* ctx starts as 0x00000000_0000000c; r2 = 10; returns r0 from the sequence. */
static uint64_t ctx[2];

static int
run_atomic(struct bpf_insn a, struct bpf_insn ret, uint64_t *r0)
{
    ctx[0] = 0xc;
    ctx[1] = 0;
    struct bpf_insn p[] = { MOV64_IMM(0, 0xc), MOV64_IMM(2, 10), a, ret, EXIT() };
    struct bpf_test_env env = { .ctx = ctx, .ctx_len = sizeof(ctx) };
    return bpf_test_run(p, N(p), &env, r0, NULL);
}

static void
test_add_and_fetch_add(void **state)
{
    (void)state;
    uint64_t r0;
    assert_int_equal(run_atomic(INSN(0xdb, 1, 2, 0, 0x00), MOV64_REG(0, 2), &r0), 0);
    assert_int_equal(ctx[0], 22);
    assert_int_equal(r0, 10);
    assert_int_equal(run_atomic(INSN(0xdb, 1, 2, 0, 0x01), MOV64_REG(0, 2), &r0), 0);
    assert_int_equal(ctx[0], 22);
    assert_int_equal(r0, 0xc); /* old value fetched into src */
}

static void
test_32bit_ops_leave_upper_word(void **state)
{
    (void)state;
    uint64_t r0;
    assert_int_equal(run_atomic(INSN(0xc3, 1, 2, 4, 0x41), MOV64_REG(0, 2), &r0), 0);
    assert_int_equal(ctx[0], 0xc | (10ull << 32)); /* or into the upper word at +4 */
    assert_int_equal(r0, 0);
}

static void
test_xchg_and_cmpxchg(void **state)
{
    (void)state;
    uint64_t r0;
    assert_int_equal(run_atomic(INSN(0xdb, 1, 2, 0, 0xe1), MOV64_REG(0, 2), &r0), 0);
    assert_int_equal(ctx[0], 10);
    assert_int_equal(r0, 0xc);
    /* r0 == *p: swap in r2 */
    assert_int_equal(run_atomic(INSN(0xdb, 1, 2, 0, 0xf1), INSN(0x07, 0, 0, 0, 0), &r0), 0);
    assert_int_equal(ctx[0], 10);
    assert_int_equal(r0, 0xc);
    /* r0 != *p: memory unchanged, r0 gets the current value */
    assert_int_equal(run_atomic(INSN(0xdb, 1, 2, 8, 0xf1), INSN(0x07, 0, 0, 0, 0), &r0), 0);
    assert_int_equal(ctx[1], 0);
    assert_int_equal(r0, 0);
}

static void
test_atomic_outside_region_faults(void **state)
{
    (void)state;
    uint64_t r0;
    assert_int_equal(run_atomic(INSN(0xdb, 1, 2, 12, 0x00), MOV64_REG(0, 2), &r0), -EFAULT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_add_and_fetch_add),
        cmocka_unit_test(test_32bit_ops_leave_upper_word),
        cmocka_unit_test(test_xchg_and_cmpxchg),
        cmocka_unit_test(test_atomic_outside_region_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
