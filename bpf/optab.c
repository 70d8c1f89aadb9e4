/* SPDX-License-Identifier: MIT */
/* The legal instruction set: bpf_optab[] generated from opcodes.def, and
 * bpf_op_find(), which maps an encoded instruction to its internal op or explains
 * why it is not legal. Used by the verifier (verify.c), the loader's decoder
 * (prog.c) and the disassembler (disasm.c).
 */
#include "bpf_impl.h"

const struct bpf_opdesc bpf_optab[OP_COUNT] = {
#define BPF_OP(name, c, s, sv, z, du, k, mn) \
    [OP_##name] = { .code = (c), .sel = (s), .zero = (z), .dstuse = (du), .kind = (k), \
                    .selval = (sv), .mnemonic = (mn) },
#define BPF_OP_INTERNAL(name, mn) [OP_##name] = { .kind = K_INTERNAL, .mnemonic = (mn) },
#include "opcodes.def"
#undef BPF_OP
#undef BPF_OP_INTERNAL
};

static int32_t
sel_value(const struct bpf_insn *i, unsigned sel)
{
    switch (sel) {
    case SEL_OFF:
        return i->off;
    case SEL_IMM:
        return i->imm;
    case SEL_SRC:
        return (int32_t)bpf_insn_src(i);
    default:
        return 0;
    }
}

static const char *
sel_reason(unsigned sel)
{
    switch (sel) {
    case SEL_OFF:
        return "invalid offset field for this opcode";
    case SEL_IMM:
        return "invalid immediate for this opcode";
    default:
        return "invalid source register field for this opcode";
    }
}

static const char *
zero_reason(const struct bpf_insn *i, unsigned zero)
{
    if ((zero & Z_DST) && bpf_insn_dst(i) != 0) {
        return "destination register field must be 0";
    }
    if ((zero & Z_SRC) && bpf_insn_src(i) != 0) {
        return "source register field must be 0";
    }
    if ((zero & Z_OFF) && i->off != 0) {
        return "offset field must be 0";
    }
    if ((zero & Z_IMM) && i->imm != 0) {
        return "immediate field must be 0";
    }
    return NULL;
}

int
bpf_op_find(const struct bpf_insn *i, const char **why)
{
    const char *reason = "unknown opcode";
    for (int op = 0; op < OP_COUNT; op++) {
        const struct bpf_opdesc *d = &bpf_optab[op];
        if (d->kind == K_INTERNAL || d->code != i->code) {
            continue;
        }
        if (d->sel != SEL_NONE && sel_value(i, d->sel) != d->selval) {
            reason = sel_reason(d->sel);
            continue;
        }
        const char *bad = zero_reason(i, d->zero);
        if (bad != NULL) {
            *why = bad;
            return -1;
        }
        return op;
    }
    *why = reason;
    return -1;
}
