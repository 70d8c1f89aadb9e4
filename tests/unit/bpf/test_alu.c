/* SPDX-License-Identifier: MIT */
/* ALU and ALU64 classes: arithmetic with the RFC's results for division by zero and
 * signed overflow, shift masking, 32-bit zero-extension, movsx, neg and byte swaps. */
#include "bpf_test_util.h"

static uint64_t
alu2(struct bpf_insn setup_dst, struct bpf_insn setup_src, struct bpf_insn op)
{
    struct bpf_insn p[] = { setup_dst, setup_src, op, MOV64_REG(0, 1), EXIT() };
    return bpf_test_r0(p, N(p));
}

static void
test_div_by_zero_gives_zero(void **state)
{
    (void)state;
    assert_int_equal(alu2(MOV64_IMM(1, 77), MOV64_IMM(2, 0), ALU64_REG(OP_DIV, 1, 2)), 0);
    assert_int_equal(alu2(MOV64_IMM(1, 77), MOV64_IMM(2, 0), ALU32_REG(OP_DIV, 1, 2)), 0);
    assert_int_equal(alu2(MOV64_IMM(1, 77), MOV64_IMM(2, 0), ALU64_IMM(OP_DIV, 1, 0)), 0);
    /* sdiv: offset 1 */
    assert_int_equal(alu2(MOV64_IMM(1, -77), MOV64_IMM(2, 0), INSN(0x3f, 1, 2, 1, 0)), 0);
}

static void
test_mod_by_zero_keeps_dst(void **state)
{
    (void)state;
    assert_int_equal(alu2(MOV64_IMM(1, 77), MOV64_IMM(2, 0), ALU64_REG(OP_MOD, 1, 2)), 77);
    /* 32-bit: dst keeps its low half, zero-extended */
    assert_int_equal(alu2(MOV64_IMM(1, -1), MOV64_IMM(2, 0), ALU32_REG(OP_MOD, 1, 2)),
                     0xffffffffu);
    assert_int_equal(alu2(MOV64_IMM(1, -5), MOV64_IMM(2, 0), INSN(0x9f, 1, 2, 1, 0)),
                     (uint64_t)-5);
}

static void
test_signed_overflow_wraps(void **state)
{
    (void)state;
    struct bpf_insn p[] = { LDDW_LO(1, 0x8000000000000000ull), LDDW_HI(0x8000000000000000ull),
                            MOV64_IMM(2, -1), INSN(0x3f, 1, 2, 1, 0), MOV64_REG(0, 1), EXIT() };
    assert_int_equal(bpf_test_r0(p, N(p)), 0x8000000000000000ull);
    p[3] = INSN(0x9f, 1, 2, 1, 0); /* smod INT64_MIN by -1 */
    assert_int_equal(bpf_test_r0(p, N(p)), 0);
    assert_int_equal(alu2(MOV32_IMM(1, INT32_MIN), MOV64_IMM(2, -1), INSN(0x3c, 1, 2, 1, 0)),
                     0x80000000u);
    assert_int_equal(alu2(MOV64_IMM(1, -7), MOV64_IMM(2, 2), INSN(0x9f, 1, 2, 1, 0)),
                     (uint64_t)-1); /* sign of the dividend */
}

static void
test_shifts_mask_their_amount(void **state)
{
    (void)state;
    assert_int_equal(alu2(MOV64_IMM(1, 1), MOV64_IMM(2, 65), ALU64_REG(OP_LSH, 1, 2)), 2);
    assert_int_equal(alu2(MOV64_IMM(1, 1), MOV64_IMM(2, 33), ALU32_REG(OP_LSH, 1, 2)), 2);
    assert_int_equal(alu2(MOV64_IMM(1, -16), MOV64_IMM(2, 2), ALU64_REG(OP_ARSH, 1, 2)),
                     (uint64_t)-4);
    assert_int_equal(alu2(MOV64_IMM(1, -16), MOV64_IMM(2, 2), ALU32_REG(OP_ARSH, 1, 2)),
                     0xfffffffcu);
}

static void
test_alu32_zero_extends(void **state)
{
    (void)state;
    assert_int_equal(alu2(MOV64_IMM(1, -1), MOV64_IMM(2, 1), ALU32_REG(OP_ADD, 1, 2)), 0);
    assert_int_equal(alu2(MOV64_IMM(1, -1), MOV64_IMM(2, 0), ALU32_REG(OP_MOV, 1, 1)),
                     0xffffffffu);
    assert_int_equal(alu2(MOV64_IMM(1, 1), MOV64_IMM(2, 0), INSN(0x84, 1, 0, 0, 0)),
                     0xffffffffu); /* neg32 */
}

static void
test_movsx_sign_extends(void **state)
{
    (void)state;
    assert_int_equal(alu2(MOV64_IMM(1, 0), MOV64_IMM(2, 0x80), INSN(0xbf, 1, 2, 8, 0)),
                     (uint64_t)-128);
    assert_int_equal(alu2(MOV64_IMM(1, 0), MOV64_IMM(2, 0x8000), INSN(0xbc, 1, 2, 16, 0)),
                     0xffff8000u);
    assert_int_equal(alu2(MOV64_IMM(1, 0), MOV32_IMM(2, INT32_MIN), INSN(0xbf, 1, 2, 32, 0)),
                     0xffffffff80000000ull);
}

static void
test_byte_swaps(void **state)
{
    (void)state;
    struct bpf_insn p[] = { LDDW_LO(1, 0x1122334455667788ull), LDDW_HI(0x1122334455667788ull),
                            INSN(0xdc, 1, 0, 0, 16), MOV64_REG(0, 1), EXIT() };
    assert_int_equal(bpf_test_r0(p, N(p)), 0x8877);
    p[2] = INSN(0xdc, 1, 0, 0, 64);
    assert_int_equal(bpf_test_r0(p, N(p)), 0x8877665544332211ull);
    p[2] = INSN(0xd4, 1, 0, 0, 32); /* le32 on a little-endian VM: truncate */
    assert_int_equal(bpf_test_r0(p, N(p)), 0x55667788u);
    p[2] = INSN(0xd7, 1, 0, 0, 32); /* bswap32 */
    assert_int_equal(bpf_test_r0(p, N(p)), 0x88776655u);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_div_by_zero_gives_zero),
        cmocka_unit_test(test_mod_by_zero_keeps_dst),
        cmocka_unit_test(test_signed_overflow_wraps),
        cmocka_unit_test(test_shifts_mask_their_amount),
        cmocka_unit_test(test_alu32_zero_extends),
        cmocka_unit_test(test_movsx_sign_extends),
        cmocka_unit_test(test_byte_swaps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
