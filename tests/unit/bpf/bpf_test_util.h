/* SPDX-License-Identifier: MIT */
/* Shared by the bpf unit tests: instruction builders and one-call load+run helpers
 * over a fixed context, stack and helper table (bpf_test_util.c).
 */
#pragma once

#include <pica/bpf.h>

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <cmocka.h>

#define INSN(code, dst, src, off, imm) \
    ((struct bpf_insn){ (code), (uint8_t)(((src) << 4) | (dst)), (int16_t)(off), (int32_t)(imm) })
#define MOV64_IMM(d, v)   INSN(0xb7, d, 0, 0, v)
#define MOV64_REG(d, s)   INSN(0xbf, d, s, 0, 0)
#define MOV32_IMM(d, v)   INSN(0xb4, d, 0, 0, v)
#define ALU64_IMM(op, d, v) INSN(0x07 | (op), d, 0, 0, v)
#define ALU64_REG(op, d, s) INSN(0x0f | (op), d, s, 0, 0)
#define ALU32_IMM(op, d, v) INSN(0x04 | (op), d, 0, 0, v)
#define ALU32_REG(op, d, s) INSN(0x0c | (op), d, s, 0, 0)
#define JMP_IMM(op, d, v, off) INSN(0x05 | (op), d, 0, off, v)
#define JMP_REG(op, d, s, off) INSN(0x0d | (op), d, s, off, 0)
#define JMP32_IMM(op, d, v, off) INSN(0x06 | (op), d, 0, off, v)
#define LDDW_LO(d, v)     INSN(0x18, d, 0, 0, (int32_t)(uint32_t)(uint64_t)(v))
#define LDDW_HI(v)        INSN(0x00, 0, 0, 0, (int32_t)(uint32_t)((uint64_t)(v) >> 32))
#define CALL(id)          INSN(0x85, 0, 0, 0, id)
#define CALL_LOCAL(rel)   INSN(0x85, 0, 1, 0, rel)
#define EXIT()            INSN(0x95, 0, 0, 0, 0)

enum { OP_ADD = 0x00, OP_SUB = 0x10, OP_MUL = 0x20, OP_DIV = 0x30, OP_OR = 0x40,
       OP_AND = 0x50, OP_LSH = 0x60, OP_RSH = 0x70, OP_NEG = 0x80, OP_MOD = 0x90,
       OP_XOR = 0xa0, OP_MOV = 0xb0, OP_ARSH = 0xc0,
       OP_JEQ = 0x10, OP_JGT = 0x20, OP_JGE = 0x30, OP_JSET = 0x40, OP_JNE = 0x50,
       OP_JSGT = 0x60, OP_JSGE = 0x70, OP_JLT = 0xa0, OP_JLE = 0xb0, OP_JSLT = 0xc0,
       OP_JSLE = 0xd0 };

#define N(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* Options for bpf_test_run; zeroed means: no ctx, standard helpers, no maps. */
struct bpf_test_env {
    const struct bpf_prog_opts *opts;
    void *ctx;
    size_t ctx_len;
    unsigned ctx_rights;
    uint64_t budget;
    size_t stack_size;
    const struct bpf_region *regions;
    unsigned nregions;
    const struct bpf_hooks *hooks;
    void *user;
};

/* Load and run; returns the load error if refused, else bpf_run's result.
 * *r0 gets the result; @x (optional) the final exec record. */
int bpf_test_run(const struct bpf_insn *insns, uint32_t n, const struct bpf_test_env *env,
                 uint64_t *r0, struct bpf_exec *x);

/* Run a program that must load and finish; returns r0. */
uint64_t bpf_test_r0(const struct bpf_insn *insns, uint32_t n);

/* Verify only; returns the verifier result, *err filled. */
int bpf_test_verify(const struct bpf_insn *insns, uint32_t n, const struct bpf_prog_opts *opts,
                    struct bpf_verr *err);

/* Read a whole file (clang-built objects); returns length or 0. */
size_t bpf_test_read_file(const char *path, uint8_t *buf, size_t cap);
