/* SPDX-License-Identifier: MIT */
/* Load-time verifier: bpf_verify(). Four passes over the program, using caller
 * scratch (one struct bpf_op per slot) instead of a heap: (1) each instruction alone
 * (legal opcode, zero fields, registers, r10, lddw pairs, helpers known and allowed,
 * stack offsets), (2) control flow (targets, function boundaries, falling off), (3) a
 * data-flow analysis of which registers are written on every path before they are
 * read, and of which may hold a map that is read-only to programs when a map-writing
 * helper gets it, (4) a straight-line walk that knows which registers point into a
 * map value at a constant offset and refuses accesses outside the value.
 * The interpreter (vm.c) relies on what is proven here. Messages: bpf_verr_format().
 */
#include "bpf_impl.h"

#include <errno.h>

/* Scratch use of struct bpf_op during verification:
 *   op   internal op number      aux  F_* flags
 *   off  bits 0-10: registers known written (bit n = rN) on every path reaching the slot;
 *        bits 16-26: registers that may hold a BPF_F_RDONLY_PROG map on some path
 *   imm  bits 0-31: next slot on the work list; bits 32-63: start of its function */
enum {
    F_SECOND = 1, /* second slot of lddw */
    F_FUNC = 2,   /* first instruction of a function */
    F_SEEN = 4,   /* reached by the flow analysis */
    F_QUEUED = 8, /* on the work list */
    F_TARGET = 16, /* target of a jump (not of a local call: that is F_FUNC) */
};

#define REG(n)   (1u << (n))
#define R1_TO_R5 0x3eu
#define R0_TO_R5 0x3fu
#define ALL_REGS 0x7ffu
#define RO_SHIFT 16
#define NO_NEXT  0xffffffffu

struct verifier {
    const struct bpf_insn *insns;
    uint32_t n;
    const struct bpf_prog_opts *opts;
    struct bpf_op *s;
    struct bpf_verr *err;
    uint32_t work; /* head of the work list */
};

static int
refuse(struct verifier *v, uint32_t pc, int reg, const char *reason)
{
    *v->err = (struct bpf_verr){ .pc = pc, .opcode = pc < v->n ? v->insns[pc].code : 0,
                                 .reg = (int8_t)reg, .reason = reason };
    return -EINVAL;
}

static int64_t
branch_target(const struct bpf_insn *i, uint32_t pc)
{
    /* ja32 and local calls carry the displacement in imm, other jumps in off */
    int64_t disp = (i->code == 0x06 || i->code == 0x85) ? (int64_t)i->imm : (int64_t)i->off;
    return (int64_t)pc + 1 + disp;
}

static bool
is_branch(unsigned kind)
{
    return kind == K_JA || kind == K_JA32 || kind == K_JMP_K || kind == K_JMP_X ||
           kind == K_CALL_LOCAL;
}

static const struct bpf_helper *
verifier_helpers(const struct verifier *v, unsigned *n)
{
    bool own = v->opts != NULL && v->opts->helpers != NULL;
    *n = own ? v->opts->nhelpers : bpf_helpers_std_count;
    return own ? v->opts->helpers : bpf_helpers_std;
}

/* The helper a call instruction names, or NULL. */
static const struct bpf_helper *
call_helper(const struct verifier *v, const struct bpf_insn *i)
{
    unsigned nh;
    const struct bpf_helper *h = verifier_helpers(v, &nh);
    int k = bpf_helper_find(h, nh, (uint32_t)i->imm);
    return k < 0 ? NULL : &h[k];
}

static uint32_t
map_value_size(const struct bpf_map *m)
{
    return m->def.type == BPF_MAP_TYPE_ARRAY ? m->def.value_size : 0;
}

