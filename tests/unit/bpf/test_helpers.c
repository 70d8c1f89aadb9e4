/* SPDX-License-Identifier: MIT */
/* Standard helpers called from programs: map access through lddw map references,
 * values written through the returned pointer, ring-buffer output, the time, random
 * and trace hooks, and bad pointer arguments returning -EFAULT instead of crashing;
 * updates whose value overlaps the element written (memmove semantics, checked under
 * ASan), and maps read-only to programs refused at run time (-EPERM) where the
 * verifier cannot see the map. */
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

/* ---- values that overlap the element they replace (memmove semantics) ---- */

static uint64_t ov_store[64];
static struct bpf_map ov;
static struct bpf_map *ov_maps[1] = { &ov };
static const struct bpf_prog_opts ov_opts = { .maps = ov_maps, .nmaps = 1 };

static void
ov_init(uint32_t type, uint32_t max_entries, uint32_t flags)
{
    struct bpf_map_def d = { type, 4, 16, max_entries, flags };
    assert_int_equal(bpf_map_init(&ov, &d, ov_store, sizeof(ov_store), "ov"), 0);
}

static void
fill(uint8_t *p, uint8_t first, unsigned n)
{
    for (unsigned k = 0; k < n; k++) {
        p[k] = (uint8_t)(first + k);
    }
}

/* v = lookup(&lookup_key) (r0 = 99 if absent); return update(map, key, v + value_off,
 * flags), the key being update_key on the stack, or at v + key_off if key_off >= 0. */
static int
run_update_from_element(uint32_t lookup_key, uint32_t update_key, int32_t value_off,
                        int32_t key_off, uint32_t flags, uint64_t *r0)
{
    struct bpf_insn p[] = {
        INSN(0x62, 10, 0, -4, lookup_key), INSN(0x62, 10, 0, -8, update_key),
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -4),
        CALL(BPF_FUNC_map_lookup_elem), JMP_IMM(OP_JNE, 0, 0, 2), MOV64_IMM(0, 99), EXIT(),
        MOV64_REG(3, 0), ALU64_IMM(OP_ADD, 3, value_off),
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0),
        key_off >= 0 ? MOV64_REG(2, 0) : MOV64_REG(2, 10),
        ALU64_IMM(OP_ADD, 2, key_off >= 0 ? key_off : -8),
        MOV64_IMM(4, flags), CALL(BPF_FUNC_map_update_elem), EXIT(),
    };
    struct bpf_test_env env = { .opts = &ov_opts };
    return bpf_test_run(p, N(p), &env, r0, NULL);
}

static void
test_array_update_from_overlapping_value(void **state)
{
    (void)state;
    uint8_t want[16];
    uint32_t k0 = 0, k1 = 1;
    uint64_t r0;
    ov_init(BPF_MAP_TYPE_ARRAY, 2, 0);
    fill(ov.values, 0, 32);
    assert_int_equal(run_update_from_element(0, 0, 8, -1, BPF_ANY, &r0), 0);
    assert_int_equal(r0, 0);
    fill(want, 8, 16); /* element 0 = the 16 bytes that started at its offset 8 */
    assert_memory_equal(bpf_map_lookup(&ov, &k0), want, 16);
    fill(want, 16, 16);
    assert_memory_equal(bpf_map_lookup(&ov, &k1), want, 16);
}

static void
test_hash_update_from_overlapping_value(void **state)
{
    (void)state;
    uint8_t v[16], want[16];
    uint32_t k1 = 1, k2 = 2;
    uint64_t r0;
    ov_init(BPF_MAP_TYPE_HASH, 2, 0);
    fill(v, 0, 16);
    assert_int_equal(bpf_map_update(&ov, &k1, v, BPF_ANY), 0);
    fill(v, 16, 16);
    assert_int_equal(bpf_map_update(&ov, &k2, v, BPF_ANY), 0);
    assert_int_equal(run_update_from_element(1, 1, 8, -1, BPF_EXIST, &r0), 0);
    assert_int_equal(r0, 0);
    fill(want, 8, 16);
    assert_memory_equal(bpf_map_lookup(&ov, &k1), want, 16);
    assert_memory_equal(bpf_map_lookup(&ov, &k2), v, 16);
}

