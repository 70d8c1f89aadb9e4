/* SPDX-License-Identifier: MIT */
/* The interpreter: bpf_run() executes a program pre-decoded by prog.c. Dispatch is a
 * computed goto through a table generated from opcodes.def when the compiler has
 * labels-as-values, else a switch (forced with PICA_BPF_SWITCH_DISPATCH). The verifier
 * proved opcodes, registers, targets and r10 offsets, so the loop only checks memory
 * accesses (against the granted regions) and the instruction budget (see "budget"
 * below). Helpers see the run through struct bpf_vm (bpf_vm_mem, bpf_vm_map).
 */
#include "bpf_impl.h"

#include <errno.h>
#include <string.h>

#if defined(__GNUC__) && !defined(PICA_BPF_SWITCH_DISPATCH)
#define VM_COMPUTED_GOTO 1
#else
#define VM_COMPUTED_GOTO 0
#endif

#if defined(__BYTE_ORDER__) && defined(__ORDER_LITTLE_ENDIAN__)
_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "eBPF memory is little-endian here");
#endif

/* ---- memory regions ---- */

/* [a, a + size) inside [base, base + len)? Written so no sum can wrap. */
static inline bool
region_holds(uint64_t base, uint64_t len, uint64_t a, uint64_t size)
{
    uint64_t d = a - base;
    return d < len && size <= len - d;
}

static bool
rights_ok(unsigned have, unsigned want)
{
    return (have & want) == want;
}

/* Find the region holding [a, a + size) with @want rights; base, len and rights describe it. */
static bool
region_find(const struct bpf_vm *vm, uint64_t a, uint64_t size, unsigned want, uint64_t *base,
            uint64_t *len, unsigned *rights)
{
    const struct bpf_exec *x = vm->exec;
    *base = vm->stack_lo;
    *len = vm->stack_hi - vm->stack_lo;
    *rights = BPF_REGION_READ | BPF_REGION_WRITE;
    if (region_holds(*base, *len, a, size)) {
        return true;
    }
    *base = (uint64_t)(uintptr_t)x->ctx;
    *len = x->ctx_len;
    *rights = x->ctx_rights;
    if (x->ctx != NULL && region_holds(*base, *len, a, size) && rights_ok(*rights, want)) {
        return true;
    }
    for (unsigned k = 0; k < vm->prog->nmaps; k++) {
        const struct bpf_map *m = vm->prog->maps[k];
        if (m == NULL || m->values == NULL) {
            continue;
        }
        *base = (uint64_t)(uintptr_t)m->values;
        *len = (uint64_t)m->value_stride * m->def.max_entries;
        *rights = (m->def.flags & BPF_F_RDONLY_PROG) ? BPF_REGION_READ
                                                     : BPF_REGION_READ | BPF_REGION_WRITE;
        if (region_holds(*base, *len, a, size) && rights_ok(*rights, want)) {
            return true;
        }
    }
    for (unsigned k = 0; k < x->nregions; k++) {
        *base = (uint64_t)(uintptr_t)x->regions[k].base;
        *len = x->regions[k].len;
        *rights = x->regions[k].rights;
        if (region_holds(*base, *len, a, size) && rights_ok(*rights, want)) {
            return true;
        }
    }
    return false;
}

/* Slow path of a load/store check. On success the region becomes the cached one for
 * that direction when it is at least 8 bytes long: the fast check "a - base <= len - 8"
 * then needs one compare and still cannot wrap. */
static bool
vm_find(const struct bpf_vm *vm, uint64_t a, unsigned size, unsigned want, uint64_t *cbase,
        uint64_t *clim)
{
    uint64_t base, len;
    unsigned rights;
    if (!region_find(vm, a, size, want, &base, &len, &rights)) {
        return false;
    }
    if (len >= 8 && rights_ok(rights, BPF_REGION_READ | want)) {
        *cbase = base;
        *clim = len - 8;
    }
    return true;
}

void *
bpf_vm_mem(struct bpf_vm *vm, uint64_t addr, uint64_t len, unsigned rights)
{
    uint64_t base, rlen;
    unsigned have;
    if (len == 0 || !region_find(vm, addr, len, rights, &base, &rlen, &have)) {
        return NULL;
    }
    return (void *)(uintptr_t)addr;
}

struct bpf_map *
bpf_vm_map(struct bpf_vm *vm, uint64_t handle)
{
    for (unsigned k = 0; k < vm->prog->nmaps; k++) {
        if ((uint64_t)(uintptr_t)vm->prog->maps[k] == handle) {
            return vm->prog->maps[k];
        }
    }
    return NULL;
}