/* lddw: its second slot, and the map it names for the pseudo sources. */
static int
check_lddw(struct verifier *v, uint32_t pc, unsigned op)
{
    if (pc + 1 >= v->n) {
        return refuse(v, pc, -1, "lddw is missing its second slot");
    }
    const struct bpf_insn *hi = &v->insns[pc + 1];
    if (hi->code != 0 || hi->regs != 0 || hi->off != 0) {
        return refuse(v, pc, -1, "second slot of lddw must have zero opcode, registers, offset");
    }
    v->s[pc + 1].aux |= F_SECOND;
    if (op == OP_LDDW) {
        return 0;
    }
    uint32_t idx = (uint32_t)v->insns[pc].imm;
    if (v->opts == NULL || idx >= v->opts->nmaps || v->opts->maps[idx] == NULL) {
        return refuse(v, pc, -1, "lddw refers to a map that does not exist");
    }
    if ((op == OP_LDDW_MAPVAL || op == OP_LDDW_VALIDX) &&
        (uint32_t)hi->imm >= map_value_size(v->opts->maps[idx])) {
        return refuse(v, pc, -1, "lddw map value offset outside the value (or not an array)");
    }
    return 0;
}

/* Accesses through r10 with a constant offset must stay inside the frame. */
static int
check_stack(struct verifier *v, uint32_t pc, const struct bpf_opdesc *d)
{
    const struct bpf_insn *i = &v->insns[pc];
    unsigned base = d->kind == K_LDX ? bpf_insn_src(i) : bpf_insn_dst(i);
    if (base != 10) {
        return 0;
    }
    int32_t size = (int32_t)bpf_mem_size(i->code);
    if (i->off < -(int32_t)BPF_STACK_SIZE || i->off > -size) {
        return refuse(v, pc, 10, "stack access through r10 outside the 512-byte frame");
    }
    return 0;
}

static int
check_regs(struct verifier *v, uint32_t pc, unsigned op)
{
    const struct bpf_insn *i = &v->insns[pc];
    const struct bpf_opdesc *d = &bpf_optab[op];
    if (bpf_insn_dst(i) > 10) {
        return refuse(v, pc, (int)bpf_insn_dst(i), "destination register out of range");
    }
    if (bpf_insn_src(i) > 10) {
        return refuse(v, pc, (int)bpf_insn_src(i), "source register out of range");
    }
    if ((d->dstuse == D_W || d->dstuse == D_RW) && bpf_insn_dst(i) == 10) {
        return refuse(v, pc, 10, "writes r10, which is read-only");
    }
    if (d->kind == K_ATOMIC && (i->imm & 1) && op != OP_ACMPXCHG32 && op != OP_ACMPXCHG64 &&
        bpf_insn_src(i) == 10) {
        return refuse(v, pc, 10, "atomic fetch would write r10, which is read-only");
    }
    return 0;
}

/* The helper must be in the table and, if the caller restricts them (a hook's list),
 * allowed; the message names it. */
static int
check_call(struct verifier *v, uint32_t pc)
{
    uint32_t id = (uint32_t)v->insns[pc].imm;
    const struct bpf_helper *h = call_helper(v, &v->insns[pc]);
    int err = 0;
    if (h == NULL) {
        err = refuse(v, pc, -1, "call to unknown helper %i");
    } else if (v->opts != NULL && !bpf_helper_allowed(v->opts->allowed, v->opts->nallowed, id)) {
        err = refuse(v, pc, -1, "helper %n is not allowed at %w");
        v->err->name = h->name;
        v->err->where = v->opts->allowed_at;
    }
    v->err->id = id;
    return err;
}

/* Pass 1: every instruction on its own. */
static int
check_insn(struct verifier *v, uint32_t pc)
{
    const char *why = NULL;
    int op = bpf_op_find(&v->insns[pc], &why);
    if (op < 0) {
        return refuse(v, pc, -1, why);
    }
    v->s[pc].op = (uint8_t)op;
    const struct bpf_opdesc *d = &bpf_optab[op];
    int err = check_regs(v, pc, (unsigned)op);
    if (err == 0 && d->kind == K_LDDW) {
        err = check_lddw(v, pc, (unsigned)op);
    }
    if (err == 0 && d->kind == K_CALL) {
        err = check_call(v, pc);
    }
    if (err == 0 && (d->kind == K_LDX || d->kind == K_ST || d->kind == K_STX ||
                     d->kind == K_ATOMIC)) {
        err = check_stack(v, pc, d);
    }
    if (err == 0 && is_branch(d->kind)) {
        int64_t t = branch_target(&v->insns[pc], pc);
        if (t < 0 || t >= (int64_t)v->n) {
            return refuse(v, pc, -1, d->kind == K_CALL_LOCAL ? "local call target outside the program"
                                                             : "jump target outside the program");
        }
        v->s[t].aux |= d->kind == K_CALL_LOCAL ? F_FUNC : F_TARGET;
    }
    return err;
}