static void
test_hash_insert_from_overlapping_value(void **state)
{
    (void)state;
    uint8_t v[16], want[16];
    uint32_t k1 = 1, k2 = 2;
    uint64_t r0;
    ov_init(BPF_MAP_TYPE_HASH, 2, 0);
    fill(v, 0, 16);
    assert_int_equal(bpf_map_update(&ov, &k1, v, BPF_ANY), 0); /* slot 0 */
    fill(ov.values + 16, 16, 16); /* bytes left in the free slot 1, which programs reach */
    /* key 2 goes to slot 1, its value read from slot 0 + 8: overlaps slot 1 */
    assert_int_equal(run_update_from_element(1, 2, 8, -1, BPF_NOEXIST, &r0), 0);
    assert_int_equal(r0, 0);
    fill(want, 8, 16);
    assert_memory_equal(bpf_map_lookup(&ov, &k2), want, 16);
    assert_memory_equal(bpf_map_lookup(&ov, &k1), v, 16);
}

static void
test_hash_insert_key_inside_the_new_value(void **state)
{
    (void)state;
    uint8_t v[16];
    uint32_t k1 = 1, k7 = 7;
    uint64_t r0;
    ov_init(BPF_MAP_TYPE_HASH, 4, 0);
    fill(v, 0, 16);
    assert_int_equal(bpf_map_update(&ov, &k1, v, BPF_ANY), 0); /* slot 0 */
    memcpy(ov.values + 16, &k7, 4);
    /* insert key 7, read from free slot 1, which its own value (slot 0's) overwrites:
     * the entry must still be found under 7 */
    assert_int_equal(run_update_from_element(1, 0, 0, 16, BPF_NOEXIST, &r0), 0);
    assert_int_equal(r0, 0);
    assert_non_null(bpf_map_lookup(&ov, &k7));
    assert_memory_equal(bpf_map_lookup(&ov, &k7), v, 16);
    assert_int_equal(bpf_map_delete(&ov, &k7), 0);
    assert_int_equal(ov.count, 1);
}

static void
test_ringbuf_output_from_its_own_storage(void **state)
{
    (void)state;
    struct bpf_map_def d = { BPF_MAP_TYPE_RINGBUF, 0, 0, 64, 0 };
    uint8_t out[64];
    uint64_t r0;
    assert_int_equal(bpf_map_init(&ov, &d, ov_store, sizeof(ov_store), "ring"), 0);
    /* an embedder region that (wrongly) grants the ring's bytes */
    struct bpf_region rg = { ov_store, 64, BPF_REGION_READ };
    struct bpf_test_env env = { .opts = &ov_opts, .regions = &rg, .nregions = 1 };
    struct bpf_insn p[] = { INSN(0x18, 1, 1, 0, 0), LDDW_HI(0),
                            LDDW_LO(2, (uintptr_t)ov_store), LDDW_HI((uintptr_t)ov_store),
                            MOV64_IMM(3, 16), MOV64_IMM(4, 0), CALL(BPF_FUNC_ringbuf_output),
                            EXIT() };
    assert_int_equal(bpf_test_run(p, N(p), &env, &r0, NULL), 0);
    assert_int_equal((int64_t)r0, -EINVAL);
    assert_int_equal(bpf_ringbuf_consume(&ov, out, sizeof(out)), -EAGAIN);
}

/* ---- maps read-only to programs, where the verifier cannot see the map ---- */