struct bpf_exec *
bpf_vm_exec(struct bpf_vm *vm)
{
    return vm->exec;
}

/* ---- arithmetic with the RFC's results for the cases C leaves undefined ---- */

static inline uint64_t
sdiv64(uint64_t a, uint64_t b)
{
    if (b == 0) {
        return 0;
    }
    if (b == UINT64_MAX) {
        return 0 - a; /* INT64_MIN / -1 wraps to INT64_MIN */
    }
    return (uint64_t)((int64_t)a / (int64_t)b);
}

static inline uint64_t
smod64(uint64_t a, uint64_t b)
{
    if (b == 0) {
        return a;
    }
    if (b == UINT64_MAX) {
        return 0;
    }
    return (uint64_t)((int64_t)a % (int64_t)b);
}

static inline uint32_t
sdiv32(uint32_t a, uint32_t b)
{
    if (b == 0) {
        return 0;
    }
    if (b == UINT32_MAX) {
        return 0 - a;
    }
    return (uint32_t)((int32_t)a / (int32_t)b);
}

static inline uint32_t
smod32(uint32_t a, uint32_t b)
{
    if (b == 0) {
        return a;
    }
    if (b == UINT32_MAX) {
        return 0;
    }
    return (uint32_t)((int32_t)a % (int32_t)b);
}

static inline uint16_t
swap16(uint16_t x)
{
    return (uint16_t)((x >> 8) | (x << 8));
}

static inline uint32_t
swap32(uint32_t x)
{
    return (x >> 24) | ((x >> 8) & 0xff00u) | ((x << 8) & 0xff0000u) | (x << 24);
}

static inline uint64_t
swap64(uint64_t x)
{
    return ((uint64_t)swap32((uint32_t)x) << 32) | swap32((uint32_t)(x >> 32));
}

/* ---- atomics: read-modify-write on checked memory ----
 * A run is single-threaded; an embedder sharing maps between CPUs or with interrupts
 * serialises runs (see docs/bpf.md), so plain accesses keep the library free of
 * libatomic, which the 32-bit targets lack for 64-bit operands. */

static uint64_t
atomic_rmw(void *p, unsigned op, uint64_t src, uint64_t *r0)
{
    bool wide = op >= OP_AADD64;
    uint64_t old = 0, val;
    if (wide) {
        memcpy(&old, p, 8);
    } else {
        uint32_t o32;
        memcpy(&o32, p, 4);
        old = o32;
    }
    switch (wide ? op - (OP_AADD64 - OP_AADD32) : op) {
    case OP_AADD32: case OP_AFADD32: val = old + src; break;
    case OP_AOR32: case OP_AFOR32: val = old | src; break;
    case OP_AAND32: case OP_AFAND32: val = old & src; break;
    case OP_AXOR32: case OP_AFXOR32: val = old ^ src; break;
    case OP_AXCHG32: val = src; break;
    default: /* cmpxchg: compares with r0, always returns the old value in r0 */
        val = (wide ? old == *r0 : (uint32_t)old == (uint32_t)*r0) ? src : old;
        *r0 = old;
        break;
    }
    if (wide) {
        memcpy(p, &val, 8);
    } else {
        uint32_t v32 = (uint32_t)val;
        memcpy(p, &v32, 4);
    }
    return old;
}

/* ---- the dispatch loop ----
 *
 * Budget: every executed instruction counts once (lddw too, though it fills two slots),
 * and the instruction that would exceed exec->budget is not executed. The count is
 * kept per straight-line run: `blk` is the slot where the current run began and
 * `used` counts the instructions before it, so at slot i exactly used + (i - blk)
 * instructions have run (lddw moves blk on by one to count once). A run is at most
 * prog->len slots long, so while used <= careful = budget - len no run can exhaust the
 * budget, and the loop brings `used` up to date only at taken jumps, calls and returns
 * (the fast mode: nothing on the straight-line path). Once used > careful, fewer than
 * len instructions remain, and the loop switches for the rest of the run to stepping:
 * every dispatch goes first through a check of the exact count (computed goto: a second
 * table whose entries all lead to the check; switch: a flag tested before the switch).
 * Stepping therefore costs at most prog->len checks per run.
 */

struct frame {
    const struct bpf_op *ret;
    uint64_t saved[4]; /* r6-r9 */
};