static uint32_t
func_of(const struct verifier *v, uint32_t pc)
{
    return (uint32_t)(v->s[pc].imm >> 32);
}

static uint32_t
insn_slots(const struct verifier *v, uint32_t pc)
{
    return bpf_optab[v->s[pc].op].kind == K_LDDW ? 2 : 1;
}

/* Pass 2: targets land on instructions of the same function; no fall-through. */
static int
check_flow(struct verifier *v)
{
    uint32_t func = 0;
    v->s[0].aux |= F_FUNC;
    for (uint32_t pc = 0; pc < v->n; pc++) {
        if (v->s[pc].aux & F_FUNC) {
            func = pc;
        }
        v->s[pc].imm = (uint64_t)func << 32;
    }
    for (uint32_t pc = 0; pc < v->n; pc += insn_slots(v, pc)) {
        const struct bpf_opdesc *d = &bpf_optab[v->s[pc].op];
        if (is_branch(d->kind)) {
            uint32_t t = (uint32_t)branch_target(&v->insns[pc], pc);
            if (v->s[t].aux & F_SECOND) {
                return refuse(v, pc, -1, "jump into the second slot of lddw");
            }
            if (d->kind != K_CALL_LOCAL && func_of(v, t) != func_of(v, pc)) {
                return refuse(v, pc, -1, "jump crosses a function boundary");
            }
        }
        if (d->kind == K_JA || d->kind == K_JA32 || d->kind == K_EXIT) {
            continue;
        }
        uint32_t next = pc + insn_slots(v, pc);
        if (next >= v->n || (v->s[next].aux & F_FUNC)) {
            return refuse(v, pc, -1, "execution can fall off the end of the function");
        }
    }
    return 0;
}

/* ---- pass 3: registers written before read, on every path; read-only maps ----
 * The state at a slot is two register masks packed in one word (see the scratch use
 * above): "known written" meets by intersection, "may hold a read-only map" by union.
 * Each mask can only shrink or grow, at most 11 times, so every slot is queued at most
 * 22 times. */

static uint32_t
flow_state(uint32_t known, uint32_t ro)
{
    return known | (ro << RO_SHIFT);
}

static uint32_t
state_known(uint32_t st)
{
    return st & ALL_REGS;
}

static uint32_t
state_ro(uint32_t st)
{
    return (st >> RO_SHIFT) & ALL_REGS;
}

static void
flow_merge(struct verifier *v, uint32_t pc, uint32_t st)
{
    struct bpf_op *s = &v->s[pc];
    if (s->aux & F_SEEN) {
        uint32_t old = (uint32_t)s->off;
        st = flow_state(state_known(old) & state_known(st), state_ro(old) | state_ro(st));
        if (st == old) {
            return;
        }
    }
    s->off = (int32_t)st;
    s->aux |= F_SEEN;
    if (!(s->aux & F_QUEUED)) {
        s->aux |= F_QUEUED;
        s->imm = (s->imm & ~(uint64_t)0xffffffffu) | v->work;
        v->work = pc;
    }
}

static uint32_t
written_by(const struct bpf_insn *i, unsigned op, uint32_t known)
{
    const struct bpf_opdesc *d = &bpf_optab[op];
    switch (d->kind) {
    case K_CALL:
    case K_CALLX:
    case K_CALL_LOCAL:
        return (known & ~R1_TO_R5) | REG(0);
    case K_ATOMIC:
        if (op == OP_ACMPXCHG32 || op == OP_ACMPXCHG64) {
            return known | REG(0);
        }
        return (i->imm & 1) ? known | REG(bpf_insn_src(i)) : known;
    default:
        return (d->dstuse == D_W || d->dstuse == D_RW) ? known | REG(bpf_insn_dst(i)) : known;
    }
}

