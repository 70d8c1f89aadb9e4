/* SPDX-License-Identifier: MIT */
/* Private to bpf/: the opcode table generated from opcodes.def (optab.c), the run-time
 * state helpers see through struct bpf_vm (vm.c, helpers.c), and the small text writer
 * used for messages, disassembly and trace output (fmt.c).
 */
#pragma once

#include <pica/bpf.h>

#include <stdbool.h>

enum bpf_sel { SEL_NONE, SEL_OFF, SEL_IMM, SEL_SRC };

enum {
    Z_DST = 1,
    Z_SRC = 2,
    Z_OFF = 4,
    Z_IMM = 8,
};

enum bpf_dstuse { D_NONE, D_R, D_W, D_RW };

enum bpf_kind {
    K_ALU_K, K_ALU_X, K_ALU_U, K_JA, K_JA32, K_JMP_K, K_JMP_X, K_CALL, K_CALL_LOCAL,
    K_CALLX, K_EXIT, K_LDDW, K_LDX, K_ST, K_STX, K_ATOMIC, K_INTERNAL,
};

/* Internal op numbers: legal instructions first, then decoder-only forms. */
enum bpf_opnum {
#define BPF_OP(name, code, sel, selval, zero, dstuse, kind, mn) OP_##name,
#define BPF_OP_INTERNAL(name, mn) OP_##name,
#include "opcodes.def"
#undef BPF_OP
#undef BPF_OP_INTERNAL
    OP_COUNT
};

struct bpf_opdesc {
    uint8_t code;
    uint8_t sel;
    uint8_t zero;
    uint8_t dstuse;
    uint8_t kind;
    int32_t selval;
    const char *mnemonic;
};

extern const struct bpf_opdesc bpf_optab[OP_COUNT];

/* Internal op number of @i, or -1 with *why set to the reason it is not legal. */
int bpf_op_find(const struct bpf_insn *i, const char **why);

/* Bytes accessed by a load/store opcode byte (size bits 0x18). */
static inline unsigned
bpf_mem_size(uint8_t code)
{
    static const uint8_t sizes[4] = { 4, 2, 1, 8 };
    return sizes[(code >> 3) & 3];
}

/* Helper index in @helpers for @id, or -1. */
int bpf_helper_find(const struct bpf_helper *helpers, unsigned n, uint32_t id);

/* Whether @id is in @allowed (@n ids); a NULL list allows every id. */
bool bpf_helper_allowed(const uint32_t *allowed, unsigned n, uint32_t id);

/* Run-time state a helper can reach. */
struct bpf_vm {
    const struct bpf_prog *prog;
    struct bpf_exec *exec;
    uint64_t stack_lo; /* lowest byte of the current frame */
    uint64_t stack_hi; /* one past the main frame */
};

/* ---- bounded text writer ---- */
struct bpf_fmt {
    char *buf;
    size_t size;
    size_t len; /* length the full text needs; buf holds min(len, size - 1) */
};

void bpf_fmt_init(struct bpf_fmt *f, char *buf, size_t size);
void bpf_fmt_str(struct bpf_fmt *f, const char *s);
void bpf_fmt_chr(struct bpf_fmt *f, char c);
void bpf_fmt_dec(struct bpf_fmt *f, int64_t v);
void bpf_fmt_udec(struct bpf_fmt *f, uint64_t v);
void bpf_fmt_hex(struct bpf_fmt *f, uint64_t v, unsigned min_digits);
