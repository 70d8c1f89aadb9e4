/* SPDX-License-Identifier: MIT */
/* Calls: embedder helpers by number and through callx, BPF-to-BPF calls with their own
 * frames and preserved r6-r9, and the call-depth limit. */
#include "bpf_test_util.h"

static uint64_t
h_sum(struct bpf_vm *vm, uint64_t a, uint64_t b, uint64_t c, uint64_t d, uint64_t e)
{
    (void)vm;
    return a + b + c + d + e;
}

static const struct bpf_helper table[] = {
    { 1000, 5, "sum", h_sum, 0 },
};
static const struct bpf_prog_opts opts = { .helpers = table, .nhelpers = 1 };

static void
test_embedder_helper_gets_five_args(void **state)
{
    (void)state;
    struct bpf_insn p[] = { MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, 3), MOV64_IMM(4, 4),
                            MOV64_IMM(5, 5), CALL(1000), EXIT() };
    struct bpf_test_env env = { .opts = &opts };
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal(r0, 15);
    /* the standard table does not have it */
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, NULL), -EINVAL);
}

static void
test_callx_known_and_unknown(void **state)
{
    (void)state;
    struct bpf_insn p[] = { MOV64_IMM(1, 1), MOV64_IMM(2, 2), MOV64_IMM(3, 3), MOV64_IMM(4, 4),
                            MOV64_IMM(5, 5), MOV64_IMM(6, 1000), INSN(0x8d, 6, 0, 0, 0), EXIT() };
    struct bpf_test_env env = { .opts = &opts };
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal(r0, 15);
    p[5] = MOV64_IMM(6, 999);
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), -ENOSYS);
}

/* callx cannot reach a helper of the table the allowed list leaves out. */
static void
test_callx_obeys_the_allowed_list(void **state)
{
    (void)state;
    static const uint32_t only_time[] = { BPF_FUNC_ktime_get_ns };
    static const struct bpf_prog_opts restricted = { .allowed = only_time, .nallowed = 1 };
    struct bpf_insn p[] = { MOV64_IMM(1, 0), MOV64_IMM(2, 0), MOV64_IMM(3, 0), MOV64_IMM(4, 0),
                            MOV64_IMM(5, 0), MOV64_IMM(6, BPF_FUNC_get_prandom_u32),
                            INSN(0x8d, 6, 0, 0, 0), EXIT() };
    struct bpf_test_env env = { .opts = &restricted };
    struct bpf_exec x;
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, &x), -ENOSYS);
    assert_int_equal(x.fault_pc, 6);
    assert_string_equal(x.fault, "callx to a helper not allowed here");
    p[5] = MOV64_IMM(6, BPF_FUNC_ktime_get_ns);
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    /* without a list the same call reaches the helper */
    p[5] = MOV64_IMM(6, BPF_FUNC_get_prandom_u32);
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, NULL), 0);
}

static void
test_local_call_preserves_callee_saved(void **state)
{
    (void)state;
    struct bpf_insn p[] = {
        MOV64_IMM(6, 6), INSN(0x7a, 10, 0, -8, 77), CALL_LOCAL(3),
        INSN(0x79, 0, 10, -8, 0), ALU64_REG(OP_ADD, 0, 6), EXIT(),
        /* callee: clobber r6, write its own frame, return */
        MOV64_IMM(6, 100), INSN(0x7a, 10, 0, -8, 5), MOV64_IMM(0, 0), EXIT(),
    };
    assert_int_equal(bpf_test_r0(p, N(p)), 83); /* caller's slot and r6 intact */
}

static void
test_recursion_stops_at_depth_limit(void **state)
{
    (void)state;
    struct bpf_insn p[] = { CALL_LOCAL(-1), MOV64_IMM(0, 0), EXIT() };
    struct bpf_exec x;
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, &x), -ELOOP);
    /* a one-frame stack allows no local call at all */
    struct bpf_insn q[] = { CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 1), EXIT() };
    struct bpf_test_env env = { .stack_size = BPF_STACK_SIZE };
    assert_int_equal(bpf_test_run(q, N(q), &env, &r0, NULL), -ELOOP);
    assert_int_equal(bpf_test_run(q, N(q), NULL, &r0, NULL), 0);
    assert_int_equal(r0, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_embedder_helper_gets_five_args),
        cmocka_unit_test(test_callx_known_and_unknown),
        cmocka_unit_test(test_callx_obeys_the_allowed_list),
        cmocka_unit_test(test_local_call_preserves_callee_saved),
        cmocka_unit_test(test_recursion_stops_at_depth_limit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