/* Registers that may hold a read-only map after @i, from @ro before it. Only lddw of
 * a map and 64-bit register moves carry a map; any other write ends it. A local call's
 * result in r0 is not followed (the helper's own run-time check covers it), nor are
 * maps stored to memory and loaded back. */
static uint32_t
ro_maps_after(const struct verifier *v, const struct bpf_insn *i, unsigned op, uint32_t ro)
{
    uint32_t dst = REG(bpf_insn_dst(i));
    const struct bpf_opdesc *d = &bpf_optab[op];
    switch (d->kind) {
    case K_CALL:
    case K_CALLX:
    case K_CALL_LOCAL:
        return ro & ~R0_TO_R5;
    case K_LDDW:
        if (op == OP_LDDW_MAP || op == OP_LDDW_MAPIDX) {
            const struct bpf_map *m = v->opts->maps[(uint32_t)i->imm];
            return (m->def.flags & BPF_F_RDONLY_PROG) ? ro | dst : ro & ~dst;
        }
        return ro & ~dst;
    case K_ATOMIC:
        if (op == OP_ACMPXCHG32 || op == OP_ACMPXCHG64) {
            return ro & ~REG(0);
        }
        return (i->imm & 1) ? ro & ~REG(bpf_insn_src(i)) : ro;
    default:
        if (op == OP_MOV64_X) {
            return (ro & REG(bpf_insn_src(i))) ? ro | dst : ro & ~dst;
        }
        return (d->dstuse == D_W || d->dstuse == D_RW) ? ro & ~dst : ro;
    }
}

static void
flow_step(struct verifier *v, uint32_t pc)
{
    const struct bpf_insn *i = &v->insns[pc];
    unsigned op = v->s[pc].op;
    unsigned kind = bpf_optab[op].kind;
    uint32_t known = state_known((uint32_t)v->s[pc].off);
    uint32_t ro = state_ro((uint32_t)v->s[pc].off);
    uint32_t out = flow_state(written_by(i, op, known), ro_maps_after(v, i, op, ro));
    if (kind == K_EXIT) {
        return;
    }
    if (is_branch(kind)) {
        uint32_t t = (uint32_t)branch_target(i, pc);
        if (kind == K_CALL_LOCAL) {
            flow_merge(v, t, flow_state((known & R1_TO_R5) | REG(10), ro & R1_TO_R5));
        } else {
            flow_merge(v, t, out);
        }
        if (kind == K_JA || kind == K_JA32) {
            return;
        }
    }
    flow_merge(v, pc + insn_slots(v, pc), out);
}

static uint32_t
read_by(const struct verifier *v, uint32_t pc)
{
    const struct bpf_insn *i = &v->insns[pc];
    unsigned op = v->s[pc].op;
    const struct bpf_opdesc *d = &bpf_optab[op];
    uint32_t dst = REG(bpf_insn_dst(i)), src = REG(bpf_insn_src(i));
    switch (d->kind) {
    case K_ALU_K:
        return d->dstuse == D_RW ? dst : 0;
    case K_ALU_X:
        return d->dstuse == D_RW ? dst | src : src;
    case K_ALU_U:
    case K_JMP_K:
    case K_ST:
    case K_CALLX:
        return dst;
    case K_JMP_X:
    case K_STX:
        return dst | src;
    case K_LDX:
        return src;
    case K_ATOMIC:
        return dst | src | ((op == OP_ACMPXCHG32 || op == OP_ACMPXCHG64) ? REG(0) : 0);
    case K_EXIT:
        return REG(0);
    case K_CALL: {
        const struct bpf_helper *h = call_helper(v, i);
        return h == NULL ? 0 : (uint32_t)((1u << (h->nargs + 1)) - 2u);
    }
    default:
        return 0;
    }
}

