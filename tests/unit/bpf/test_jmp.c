/* SPDX-License-Identifier: MIT */
/* JMP and JMP32 classes: signed and unsigned compares, 32-bit compares, ja32, backward
 * loops, exact executed-instruction counts and the instruction budget (exact for
 * straight-line code, loops and local calls, whatever the limit). */
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
    /* 0: r0 = 0; 1: r0 += 1; 2: goto 1 -- after 1000: 0, then (1, 2) x 499, then 1 */
    struct bpf_insn p[] = { MOV64_IMM(0, 0), ALU64_IMM(OP_ADD, 0, 1), INSN(0x05, 0, 0, -2, 0),
                            EXIT() };
    struct bpf_test_env env = { .budget = 1000 };
    struct bpf_exec x;
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, &x), -ETIMEDOUT);
    assert_non_null(x.fault);
    assert_int_equal(x.executed, 1000);
    assert_int_equal(x.fault_pc, 2);
    assert_int_equal(r0, 500);
}

/* 200 instructions, no jump: r0 = 0, 198 x (r0 += 1), exit */
static struct bpf_insn straight[200];

static void
make_straight(void)
{
    straight[0] = MOV64_IMM(0, 0);
    for (int k = 1; k < 199; k++) {
        straight[k] = ALU64_IMM(OP_ADD, 0, 1);
    }
    straight[199] = EXIT();
}

static void
test_budget_stops_straight_line_code(void **state)
{
    (void)state;
    make_straight();
    struct bpf_test_env env = { .budget = 5 };
    struct bpf_exec x;
    uint64_t r0;
    /* exactly 5 run; the sixth (index 5) is where it stops */
    assert_int_equal(bpf_test_run(straight, 200, &env, &r0, &x), -ETIMEDOUT);
    assert_int_equal(x.executed, 5);
    assert_int_equal(x.fault_pc, 5);
    assert_int_equal(r0, 4);
    /* one short: the exit is not executed */
    env.budget = 199;
    assert_int_equal(bpf_test_run(straight, 200, &env, &r0, &x), -ETIMEDOUT);
    assert_int_equal(x.executed, 199);
    assert_int_equal(x.fault_pc, 199);
    /* the exact length runs to the end */
    env.budget = 200;
    assert_int_equal(bpf_test_run(straight, 200, &env, &r0, &x), 0);
    assert_int_equal(x.executed, 200);
    assert_int_equal(r0, 198);
    assert_null(x.fault);
}

static void
test_budget_is_exact_for_every_limit(void **state)
{
    (void)state;
    make_straight();
    /* 0: r6 = 0; 1: call 4; 2: r6 += 1; 3: goto 1; 4: r0 = 7; 5: lddw r1 (one insn);
     * 7: exit -- a loop whose budget can run out in the caller or in the callee */
    struct bpf_insn loop[] = { MOV64_IMM(6, 0), CALL_LOCAL(2), ALU64_IMM(OP_ADD, 6, 1),
                               INSN(0x05, 0, 0, -3, 0), MOV64_IMM(0, 7), LDDW_LO(1, 1),
                               LDDW_HI(1), EXIT() };
    struct bpf_exec x;
    uint64_t r0;
    for (uint64_t b = 1; b < 300; b++) {
        struct bpf_test_env env = { .budget = b };
        int rc = bpf_test_run(straight, 200, &env, &r0, &x);
        assert_int_equal(rc, b < 200 ? -ETIMEDOUT : 0);
        assert_int_equal(x.executed, b < 200 ? b : 200);
        assert_int_equal(bpf_test_run(loop, N(loop), &env, &r0, &x), -ETIMEDOUT);
        assert_int_equal(x.executed, b);
    }
}

static void
test_lddw_counts_once(void **state)
{
    (void)state;
    struct bpf_insn p[] = { LDDW_LO(0, 7), LDDW_HI(7), EXIT() };
    struct bpf_test_env env = { .budget = 1 };
    struct bpf_exec x;
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, &x), 0);
    assert_int_equal(x.executed, 2);
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, &x), -ETIMEDOUT);
    assert_int_equal(x.executed, 1);
    assert_int_equal(x.fault_pc, 2);
    assert_int_equal(r0, 7);
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
        cmocka_unit_test(test_budget_stops_straight_line_code),
        cmocka_unit_test(test_budget_is_exact_for_every_limit),
        cmocka_unit_test(test_lddw_counts_once),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
