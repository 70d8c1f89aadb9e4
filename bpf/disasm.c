/* SPDX-License-Identifier: MIT */
/* Disassembler: bpf_disasm_insn() prints one instruction in the assembly dialect of
 * the conformance suite (so its output assembles again), using the mnemonics and
 * operand shapes from opcodes.def. Used by tools/bpf-dis.c and in verifier reports.
 */
#include "bpf_impl.h"

static void
reg(struct bpf_fmt *f, unsigned r)
{
    bpf_fmt_str(f, "%r");
    bpf_fmt_udec(f, r);
}

static void
signed_disp(struct bpf_fmt *f, int64_t v)
{
    if (v >= 0) {
        bpf_fmt_chr(f, '+');
    }
    bpf_fmt_dec(f, v);
}

static void
memref(struct bpf_fmt *f, unsigned r, int16_t off)
{
    bpf_fmt_chr(f, '[');
    reg(f, r);
    signed_disp(f, off);
    bpf_fmt_chr(f, ']');
}

static void
lddw_operand(struct bpf_fmt *f, const struct bpf_insn *i, uint32_t hi)
{
    unsigned src = bpf_insn_src(i);
    if (src == 0) {
        bpf_fmt_str(f, "0x");
        bpf_fmt_hex(f, ((uint64_t)hi << 32) | (uint32_t)i->imm, 1);
        return;
    }
    bpf_fmt_str(f, "map[");
    bpf_fmt_udec(f, (uint32_t)i->imm);
    bpf_fmt_chr(f, ']');
    if (src == 2 || src == 6) {
        bpf_fmt_chr(f, '+');
        bpf_fmt_udec(f, hi);
    }
}

static void
operands(struct bpf_fmt *f, const struct bpf_insn *i, unsigned kind, uint32_t hi)
{
    unsigned d = bpf_insn_dst(i), s = bpf_insn_src(i);
    switch (kind) {
    case K_ALU_K: reg(f, d); bpf_fmt_str(f, ", "); bpf_fmt_dec(f, i->imm); break;
    case K_ALU_X: reg(f, d); bpf_fmt_str(f, ", "); reg(f, s); break;
    case K_ALU_U: reg(f, d); break;
    case K_JA: signed_disp(f, i->off); break;
    case K_JA32: signed_disp(f, i->imm); break;
    case K_JMP_K:
        reg(f, d); bpf_fmt_str(f, ", "); bpf_fmt_dec(f, i->imm); bpf_fmt_str(f, ", ");
        signed_disp(f, i->off);
        break;
    case K_JMP_X:
        reg(f, d); bpf_fmt_str(f, ", "); reg(f, s); bpf_fmt_str(f, ", ");
        signed_disp(f, i->off);
        break;
    case K_CALL: bpf_fmt_dec(f, i->imm); break;
    case K_CALL_LOCAL: signed_disp(f, i->imm); break;
    case K_CALLX: reg(f, d); break;
    case K_LDDW: reg(f, d); bpf_fmt_str(f, ", "); lddw_operand(f, i, hi); break;
    case K_LDX: reg(f, d); bpf_fmt_str(f, ", "); memref(f, s, i->off); break;
    case K_ST: memref(f, d, i->off); bpf_fmt_str(f, ", "); bpf_fmt_dec(f, i->imm); break;
    case K_STX:
    case K_ATOMIC: memref(f, d, i->off); bpf_fmt_str(f, ", "); reg(f, s); break;
    default: break;
    }
}

unsigned
bpf_disasm_insn(const struct bpf_insn *insns, uint32_t n, uint32_t pc, char *buf, size_t size)
{
    struct bpf_fmt f;
    const char *why;
    bpf_fmt_init(&f, buf, size);
    if (insns == NULL || pc >= n) {
        return 1;
    }
    const struct bpf_insn *i = &insns[pc];
    int op = bpf_op_find(i, &why);
    if (op < 0) {
        bpf_fmt_str(&f, ".insn 0x");
        bpf_fmt_hex(&f, i->code, 2);
        bpf_fmt_str(&f, " ; ");
        bpf_fmt_str(&f, why);
        return 1;
    }
    const struct bpf_opdesc *d = &bpf_optab[op];
    bool wide = d->kind == K_LDDW && pc + 1 < n;
    if (d->kind == K_ATOMIC) {
        bpf_fmt_str(&f, "lock ");
    }
    bpf_fmt_str(&f, d->mnemonic);
    if (d->kind != K_EXIT) {
        bpf_fmt_chr(&f, ' ');
    }
    operands(&f, i, d->kind, wide ? (uint32_t)insns[pc + 1].imm : 0);
    return wide ? 2 : 1;
}