/* A helper that changes the map in r1 must not get one that is read-only to programs. */
static bool
writes_ro_map(const struct verifier *v, uint32_t pc)
{
    const struct bpf_insn *i = &v->insns[pc];
    if (bpf_optab[v->s[pc].op].kind != K_CALL) {
        return false;
    }
    const struct bpf_helper *h = call_helper(v, i);
    return h != NULL && (h->flags & BPF_HELPER_WRITES_MAP) &&
           (state_ro((uint32_t)v->s[pc].off) & REG(1));
}

static int
check_init(struct verifier *v)
{
    v->work = NO_NEXT;
    flow_merge(v, 0, flow_state(REG(1) | REG(2) | REG(10), 0));
    while (v->work != NO_NEXT) {
        uint32_t pc = v->work;
        v->work = (uint32_t)v->s[pc].imm;
        v->s[pc].aux &= (uint8_t)~F_QUEUED;
        flow_step(v, pc);
    }
    for (uint32_t pc = 0; pc < v->n; pc += insn_slots(v, pc)) {
        if (!(v->s[pc].aux & F_SEEN)) {
            continue;
        }
        uint32_t missing = read_by(v, pc) & ~state_known((uint32_t)v->s[pc].off);
        for (int r = 0; r <= 10; r++) {
            if (missing & REG(r)) {
                return refuse(v, pc, r, "reads a register not written on every path to here");
            }
        }
        if (writes_ro_map(v, pc)) {
            return refuse(v, pc, 1, "helper would change a map that is read-only to programs");
        }
    }
    return 0;
}

/* ---- pass 4: accesses through pointers into a map value at a known offset ----
 * A walk in program order keeps, per register, what it is known to hold: a map
 * handle (lddw src 1/5), or a pointer into one value of a map at a constant offset
 * (lddw src 2/6 of an array; the result of the standard map_lookup_elem on an array
 * or hash map whose handle is in r1, which may also be NULL). Only 64-bit register
 * moves and 64-bit add/sub of an immediate carry it; any other write forgets it. A
 * slot with a predecessor other than the one before it (a jump target, a function
 * entry, after ja/exit) starts with nothing known, so no state has to be joined: the
 * walk is sound without the scratch a per-path analysis would need. Each access at a
 * known place must lie inside the value; the rest stays with the run-time checks. */
enum { MV_NONE, MV_MAP, MV_VALUE };

#define MV_MAX_OFF 0x7fffffffLL

struct map_reg {
    int32_t off;  /* MV_VALUE: bytes from the start of the value */
    uint16_t map; /* index in opts->maps */
    uint8_t kind; /* MV_* */
};

static void
map_regs_forget(struct map_reg *regs, uint32_t mask)
{
    for (unsigned r = 0; r <= 10; r++) {
        if (mask & REG(r)) {
            regs[r].kind = MV_NONE;
        }
    }
}

static void
map_reg_set(struct map_reg *r, uint8_t kind, uint32_t map, int64_t off)
{
    bool fits = map <= UINT16_MAX && off >= -MV_MAX_OFF && off <= MV_MAX_OFF;
    *r = (struct map_reg){ .off = (int32_t)off, .map = (uint16_t)map,
                           .kind = fits ? kind : (uint8_t)MV_NONE };
}

/* map_lookup_elem of the standard table (embedders copy its entries): its result
 * points to one value of the map in r1, or is NULL. */
static bool
is_std_lookup(const struct bpf_helper *h)
{
    for (unsigned k = 0; k < bpf_helpers_std_count; k++) {
        if (bpf_helpers_std[k].id == BPF_FUNC_map_lookup_elem) {
            return h != NULL && h->id == BPF_FUNC_map_lookup_elem &&
                   h->fn == bpf_helpers_std[k].fn;
        }
    }
    return false;
}

