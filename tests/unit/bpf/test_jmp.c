/* SPDX-License-Identifier: MIT */
/* JMP and JMP32 classes: signed and unsigned compares, 32-bit compares, ja32, backward
 * loops, exact executed-instruction counts and the instruction budget. */
#include "bpf_test_util.h"

/* r0 = 1 if (r1 OP r2) else 0, with r1/r2 from 64-bit constants. */
static uint64_t
cmp(struct bpf_insn j, uint64_t a, uint64_t b)
{
    struct bpf_insn p[] = { LDDW_LO(1, a), LDDW_HI(a), LDDW_LO(2, b), LDDW_HI(b),
                            MOV64_IMM(0, 1), j, MOV64_IMM(0, 0), EXIT() };
    return bpf_test_r0(p, N(p));
}

static void
test_signed_and_unsigned_compares_differ(void **state)
{
    (void)state;
    assert_int_equal(cmp(JMP_REG(OP_JGT, 1, 2, 1), (uint64_t)-1, 1), 1);
    assert_int_equal(cmp(JMP_REG(OP_JSGT, 1, 2, 1), (uint64_t)-1, 1), 0);
    assert_int_equal(cmp(JMP_REG(OP_JSLT, 1, 2, 1), (uint64_t)-1, 1), 1);
    assert_int_equal(cmp(JMP_REG(OP_JLE, 1, 2, 1), 5, 5), 1);
    assert_int_equal(cmp(JMP_REG(OP_JSET, 1, 2, 1), 6, 1), 0);
}

static void
test_jmp32_compares_low_halves(void **state)
{
    (void)state;
    /* equal in the low 32 bits only */
    assert_int_equal(cmp(INSN(0x1e, 1, 2, 1, 0), 0x100000005ull, 5), 1);
    assert_int_equal(cmp(JMP_REG(OP_JEQ, 1, 2, 1), 0x100000005ull, 5), 0);
    assert_int_equal(cmp(INSN(0x6e, 1, 2, 1, 0), 0x80000000ull, 1), 0); /* jsgt32 */
}

static void
test_ja32_reaches_far(void **state)
{
    (void)state;
    static struct bpf_insn p[3000];
    p[0] = MOV64_IMM(0, 1);
    p[1] = INSN(0x06, 0, 0, 0, 2996); /* over more than int16 could not */
    for (int k = 2; k < 2998; k++) {
        p[k] = MOV64_IMM(0, 2);
    }
    p[2998] = EXIT();
    p[2999] = EXIT();
    assert_int_equal(bpf_test_r0(p, 3000), 1);
}

static void
test_executed_count_is_exact(void **state)
{
    (void)state;
    /* r1 = 10; loop: r1 -= 1; if r1 != 0 goto loop; exit: 1 + 10*2 + 2 */
    struct bpf_insn p[] = { MOV64_IMM(1, 10), ALU64_IMM(OP_SUB, 1, 1), JMP_IMM(OP_JNE, 1, 0, -2),
                            MOV64_IMM(0, 0), EXIT() };
    struct bpf_exec x;
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, &x), 0);
    assert_int_equal(x.executed, 23);
}

static void
test_endless_loop_ends_with_budget_error(void **state)
{
    (void)state;
    struct bpf_insn p[] = { MOV64_IMM(0, 0), ALU64_IMM(OP_ADD, 0, 1), INSN(0x05, 0, 0, -2, 0),
                            EXIT() };
    struct bpf_test_env env = { .budget = 1000 };
    struct bpf_exec x;
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, &x), -ETIMEDOUT);
    assert_non_null(x.fault);
    assert_true(x.executed >= 1000 && x.executed <= 1003);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_signed_and_unsigned_compares_differ),
        cmocka_unit_test(test_jmp32_compares_low_halves),
        cmocka_unit_test(test_ja32_reaches_far),
        cmocka_unit_test(test_executed_count_is_exact),
        cmocka_unit_test(test_endless_loop_ends_with_budget_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
