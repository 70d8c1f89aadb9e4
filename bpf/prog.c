/* SPDX-License-Identifier: MIT */
/* Program loading: bpf_prog_load() verifies (verify.c) and then pre-decodes each
 * instruction into a struct bpf_op the interpreter (vm.c) executes directly: jump
 * targets made absolute, immediates sign-extended, helpers resolved to table slots,
 * map references to addresses, and r10-relative accesses the verifier proved in the
 * frame turned into unchecked forms.
 */
#include "bpf_impl.h"

#include <errno.h>

static const struct bpf_helper *
opts_helpers(const struct bpf_prog_opts *o, unsigned *n)
{
    if (o != NULL && o->helpers != NULL) {
        *n = o->nhelpers;
        return o->helpers;
    }
    *n = bpf_helpers_std_count;
    return bpf_helpers_std;
}

/* The r10 forms exist for the plain loads and for stores; sign-extending loads and
 * atomics through r10 keep the checked form. */
static uint8_t
frame_form(unsigned op)
{
    switch (op) {
    case OP_LDXW: return OP_LDXW_FP;
    case OP_LDXH: return OP_LDXH_FP;
    case OP_LDXB: return OP_LDXB_FP;
    case OP_LDXDW: return OP_LDXDW_FP;
    case OP_STW: return OP_STW_FP;
    case OP_STH: return OP_STH_FP;
    case OP_STB: return OP_STB_FP;
    case OP_STDW: return OP_STDW_FP;
    case OP_STXW: return OP_STXW_FP;
    case OP_STXH: return OP_STXH_FP;
    case OP_STXB: return OP_STXB_FP;
    case OP_STXDW: return OP_STXDW_FP;
    default: return (uint8_t)op;
    }
}

static uint64_t
lddw_value(const struct bpf_insn *i, unsigned op, const struct bpf_prog_opts *o)
{
    uint32_t lo = (uint32_t)i[0].imm, hi = (uint32_t)i[1].imm;
    switch (op) {
    case OP_LDDW_MAP:
    case OP_LDDW_MAPIDX:
        return (uint64_t)(uintptr_t)o->maps[lo];
    case OP_LDDW_MAPVAL:
    case OP_LDDW_VALIDX:
        return (uint64_t)(uintptr_t)o->maps[lo]->values + hi;
    default:
        return ((uint64_t)hi << 32) | lo;
    }
}

static void
decode(struct bpf_op *o, const struct bpf_insn *i, uint32_t pc, const struct bpf_prog_opts *opts)
{
    unsigned op = o->op;
    const struct bpf_opdesc *d = &bpf_optab[op];
    *o = (struct bpf_op){ .op = (uint8_t)op, .dst = (uint8_t)bpf_insn_dst(i),
                          .src = (uint8_t)bpf_insn_src(i), .off = i->off,
                          .imm = (uint64_t)(int64_t)i->imm };
    unsigned nh;
    const struct bpf_helper *h = opts_helpers(opts, &nh);
    switch (d->kind) {
    case K_JA32:
        o->op = OP_JA;
        o->off = (int32_t)(pc + 1 + (uint32_t)i->imm);
        break;
    case K_CALL_LOCAL:
        o->off = (int32_t)(pc + 1 + (uint32_t)i->imm);
        break;
    case K_JA:
    case K_JMP_K:
    case K_JMP_X:
        o->off = (int32_t)pc + 1 + i->off;
        break;
    case K_CALL:
        o->imm = (uint64_t)bpf_helper_find(h, nh, (uint32_t)i->imm);
        break;
    case K_LDDW:
        o->op = OP_LDDW;
        o->imm = lddw_value(i, op, opts);
        break;
    case K_LDX:
        o->op = o->src == 10 ? frame_form(op) : (uint8_t)op;
        break;
    case K_ST:
    case K_STX:
        o->op = o->dst == 10 ? frame_form(op) : (uint8_t)op;
        break;
    default:
        break;
    }
}

int
bpf_prog_load(struct bpf_prog *p, struct bpf_op *ops, uint32_t cap, const struct bpf_insn *insns,
              uint32_t n, const struct bpf_prog_opts *opts, struct bpf_verr *err)
{
    struct bpf_verr dummy;
    if (p == NULL || ops == NULL) {
        return -EINVAL;
    }
    if (cap < n) {
        return -ENOSPC;
    }
    int rc = bpf_verify(insns, n, opts, ops, err != NULL ? err : &dummy);
    if (rc != 0) {
        return rc;
    }
    /* ops[] holds each slot's op number from the verifier; decode in place */
    for (uint32_t pc = 0; pc < n; pc++) {
        bool wide = bpf_optab[ops[pc].op].kind == K_LDDW;
        decode(&ops[pc], &insns[pc], pc, opts);
        if (wide) {
            ops[++pc] = (struct bpf_op){ .op = OP_EXIT }; /* second slot: never reached */
        }
    }
    unsigned nh;
    p->ops = ops;
    p->len = n;
    p->helpers = opts_helpers(opts, &nh);
    p->nhelpers = nh;
    p->maps = opts != NULL ? opts->maps : NULL;
    p->nmaps = opts != NULL ? opts->nmaps : 0;
    p->allowed = opts != NULL ? opts->allowed : NULL;
    p->nallowed = opts != NULL ? opts->nallowed : 0;
    return 0;
}