static void
map_call(const struct verifier *v, const struct bpf_insn *i, struct map_reg *regs)
{
    struct map_reg r1 = regs[1];
    map_regs_forget(regs, R0_TO_R5);
    if (r1.kind != MV_MAP || !is_std_lookup(call_helper(v, i))) {
        return;
    }
    uint32_t type = v->opts->maps[r1.map]->def.type;
    if (type == BPF_MAP_TYPE_ARRAY || type == BPF_MAP_TYPE_HASH) {
        map_reg_set(&regs[0], MV_VALUE, r1.map, 0);
    }
}

/* The instructions that make or carry what a register points to; false for the rest. */
static bool
map_carry(const struct bpf_insn *i, unsigned op, struct map_reg *regs)
{
    struct map_reg *dst = &regs[bpf_insn_dst(i)];
    switch (op) {
    case OP_LDDW_MAP:
    case OP_LDDW_MAPIDX:
        map_reg_set(dst, MV_MAP, (uint32_t)i->imm, 0);
        return true;
    case OP_LDDW_MAPVAL:
    case OP_LDDW_VALIDX:
        map_reg_set(dst, MV_VALUE, (uint32_t)i->imm, (uint32_t)i[1].imm);
        return true;
    case OP_MOV64_X:
        *dst = regs[bpf_insn_src(i)];
        return true;
    case OP_ADD64_K:
    case OP_SUB64_K:
        if (dst->kind == MV_VALUE) {
            int64_t k = op == OP_ADD64_K ? (int64_t)i->imm : -(int64_t)i->imm;
            map_reg_set(dst, MV_VALUE, dst->map, dst->off + k);
        } else {
            dst->kind = MV_NONE;
        }
        return true;
    default:
        return false;
    }
}

/* What @i leaves in the registers. */
static void
map_effect(const struct verifier *v, const struct bpf_insn *i, unsigned op,
           struct map_reg *regs)
{
    const struct bpf_opdesc *d = &bpf_optab[op];
    if (map_carry(i, op, regs)) {
        return;
    }
    switch (d->kind) {
    case K_CALL:
        map_call(v, i, regs);
        break;
    case K_CALLX:
    case K_CALL_LOCAL:
        map_regs_forget(regs, R0_TO_R5); /* r6-r9 survive a local call */
        break;
    case K_JA:
    case K_JA32:
    case K_EXIT:
        map_regs_forget(regs, ALL_REGS); /* what follows is reached by jumps only */
        break;
    case K_ATOMIC: /* cmpxchg writes r0, the fetch forms their src */
        if (op == OP_ACMPXCHG32 || op == OP_ACMPXCHG64) {
            regs[0].kind = MV_NONE;
        } else if (i->imm & 1) {
            regs[bpf_insn_src(i)].kind = MV_NONE;
        }
        break;
    default:
        if (d->dstuse == D_W || d->dstuse == D_RW) {
            regs[bpf_insn_dst(i)].kind = MV_NONE;
        }
        break;
    }
}

/* A load, store or atomic whose base is known to point into a map value must stay
 * inside that value. */
static int
map_access(struct verifier *v, uint32_t pc, const struct map_reg *regs)
{
    const struct bpf_insn *i = &v->insns[pc];
    unsigned kind = bpf_optab[v->s[pc].op].kind;
    if (kind != K_LDX && kind != K_ST && kind != K_STX && kind != K_ATOMIC) {
        return 0;
    }
    const struct map_reg *base = &regs[kind == K_LDX ? bpf_insn_src(i) : bpf_insn_dst(i)];
    if (base->kind != MV_VALUE) {
        return 0;
    }
    const struct bpf_map *m = v->opts->maps[base->map];
    int64_t at = (int64_t)base->off + i->off;
    uint32_t size = bpf_mem_size(i->code);
    if (at >= 0 && at + size <= m->def.value_size) {
        return 0;
    }
    int err = refuse(v, pc, -1, "access at offset %o of %z bytes is outside map '%n' value "
                                "(%l bytes)");
    v->err->name = m->name;
    v->err->off = at;
    v->err->size = size;
    v->err->limit = m->def.value_size;
    return err;
}