#if VM_COMPUTED_GOTO
#define L(name)   op_##name:
#define DISPATCH  goto *tab[i->op]
#else
#define L(name)   case OP_##name:
#define DISPATCH  goto dispatch
#endif

#define NEXT      do { i++; DISPATCH; } while (0)
#define DST       r[i->dst]
#define SRC       r[i->src]
#define IMM       (i->imm)
#define D32       ((uint32_t)r[i->dst])
#define S32       ((uint32_t)r[i->src])
#define I32       ((uint32_t)i->imm)
#define ADDR      (r[i->src] + (uint64_t)(int64_t)i->off)
#define DADDR     (r[i->dst] + (uint64_t)(int64_t)i->off)

/* Taken jump: charge the straight-line run just ended; step when the budget is near. */
#define JUMP_TO(target) do { \
        used += (uint64_t)(i - blk) + 1; \
        i = code + (target); \
        blk = i; \
        if (used > careful) goto step_on; \
        DISPATCH; \
    } while (0)

#define CHECK_RD(a, n) do { \
        if ((a) - rd_base > rd_lim && \
            !vm_find(&vm, (a), (n), BPF_REGION_READ, &rd_base, &rd_lim)) goto fault_mem; \
    } while (0)

#define CHECK_WR(a, n) do { \
        if ((a) - wr_base > wr_lim && \
            !vm_find(&vm, (a), (n), BPF_REGION_READ | BPF_REGION_WRITE, &wr_base, &wr_lim)) \
            goto fault_mem; \
    } while (0)

