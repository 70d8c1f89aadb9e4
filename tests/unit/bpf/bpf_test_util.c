/* SPDX-License-Identifier: MIT */
/* Load+run helpers for the bpf unit tests (see bpf_test_util.h). */
#include "bpf_test_util.h"

#include <stdio.h>
#include <string.h>

static struct bpf_op ops[BPF_MAX_INSNS];
static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];

int
bpf_test_run(const struct bpf_insn *insns, uint32_t n, const struct bpf_test_env *env,
             uint64_t *r0, struct bpf_exec *xout)
{
    static const struct bpf_test_env none;
    struct bpf_prog p;
    struct bpf_verr err = { 0 };
    env = env != NULL ? env : &none;
    int rc = bpf_prog_load(&p, ops, BPF_MAX_INSNS, insns, n, env->opts, &err);
    if (rc != 0) {
        char msg[160];
        bpf_verr_format(&err, msg, sizeof(msg));
        print_message("refused: %s\n", msg);
        return rc;
    }
    struct bpf_exec x = {
        .ctx = env->ctx, .ctx_len = env->ctx_len,
        .ctx_rights = env->ctx_rights ? env->ctx_rights : BPF_REGION_READ | BPF_REGION_WRITE,
        .stack = stack, .stack_size = env->stack_size ? env->stack_size : sizeof(stack),
        .regions = env->regions, .nregions = env->nregions, .budget = env->budget,
        .hooks = env->hooks, .user = env->user,
    };
    rc = bpf_run(&p, &x);
    if (r0 != NULL) {
        *r0 = x.r0;
    }
    if (xout != NULL) {
        *xout = x;
    }
    return rc;
}

uint64_t
bpf_test_r0(const struct bpf_insn *insns, uint32_t n)
{
    uint64_t r0 = 0;
    assert_int_equal(bpf_test_run(insns, n, NULL, &r0, NULL), 0);
    return r0;
}

int
bpf_test_verify(const struct bpf_insn *insns, uint32_t n, const struct bpf_prog_opts *opts,
                struct bpf_verr *err)
{
    memset(err, 0, sizeof(*err));
    return bpf_verify(insns, n, opts, ops, err);
}

size_t
bpf_test_read_file(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        return 0;
    }
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}