static int
check_map_values(struct verifier *v)
{
    struct map_reg regs[11] = { 0 }; /* all MV_NONE */
    for (uint32_t pc = 0; pc < v->n; pc += insn_slots(v, pc)) {
        if (v->s[pc].aux & (F_FUNC | F_TARGET)) {
            map_regs_forget(regs, ALL_REGS);
        }
        /* unreached code never runs: it is walked for the state, not refused */
        int err = (v->s[pc].aux & F_SEEN) ? map_access(v, pc, regs) : 0;
        if (err != 0) {
            return err;
        }
        map_effect(v, &v->insns[pc], v->s[pc].op, regs);
    }
    return 0;
}

int
bpf_verify(const struct bpf_insn *insns, uint32_t n, const struct bpf_prog_opts *opts,
           struct bpf_op *scratch, struct bpf_verr *err)
{
    struct verifier v = { insns, n, opts, scratch, err, NO_NEXT };
    uint32_t max = opts && opts->max_insns ? opts->max_insns : BPF_MAX_INSNS;
    if (n == 0 || insns == NULL) {
        return refuse(&v, 0, -1, "program is empty");
    }
    if (n > max) {
        refuse(&v, max, -1, "program is longer than the configured limit");
        return -E2BIG;
    }
    for (uint32_t pc = 0; pc < n; pc++) {
        scratch[pc] = (struct bpf_op){ 0 };
    }
    for (uint32_t pc = 0; pc < n; pc++) {
        if (scratch[pc].aux & F_SECOND) {
            continue;
        }
        int e = check_insn(&v, pc);
        if (e != 0) {
            return e;
        }
    }
    int e = check_flow(&v);
    if (e == 0) {
        e = check_init(&v);
    }
    return e != 0 ? e : check_map_values(&v);
}

/* One %x of a reason (struct bpf_verr); false if @c is not one of ours. */
static bool
reason_field(struct bpf_fmt *f, const struct bpf_verr *err, char c)
{
    switch (c) {
    case 'n':
        bpf_fmt_str(f, err->name != NULL ? err->name : "?");
        return true;
    case 'i':
        bpf_fmt_udec(f, err->id);
        return true;
    case 'w':
        bpf_fmt_str(f, err->where != NULL ? "hook " : "this hook");
        bpf_fmt_str(f, err->where != NULL ? err->where : "");
        return true;
    case 'o':
        bpf_fmt_dec(f, err->off);
        return true;
    case 'z':
        bpf_fmt_udec(f, err->size);
        return true;
    case 'l':
        bpf_fmt_udec(f, err->limit);
        return true;
    default:
        return false;
    }
}

/* The reason with its %n, %i, %w, %o, %z and %l replaced. */
static void
reason_expand(struct bpf_fmt *f, const struct bpf_verr *err)
{
    const char *s = err->reason != NULL ? err->reason : "refused";
    for (; *s != '\0'; s++) {
        if (s[0] == '%' && s[1] != '\0' && reason_field(f, err, s[1])) {
            s++;
        } else {
            bpf_fmt_chr(f, *s);
        }
    }
}

size_t
bpf_verr_format(const struct bpf_verr *err, char *buf, size_t size)
{
    struct bpf_fmt f;
    bpf_fmt_init(&f, buf, size);
    bpf_fmt_str(&f, "insn ");
    bpf_fmt_udec(&f, err->pc);
    bpf_fmt_str(&f, " (opcode 0x");
    bpf_fmt_hex(&f, err->opcode, 2);
    for (int op = 0; op < OP_COUNT; op++) {
        if (bpf_optab[op].kind != K_INTERNAL && bpf_optab[op].code == err->opcode) {
            bpf_fmt_chr(&f, ' ');
            bpf_fmt_str(&f, bpf_optab[op].mnemonic);
            break;
        }
    }
    bpf_fmt_str(&f, "): ");
    reason_expand(&f, err);
    if (err->reg >= 0) {
        bpf_fmt_str(&f, " (r");
        bpf_fmt_udec(&f, (uint64_t)err->reg);
        bpf_fmt_chr(&f, ')');
    }
    return f.len;
}