#define ALU(NAME, OPER) \
    L(NAME##64_K) DST = DST OPER IMM; NEXT; \
    L(NAME##64_X) DST = DST OPER SRC; NEXT; \
    L(NAME##32_K) DST = (uint32_t)(D32 OPER I32); NEXT; \
    L(NAME##32_X) DST = (uint32_t)(D32 OPER S32); NEXT;

#define JCMP(NAME, T64, T32, OPER) \
    L(NAME##_K) if ((T64)DST OPER (T64)IMM) JUMP_TO(i->off); NEXT; \
    L(NAME##_X) if ((T64)DST OPER (T64)SRC) JUMP_TO(i->off); NEXT; \
    L(NAME##32_K) if ((T32)D32 OPER (T32)I32) JUMP_TO(i->off); NEXT; \
    L(NAME##32_X) if ((T32)D32 OPER (T32)S32) JUMP_TO(i->off); NEXT;

#define LOAD(NAME, T, EXT) \
    L(NAME) { uint64_t a = ADDR; T v; CHECK_RD(a, sizeof(T)); \
        memcpy(&v, (const void *)(uintptr_t)a, sizeof(T)); DST = (EXT)v; NEXT; } \
    L(NAME##_FP) { T v; memcpy(&v, (const void *)(uintptr_t)ADDR, sizeof(T)); \
        DST = (EXT)v; NEXT; }

#define LOADS(NAME, T) \
    L(NAME) { uint64_t a = ADDR; T v; CHECK_RD(a, sizeof(T)); \
        memcpy(&v, (const void *)(uintptr_t)a, sizeof(T)); DST = (uint64_t)(int64_t)v; NEXT; }

#define STORE(NAME, T, VAL) \
    L(NAME) { uint64_t a = DADDR; T v = (T)(VAL); CHECK_WR(a, sizeof(T)); \
        memcpy((void *)(uintptr_t)a, &v, sizeof(T)); NEXT; } \
    L(NAME##_FP) { T v = (T)(VAL); memcpy((void *)(uintptr_t)DADDR, &v, sizeof(T)); NEXT; }

static int
vm_loop(struct bpf_vm *vm_in, uint64_t *r)
{
#if VM_COMPUTED_GOTO
    static const void *const table[OP_COUNT] = {
#define BPF_OP(name, code, sel, selval, zero, dstuse, kind, mn) [OP_##name] = &&op_##name,
#define BPF_OP_INTERNAL(name, mn) [OP_##name] = &&op_##name,
#include "opcodes.def"
#undef BPF_OP
#undef BPF_OP_INTERNAL
    };
    /* stepping: every op first goes through the budget check at op_step */
    static const void *const step_table[OP_COUNT] = {
#define BPF_OP(name, code, sel, selval, zero, dstuse, kind, mn) [OP_##name] = &&op_step,
#define BPF_OP_INTERNAL(name, mn) [OP_##name] = &&op_step,
#include "opcodes.def"
#undef BPF_OP
#undef BPF_OP_INTERNAL
    };
    const void *const *tab = table;
#else
    bool stepping = false;
#endif
    struct bpf_vm vm = *vm_in;
    struct bpf_exec *x = vm.exec;
    const struct bpf_op *const code = vm.prog->ops;
    const struct bpf_op *i = code, *blk = code;
    const struct bpf_helper *const helpers = vm.prog->helpers;
    uint64_t used = 0, budget = x->budget ? x->budget : BPF_DEFAULT_BUDGET;
    uint64_t careful = budget >= vm.prog->len ? budget - vm.prog->len : 0;
    uint64_t rd_base, rd_lim, wr_base, wr_lim; /* cached regions for loads, stores */
    unsigned depth = 0, max_depth = (unsigned)((vm.stack_hi - vm.stack_lo) / BPF_STACK_SIZE);
    struct frame frames[BPF_MAX_CALL_DEPTH];
    int rc = 0;

    /* only the main frame is granted until a local call */
    vm.stack_lo = vm.stack_hi - BPF_STACK_SIZE;
    rd_base = wr_base = vm.stack_lo;
    rd_lim = wr_lim = BPF_STACK_SIZE - 8;
    if (max_depth > BPF_MAX_CALL_DEPTH) {
        max_depth = BPF_MAX_CALL_DEPTH;
    }
    if (budget < vm.prog->len) {
        goto step_on;
    }
    DISPATCH;
step_on:
#if VM_COMPUTED_GOTO
    tab = step_table;
    DISPATCH;
op_step:
    if (used + (uint64_t)(i - blk) >= budget) {
        goto fault_budget;
    }
    goto *table[i->op];
#else
    stepping = true;
dispatch:
    if (stepping && used + (uint64_t)(i - blk) >= budget) {
        goto fault_budget;
    }
    switch (i->op) {
#endif
    ALU(ADD, +)
    ALU(SUB, -)
    ALU(MUL, *)
    ALU(OR, |)
    ALU(AND, &)
    ALU(XOR, ^)
    L(LSH64_K) DST <<= (IMM & 63); NEXT;
    L(LSH64_X) DST <<= (SRC & 63); NEXT;
    L(LSH32_K) DST = (uint32_t)(D32 << (I32 & 31)); NEXT;
    L(LSH32_X) DST = (uint32_t)(D32 << (S32 & 31)); NEXT;
    L(RSH64_K) DST >>= (IMM & 63); NEXT;
    L(RSH64_X) DST >>= (SRC & 63); NEXT;
    L(RSH32_K) DST = D32 >> (I32 & 31); NEXT;
    L(RSH32_X) DST = D32 >> (S32 & 31); NEXT;
    /* right shift of a negative value is arithmetic on every compiler Pica supports */
    L(ARSH64_K) DST = (uint64_t)((int64_t)DST >> (IMM & 63)); NEXT;
    L(ARSH64_X) DST = (uint64_t)((int64_t)DST >> (SRC & 63)); NEXT;
    L(ARSH32_K) DST = (uint32_t)((int32_t)D32 >> (I32 & 31)); NEXT;
    L(ARSH32_X) DST = (uint32_t)((int32_t)D32 >> (S32 & 31)); NEXT;
    L(DIV64_K) DST = IMM ? DST / IMM : 0; NEXT;
    L(DIV64_X) DST = SRC ? DST / SRC : 0; NEXT;
    L(DIV32_K) DST = I32 ? D32 / I32 : 0; NEXT;
    L(DIV32_X) DST = S32 ? D32 / S32 : 0; NEXT;
    L(MOD64_K) DST = IMM ? DST % IMM : DST; NEXT;
    L(MOD64_X) DST = SRC ? DST % SRC : DST; NEXT;
    L(MOD32_K) DST = I32 ? D32 % I32 : D32; NEXT;
    L(MOD32_X) DST = S32 ? D32 % S32 : D32; NEXT;
    L(SDIV64_K) DST = sdiv64(DST, IMM); NEXT;
    L(SDIV64_X) DST = sdiv64(DST, SRC); NEXT;
    L(SDIV32_K) DST = sdiv32(D32, I32); NEXT;
    L(SDIV32_X) DST = sdiv32(D32, S32); NEXT;
    L(SMOD64_K) DST = smod64(DST, IMM); NEXT;
    L(SMOD64_X) DST = smod64(DST, SRC); NEXT;
    L(SMOD32_K) DST = smod32(D32, I32); NEXT;
    L(SMOD32_X) DST = smod32(D32, S32); NEXT;
    L(NEG64) DST = 0 - DST; NEXT;
    L(NEG32) DST = (uint32_t)(0 - D32); NEXT;
    L(MOV64_K) DST = IMM; NEXT;
    L(MOV64_X) DST = SRC; NEXT;
    L(MOV32_K) DST = I32; NEXT;
    L(MOV32_X) DST = S32; NEXT;
    L(MOVSX8_64) DST = (uint64_t)(int64_t)(int8_t)SRC; NEXT;
    L(MOVSX16_64) DST = (uint64_t)(int64_t)(int16_t)SRC; NEXT;
    L(MOVSX32_64) DST = (uint64_t)(int64_t)(int32_t)SRC; NEXT;
    L(MOVSX8_32) DST = (uint32_t)(int32_t)(int8_t)SRC; NEXT;
    L(MOVSX16_32) DST = (uint32_t)(int32_t)(int16_t)SRC; NEXT;
    L(LE16) DST = (uint16_t)DST; NEXT;
    L(LE32) DST = (uint32_t)DST; NEXT;
    L(LE64) NEXT;
    L(BE16) L(BSWAP16) DST = swap16((uint16_t)DST); NEXT;
    L(BE32) L(BSWAP32) DST = swap32((uint32_t)DST); NEXT;
    L(BE64) L(BSWAP64) DST = swap64(DST); NEXT;

    L(JA) L(JA32) JUMP_TO(i->off);
    JCMP(JEQ, uint64_t, uint32_t, ==)
    JCMP(JNE, uint64_t, uint32_t, !=)
    JCMP(JGT, uint64_t, uint32_t, >)
    JCMP(JGE, uint64_t, uint32_t, >=)
    JCMP(JLT, uint64_t, uint32_t, <)
    JCMP(JLE, uint64_t, uint32_t, <=)
    JCMP(JSGT, int64_t, int32_t, >)
    JCMP(JSGE, int64_t, int32_t, >=)
    JCMP(JSLT, int64_t, int32_t, <)
    JCMP(JSLE, int64_t, int32_t, <=)
    L(JSET_K) if (DST & IMM) JUMP_TO(i->off); NEXT;
    L(JSET_X) if (DST & SRC) JUMP_TO(i->off); NEXT;
    L(JSET32_K) if (D32 & I32) JUMP_TO(i->off); NEXT;
    L(JSET32_X) if (D32 & S32) JUMP_TO(i->off); NEXT;

    L(LDDW) L(LDDW_MAP) L(LDDW_MAPVAL) L(LDDW_MAPIDX) L(LDDW_VALIDX)
        DST = IMM; i += 2; blk++; DISPATCH; /* two slots, one instruction */

    LOAD(LDXW, uint32_t, uint64_t)
    LOAD(LDXH, uint16_t, uint64_t)
    LOAD(LDXB, uint8_t, uint64_t)
    LOAD(LDXDW, uint64_t, uint64_t)
    LOADS(LDXSW, int32_t)
    LOADS(LDXSH, int16_t)
    LOADS(LDXSB, int8_t)
    STORE(STW, uint32_t, IMM)
    STORE(STH, uint16_t, IMM)
    STORE(STB, uint8_t, IMM)
    STORE(STDW, uint64_t, IMM)
    STORE(STXW, uint32_t, SRC)
    STORE(STXH, uint16_t, SRC)
    STORE(STXB, uint8_t, SRC)
    STORE(STXDW, uint64_t, SRC)

    L(AADD32) L(AOR32) L(AAND32) L(AXOR32) L(ACMPXCHG32) {
        uint64_t a = DADDR;
        CHECK_WR(a, 4);
        atomic_rmw((void *)(uintptr_t)a, i->op, SRC, &r[0]);
        if (i->op == OP_ACMPXCHG32) {
            r[0] = (uint32_t)r[0];
        }
        NEXT;
    }
    L(AFADD32) L(AFOR32) L(AFAND32) L(AFXOR32) L(AXCHG32) {
        uint64_t a = DADDR;
        CHECK_WR(a, 4);
        SRC = atomic_rmw((void *)(uintptr_t)a, i->op, SRC, &r[0]);
        NEXT;
    }
    L(AADD64) L(AOR64) L(AAND64) L(AXOR64) L(ACMPXCHG64) {
        uint64_t a = DADDR;
        CHECK_WR(a, 8);
        atomic_rmw((void *)(uintptr_t)a, i->op, SRC, &r[0]);
        NEXT;
    }
    L(AFADD64) L(AFOR64) L(AFAND64) L(AFXOR64) L(AXCHG64) {
        uint64_t a = DADDR;
        CHECK_WR(a, 8);
        SRC = atomic_rmw((void *)(uintptr_t)a, i->op, SRC, &r[0]);
        NEXT;
    }

    L(CALL) {
        const struct bpf_helper *h = &helpers[i->imm];
        r[0] = h->fn(&vm, r[1], r[2], r[3], r[4], r[5]);
        NEXT;
    }
    L(CALLX) {
        int k = DST <= UINT32_MAX
                    ? bpf_helper_find(helpers, vm.prog->nhelpers, (uint32_t)DST) : -1;
        if (k < 0 || !bpf_helper_allowed(vm.prog->allowed, vm.prog->nallowed, (uint32_t)DST)) {
            rc = -ENOSYS;
            x->fault = k < 0 ? "callx to an unknown helper"
                             : "callx to a helper not allowed here";
            goto fault;
        }
        r[0] = helpers[k].fn(&vm, r[1], r[2], r[3], r[4], r[5]);
        NEXT;
    }
    L(CALL_LOCAL) {
        if (depth + 1 >= max_depth) {
            rc = -ELOOP;
            x->fault = "local calls nested too deep";
            goto fault;
        }
        frames[depth].ret = i + 1;
        memcpy(frames[depth].saved, &r[6], sizeof(frames[depth].saved));
        depth++;
        r[10] -= BPF_STACK_SIZE;
        vm.stack_lo -= BPF_STACK_SIZE;
        rd_base = wr_base = vm.stack_lo;
        rd_lim = wr_lim = vm.stack_hi - vm.stack_lo - 8;
        JUMP_TO(i->off);
    }
    L(EXIT) {
        used += (uint64_t)(i - blk) + 1;
        if (depth == 0) {
            goto done;
        }
        depth--;
        memcpy(&r[6], frames[depth].saved, sizeof(frames[depth].saved));
        r[10] += BPF_STACK_SIZE;
        vm.stack_lo += BPF_STACK_SIZE;
        rd_base = wr_base = vm.stack_lo;
        rd_lim = wr_lim = vm.stack_hi - vm.stack_lo - 8;
        i = blk = frames[depth].ret;
        if (used > careful) {
            goto step_on;
        }
        DISPATCH;
    }
#if !VM_COMPUTED_GOTO
    default:
        rc = -EINVAL;
        x->fault = "instruction not decoded";
        goto fault;
    }
#endif

fault_mem:
    rc = -EFAULT;
    x->fault = "memory access outside the granted regions";
    goto fault;
fault_budget:
    rc = -ETIMEDOUT;
    x->fault = "instruction budget exhausted";
fault:
    x->fault_pc = (uint32_t)(i - code);
    used += (uint64_t)(i - blk);
done:
    x->executed = used;
    x->r0 = r[0];
    return rc;
}

int
bpf_run(const struct bpf_prog *p, struct bpf_exec *x)
{
    if (p == NULL || x == NULL || p->ops == NULL || x->stack == NULL ||
        x->stack_size < BPF_STACK_SIZE || ((uintptr_t)x->stack & 7) != 0) {
        return -EINVAL;
    }
    /* Only r1, r2 and r10 are set: the verifier refused every read of a
     * register before a write on some path to it (docs/bpf.md), so the
     * others are never read first, and zeroing them would cost a memset
     * per run (a byte at a time in a C library built for size). */
    uint64_t r[11];
    size_t frames = x->stack_size / BPF_STACK_SIZE;
    struct bpf_vm vm = { .prog = p, .exec = x };
    vm.stack_hi = (uint64_t)(uintptr_t)x->stack + (uint64_t)frames * BPF_STACK_SIZE;
    if (frames > BPF_MAX_CALL_DEPTH) {
        frames = BPF_MAX_CALL_DEPTH;
    }
    vm.stack_lo = vm.stack_hi - (uint64_t)frames * BPF_STACK_SIZE;
    x->fault = NULL;
    x->fault_pc = 0;
    r[1] = (uint64_t)(uintptr_t)x->ctx;
    r[2] = x->ctx_len;
    r[10] = vm.stack_hi;
    return vm_loop(&vm, r);
}