static void
test_read_only_map_refused_at_run_time(void **state)
{
    (void)state;
    uint64_t r0, v[2] = { 1000, 0 }; /* a const volatile global in .rodata */
    uint32_t k0 = 0;
    ov_init(BPF_MAP_TYPE_ARRAY, 1, BPF_F_RDONLY_PROG);
    assert_int_equal(bpf_map_update(&ov, &k0, v, BPF_ANY), 0); /* the host may */
    struct bpf_test_env env = { .opts = &ov_opts };
    /* the map handle goes through the stack, which the verifier does not follow */
    struct bpf_insn spilled[] = {
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), INSN(0x7b, 10, 1, -16, 0), INSN(0x79, 1, 10, -16, 0),
        INSN(0x62, 10, 0, -4, 0), INSN(0x7a, 10, 0, -24, 7), MOV64_REG(2, 10),
        ALU64_IMM(OP_ADD, 2, -4), MOV64_REG(3, 10), ALU64_IMM(OP_ADD, 3, -24), MOV64_IMM(4, 0),
        CALL(BPF_FUNC_map_update_elem), EXIT(),
    };
    /* ... or comes back from a local call */
    struct bpf_insn returned[] = {
        CALL_LOCAL(10), MOV64_REG(1, 0),
        INSN(0x62, 10, 0, -4, 0), INSN(0x7a, 10, 0, -24, 7), MOV64_REG(2, 10),
        ALU64_IMM(OP_ADD, 2, -4), MOV64_REG(3, 10), ALU64_IMM(OP_ADD, 3, -24), MOV64_IMM(4, 0),
        CALL(BPF_FUNC_map_update_elem), EXIT(),
        INSN(0x18, 0, 1, 0, 0), LDDW_HI(0), EXIT(),
    };
    /* ... or the helper is chosen at run time (callx) */
    struct bpf_insn by_callx[] = {
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0),
        INSN(0x62, 10, 0, -4, 0), INSN(0x7a, 10, 0, -24, 7), MOV64_REG(2, 10),
        ALU64_IMM(OP_ADD, 2, -4), MOV64_REG(3, 10), ALU64_IMM(OP_ADD, 3, -24), MOV64_IMM(4, 0),
        MOV64_IMM(6, BPF_FUNC_map_update_elem), INSN(0x8d, 6, 0, 0, 0), EXIT(),
    };
    struct bpf_insn *progs[] = { spilled, returned, by_callx };
    uint32_t lens[] = { N(spilled), N(returned), N(by_callx) };
    for (unsigned k = 0; k < 3; k++) {
        assert_int_equal(bpf_test_run(progs[k], lens[k], &env, &r0, NULL), 0);
        assert_int_equal((int64_t)r0, -EPERM);
        assert_int_equal(*(uint64_t *)bpf_map_lookup(&ov, &k0), 1000);
    }
}

static void
test_read_only_hash_and_ring_refused_at_run_time(void **state)
{
    (void)state;
    uint64_t r0, v[2] = { 5, 0 };
    uint32_t k0 = 0;
    struct bpf_test_env env = { .opts = &ov_opts };
    struct bpf_insn del[] = {
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), INSN(0x7b, 10, 1, -16, 0), INSN(0x79, 1, 10, -16, 0),
        INSN(0x62, 10, 0, -4, 0), MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -4),
        CALL(BPF_FUNC_map_delete_elem), EXIT(),
    };
    ov_init(BPF_MAP_TYPE_HASH, 2, BPF_F_RDONLY_PROG);
    assert_int_equal(bpf_map_update(&ov, &k0, v, BPF_ANY), 0);
    assert_int_equal(bpf_test_run(del, N(del), &env, &r0, NULL), 0);
    assert_int_equal((int64_t)r0, -EPERM);
    assert_non_null(bpf_map_lookup(&ov, &k0));

    struct bpf_map_def d = { BPF_MAP_TYPE_RINGBUF, 0, 0, 64, BPF_F_RDONLY_PROG };
    assert_int_equal(bpf_map_init(&ov, &d, ov_store, sizeof(ov_store), "ring"), 0);
    struct bpf_insn out[] = {
        INSN(0x18, 1, 1, 0, 0), LDDW_HI(0), INSN(0x7b, 10, 1, -16, 0), INSN(0x79, 1, 10, -16, 0),
        MOV64_REG(2, 10), ALU64_IMM(OP_ADD, 2, -16), MOV64_IMM(3, 8), MOV64_IMM(4, 0),
        CALL(BPF_FUNC_ringbuf_output), EXIT(),
    };
    uint8_t buf[16];
    assert_int_equal(bpf_test_run(out, N(out), &env, &r0, NULL), 0);
    assert_int_equal((int64_t)r0, -EPERM);
    assert_int_equal(bpf_ringbuf_consume(&ov, buf, sizeof(buf)), -EAGAIN);
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
        cmocka_unit_test(test_array_update_from_overlapping_value),
        cmocka_unit_test(test_hash_update_from_overlapping_value),
        cmocka_unit_test(test_hash_insert_from_overlapping_value),
        cmocka_unit_test(test_hash_insert_key_inside_the_new_value),
        cmocka_unit_test(test_ringbuf_output_from_its_own_storage),
        cmocka_unit_test(test_read_only_map_refused_at_run_time),
        cmocka_unit_test(test_read_only_hash_and_ring_refused_at_run_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
