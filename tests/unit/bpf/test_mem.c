/* SPDX-License-Identifier: MIT */
/* Loads and stores: the context, the stack frame, extra regions and their rights;
 * every access outside them fails with -EFAULT, including ones whose address + size
 * would wrap around. */
#include "bpf_test_util.h"

#include <string.h>

static uint8_t ctx[16];

static int
run_ctx(const struct bpf_insn *p, uint32_t n, unsigned rights, uint64_t *r0)
{
    struct bpf_test_env env = { .ctx = ctx, .ctx_len = sizeof(ctx), .ctx_rights = rights };
    return bpf_test_run(p, n, &env, r0, NULL);
}

static void
test_ctx_load_and_store(void **state)
{
    (void)state;
    memset(ctx, 0, sizeof(ctx));
    ctx[8] = 0xfe;
    struct bpf_insn p[] = { INSN(0x71, 0, 1, 8, 0), INSN(0x7a, 1, 0, 0, 0x1234), EXIT() };
    uint64_t r0;
    assert_int_equal(run_ctx(p, N(p), 0, &r0), 0);
    assert_int_equal(r0, 0xfe);
    assert_int_equal(ctx[0], 0x34);
    assert_int_equal(ctx[1], 0x12);
}

static void
test_sign_extending_load(void **state)
{
    (void)state;
    memset(ctx, 0, sizeof(ctx));
    ctx[0] = 0x80;
    struct bpf_insn p[] = { INSN(0x91, 0, 1, 0, 0), EXIT() };
    uint64_t r0;
    assert_int_equal(run_ctx(p, N(p), 0, &r0), 0);
    assert_int_equal(r0, (uint64_t)-128);
}

static void
test_access_past_end_faults(void **state)
{
    (void)state;
    struct bpf_insn last[] = { INSN(0x79, 0, 1, 8, 0), EXIT() };   /* bytes 8..15: ok */
    struct bpf_insn over[] = { INSN(0x79, 0, 1, 9, 0), EXIT() };   /* bytes 9..16 */
    struct bpf_insn before[] = { INSN(0x71, 0, 1, -1, 0), EXIT() };
    uint64_t r0;
    assert_int_equal(run_ctx(last, N(last), 0, &r0), 0);
    assert_int_equal(run_ctx(over, N(over), 0, &r0), -EFAULT);
    assert_int_equal(run_ctx(before, N(before), 0, &r0), -EFAULT);
}

static void
test_wrapping_address_faults(void **state)
{
    (void)state;
    /* r1 = -4: a + 8 wraps to 4, which a naive end check would accept */
    struct bpf_insn p[] = { MOV64_IMM(1, -4), INSN(0x79, 0, 1, 0, 0), EXIT() };
    struct bpf_insn q[] = { MOV64_IMM(2, -1), INSN(0x7b, 2, 2, 0, 0), MOV64_IMM(0, 0), EXIT() };
    uint64_t r0;
    assert_int_equal(run_ctx(p, N(p), 0, &r0), -EFAULT);
    assert_int_equal(run_ctx(q, N(q), 0, &r0), -EFAULT);
}

static void
test_read_only_ctx_refuses_stores(void **state)
{
    (void)state;
    struct bpf_insn p[] = { INSN(0x72, 1, 0, 0, 1), MOV64_IMM(0, 0), EXIT() };
    uint64_t r0;
    assert_int_equal(run_ctx(p, N(p), BPF_REGION_READ, &r0), -EFAULT);
    assert_int_equal(run_ctx(p, N(p), BPF_REGION_READ | BPF_REGION_WRITE, &r0), 0);
}

static void
test_stack_through_computed_pointer(void **state)
{
    (void)state;
    /* r2 = r10 - 512 is the frame's first byte; r10 - 513 is outside */
    struct bpf_insn ok[] = { MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -512),
                             INSN(0x7a, 2, 0, 0, 9), INSN(0x79, 0, 2, 0, 0), EXIT() };
    struct bpf_insn bad[] = { MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -513),
                              INSN(0x72, 2, 0, 0, 9), MOV64_IMM(0, 0), EXIT() };
    struct bpf_insn above[] = { MOV64_REG(2, 10), INSN(0x71, 0, 2, 0, 0), EXIT() };
    uint64_t r0;
    assert_int_equal(bpf_test_run(ok, N(ok), NULL, &r0, NULL), 0);
    assert_int_equal(r0, 9);
    assert_int_equal(bpf_test_run(bad, N(bad), NULL, &r0, NULL), -EFAULT);
    assert_int_equal(bpf_test_run(above, N(above), NULL, &r0, NULL), -EFAULT);
}

static void
test_extra_region_with_rights(void **state)
{
    (void)state;
    static uint64_t extra[2] = { 41, 0 };
    struct bpf_region rg = { extra, sizeof(extra), BPF_REGION_READ };
    struct bpf_insn p[] = { LDDW_LO(1, (uintptr_t)extra), LDDW_HI((uintptr_t)extra),
                            INSN(0x79, 0, 1, 0, 0), ALU64_IMM(OP_ADD, 0, 1), EXIT() };
    struct bpf_insn w[] = { LDDW_LO(1, (uintptr_t)extra), LDDW_HI((uintptr_t)extra),
                            INSN(0x7a, 1, 0, 8, 5), MOV64_IMM(0, 0), EXIT() };
    struct bpf_test_env env = { .regions = &rg, .nregions = 1 };
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal(r0, 42);
    assert_int_equal(bpf_test_run(w, N(w), &env, &r0, NULL), -EFAULT);
    assert_int_equal(extra[1], 0);
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, NULL), -EFAULT); /* not granted */
}

static void
test_null_ctx_faults(void **state)
{
    (void)state;
    struct bpf_insn p[] = { INSN(0x71, 0, 1, 0, 0), EXIT() };
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), NULL, &r0, NULL), -EFAULT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ctx_load_and_store),
        cmocka_unit_test(test_sign_extending_load),
        cmocka_unit_test(test_access_past_end_faults),
        cmocka_unit_test(test_wrapping_address_faults),
        cmocka_unit_test(test_read_only_ctx_refuses_stores),
        cmocka_unit_test(test_stack_through_computed_pointer),
        cmocka_unit_test(test_extra_region_with_rights),
        cmocka_unit_test(test_null_ctx_faults),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
