/* SPDX-License-Identifier: MIT */
/* Standard helpers called from programs: map access through lddw map references,
 * values written through the returned pointer, ring-buffer output, the time, random
 * and trace hooks, and bad pointer arguments returning -EFAULT instead of crashing. */
#include "bpf_test_util.h"

#include <string.h>

static uint64_t store[512];
static struct bpf_map hash;
static struct bpf_map *maps[1] = { &hash };
static const struct bpf_prog_opts opts = { .maps = maps, .nmaps = 1 };

static int
setup(void **state)
{
    (void)state;
    struct bpf_map_def d = { BPF_MAP_TYPE_HASH, 4, 8, 4, 0 };
    return bpf_map_init(&hash, &d, store, sizeof(store), "hash");
}

/* key 5 -> update(value 40) -> lookup -> *v += 2 -> return *v (0 if absent) */
static void
test_update_lookup_and_write_through_value(void **state)
{
    (void)state;
    struct bpf_insn p[] = {
        INSN(0x62, 10, 0, -4, 5), INSN(0x7a, 10, 0, -16, 40),
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -4),
        MOV64_REG(3, 10), ALU64_IMM(OP_ADD, 3, -16), MOV64_IMM(4, BPF_ANY),
        CALL(BPF_FUNC_map_update_elem),
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -4),
        CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(OP_JEQ, 0, 0, 4),
        INSN(0x79, 1, 0, 0, 0), ALU64_IMM(OP_ADD, 1, 2), INSN(0x7b, 0, 1, 0, 0),
        INSN(0x79, 0, 0, 0, 0), EXIT(),
    };
    struct bpf_test_env env = { .opts = &opts };
    uint64_t r0;
    uint32_t key = 5;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal(r0, 42);
    assert_int_equal(*(uint64_t *)bpf_map_lookup(&hash, &key), 42);
}

static void
test_map_reference_must_exist(void **state)
{
    (void)state;
    struct bpf_insn p[] = { INSN(0x18, 1, 1, 0, 3), LDDW_HI(0), MOV64_IMM(0, 0), EXIT() };
    struct bpf_test_env env = { .opts = &opts };
    assert_int_equal(bpf_test_run(p, N(p), &env, NULL, NULL), -EINVAL);
}

static void
test_bad_pointers_return_efault(void **state)
{
    (void)state;
    /* key pointer 16 (not granted) and a non-map handle */
    struct bpf_insn p[] = { INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), MOV64_IMM(2, 16), MOV64_IMM(3, 16),
                            MOV64_IMM(4, 0), CALL(BPF_FUNC_map_update_elem), EXIT() };
    struct bpf_insn q[] = { MOV64_IMM(1, 1234), MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -8),
                            CALL(BPF_FUNC_map_lookup_elem), EXIT() };
    struct bpf_test_env env = { .opts = &opts };
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal((int64_t)r0, -EFAULT);
    assert_int_equal(bpf_test_run(q, N(q), &env, &r0, NULL), 0);
    assert_int_equal(r0, 0);
}

static char trace_text[128];

static uint64_t
fake_time(void *user)
{
    return *(uint64_t *)user;
}

static uint32_t
fake_random(void *user)
{
    (void)user;
    return 4;
}

static void
fake_trace(void *user, const char *text, size_t len)
{
    (void)user;
    memcpy(trace_text, text, len);
    trace_text[len] = '\0';
}

static void
test_time_random_and_trace_hooks(void **state)
{
    (void)state;
    static const char fmt[] = "v=%d u=%u x=%lx %%";
    uint64_t now = 1000;
    struct bpf_hooks hooks = { fake_time, fake_random, fake_trace };
    struct bpf_test_env env = { .hooks = &hooks, .user = &now };
    struct bpf_region rg = { (void *)fmt, sizeof(fmt), BPF_REGION_READ };
    env.regions = &rg;
    env.nregions = 1;
    struct bpf_insn p[] = {
        CALL(BPF_FUNC_ktime_get_ns), MOV64_REG(6, 0), CALL(BPF_FUNC_get_prandom_u32),
        ALU64_REG(OP_ADD, 6, 0),
        LDDW_LO(1, (uintptr_t)fmt), LDDW_HI((uintptr_t)fmt), MOV64_IMM(2, sizeof(fmt)),
        MOV64_IMM(3, -3), MOV64_IMM(4, 7), MOV64_IMM(5, 255), CALL(BPF_FUNC_trace_printk),
        MOV64_REG(0, 6), EXIT(),
    };
    uint64_t r0;
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal(r0, 1004);
    assert_string_equal(trace_text, "v=-3 u=7 x=ff %");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_update_lookup_and_write_through_value, setup),
        cmocka_unit_test_setup(test_map_reference_must_exist, setup),
        cmocka_unit_test_setup(test_bad_pointers_return_efault, setup),
        cmocka_unit_test(test_time_random_and_trace_hooks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
