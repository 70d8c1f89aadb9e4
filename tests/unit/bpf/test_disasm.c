/* SPDX-License-Identifier: MIT */
/* The disassembler prints the conformance assembly dialect from the opcode table. */
#include "bpf_test_util.h"

static void
expect(struct bpf_insn a, struct bpf_insn b, const char *text, unsigned slots)
{
    struct bpf_insn p[2] = { a, b };
    char buf[96];
    assert_int_equal(bpf_disasm_insn(p, 2, 0, buf, sizeof(buf)), slots);
    assert_string_equal(buf, text);
}

static void
test_forms(void **state)
{
    (void)state;
    struct bpf_insn z = EXIT();
    expect(ALU32_IMM(OP_ADD, 1, -3), z, "add32 %r1, -3", 1);
    expect(ALU64_REG(OP_XOR, 2, 3), z, "xor %r2, %r3", 1);
    expect(INSN(0x3f, 1, 2, 1, 0), z, "sdiv %r1, %r2", 1);
    expect(INSN(0xbf, 1, 2, 16, 0), z, "movsx1664 %r1, %r2", 1);
    expect(INSN(0xdc, 4, 0, 0, 32), z, "be32 %r4", 1);
    expect(INSN(0x79, 0, 1, -8, 0), z, "ldxdw %r0, [%r1-8]", 1);
    expect(INSN(0x72, 10, 0, 4, 7), z, "stb [%r10+4], 7", 1);
    expect(INSN(0xdb, 1, 2, 0, 0xf1), z, "lock cmpxchg [%r1+0], %r2", 1);
    expect(INSN(0xc3, 1, 2, 8, 0x01), z, "lock fetch add32 [%r1+8], %r2", 1);
    expect(JMP_IMM(OP_JSGT, 1, 5, -2), z, "jsgt %r1, 5, -2", 1);
    expect(INSN(0x06, 0, 0, 0, 300), z, "ja32 +300", 1);
    expect(CALL_LOCAL(4), z, "call local +4", 1);
    expect(INSN(0x8d, 3, 0, 0, 0), z, "call %r3", 1);
    expect(LDDW_LO(2, 0x1122334455667788ull), LDDW_HI(0x1122334455667788ull),
           "lddw %r2, 0x1122334455667788", 2);
    expect(INSN(0x18, 1, 2, 0, 1), INSN(0, 0, 0, 0, 16), "lddw %r1, map[1]+16", 2);
    expect(z, z, "exit", 1);
    expect(INSN(0xff, 0, 0, 0, 0), z, ".insn 0xff ; unknown opcode", 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = { cmocka_unit_test(test_forms) };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
