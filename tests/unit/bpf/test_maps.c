/* SPDX-License-Identifier: MIT */
/* Maps on caller storage: array and hash semantics (update flags, capacity, delete,
 * iteration), storage checks, and the ring buffer (order, wrap-around, full). */
#include "bpf_test_util.h"

#include <string.h>

static uint64_t storage[4096];

static void
init(struct bpf_map *m, uint32_t type, uint32_t ks, uint32_t vs, uint32_t n)
{
    struct bpf_map_def d = { type, ks, vs, n, 0 };
    size_t need = bpf_map_storage_size(&d);
    assert_true(need > 0 && need <= sizeof(storage));
    assert_int_equal(bpf_map_init(m, &d, storage, need, "m"), 0);
}

static void
test_array_lookup_update(void **state)
{
    (void)state;
    struct bpf_map m;
    uint32_t k = 2, bad = 3;
    uint64_t v = 99;
    init(&m, BPF_MAP_TYPE_ARRAY, 4, 8, 3);
    assert_int_equal(*(uint64_t *)bpf_map_lookup(&m, &k), 0);
    assert_int_equal(bpf_map_update(&m, &k, &v, BPF_ANY), 0);
    assert_int_equal(*(uint64_t *)bpf_map_lookup(&m, &k), 99);
    assert_null(bpf_map_lookup(&m, &bad));
    assert_int_equal(bpf_map_update(&m, &bad, &v, BPF_ANY), -E2BIG);
    assert_int_equal(bpf_map_update(&m, &k, &v, BPF_NOEXIST), -EEXIST);
    assert_int_equal(bpf_map_delete(&m, &k), -EINVAL);
}

static void
test_hash_flags_and_capacity(void **state)
{
    (void)state;
    struct bpf_map m;
    uint64_t v = 1;
    init(&m, BPF_MAP_TYPE_HASH, 4, 8, 3);
    for (uint32_t k = 10; k < 13; k++) {
        assert_int_equal(bpf_map_update(&m, &k, &v, BPF_EXIST), -ENOENT);
        assert_int_equal(bpf_map_update(&m, &k, &v, BPF_NOEXIST), 0);
        assert_int_equal(bpf_map_update(&m, &k, &v, BPF_NOEXIST), -EEXIST);
    }
    uint32_t k = 13;
    assert_int_equal(bpf_map_update(&m, &k, &v, BPF_ANY), -E2BIG);
    k = 11;
    assert_int_equal(bpf_map_delete(&m, &k), 0);
    assert_int_equal(bpf_map_delete(&m, &k), -ENOENT);
    assert_null(bpf_map_lookup(&m, &k));
    k = 13;
    assert_int_equal(bpf_map_update(&m, &k, &v, BPF_ANY), 0); /* the freed slot */
    assert_int_equal(bpf_map_update(&m, &k, &v, 7), -EINVAL);
}

static void
test_hash_iteration_visits_each_key_once(void **state)
{
    (void)state;
    struct bpf_map m;
    uint64_t v = 0;
    init(&m, BPF_MAP_TYPE_HASH, 4, 8, 16);
    for (uint32_t k = 0; k < 16; k++) {
        uint32_t key = k * 7919;
        assert_int_equal(bpf_map_update(&m, &key, &v, BPF_ANY), 0);
    }
    unsigned seen = 0;
    uint32_t cur, next;
    const void *prev = NULL;
    while (bpf_map_next_key(&m, prev, &next) == 0) {
        assert_int_equal(next % 7919, 0);
        seen++;
        cur = next;
        prev = &cur;
        assert_true(seen <= 16);
    }
    assert_int_equal(seen, 16);
}

static void
test_bad_definitions_and_storage(void **state)
{
    (void)state;
    struct bpf_map m;
    struct bpf_map_def d = { BPF_MAP_TYPE_ARRAY, 8, 8, 4, 0 }; /* array key must be 4 */
    assert_int_equal(bpf_map_storage_size(&d), 0);
    d.key_size = 4;
    assert_int_equal(bpf_map_init(&m, &d, storage, 8, NULL), -ENOSPC);
    assert_int_equal(bpf_map_init(&m, &d, (uint8_t *)storage + 1, 4096, NULL), -EINVAL);
    struct bpf_map_def r = { BPF_MAP_TYPE_RINGBUF, 0, 0, 100, 0 }; /* not a power of two */
    assert_int_equal(bpf_map_storage_size(&r), 0);
}

static void
test_ringbuf_order_wrap_and_full(void **state)
{
    (void)state;
    struct bpf_map m;
    init(&m, BPF_MAP_TYPE_RINGBUF, 0, 0, 64);
    uint8_t out[64];
    for (uint32_t round = 0; round < 20; round++) {
        uint32_t a = round, b[3] = { round, round + 1, round + 2 };
        assert_int_equal(bpf_ringbuf_output(&m, &a, sizeof(a)), 0);
        assert_int_equal(bpf_ringbuf_output(&m, b, sizeof(b)), 0);
        assert_int_equal(bpf_ringbuf_consume(&m, out, sizeof(out)), 4);
        assert_memory_equal(out, &a, 4);
        assert_int_equal(bpf_ringbuf_consume(&m, out, 4), -ENOSPC); /* stays queued */
        assert_int_equal(bpf_ringbuf_consume(&m, out, sizeof(out)), 12);
        assert_memory_equal(out, b, 12);
    }
    assert_int_equal(bpf_ringbuf_consume(&m, out, sizeof(out)), -EAGAIN);
    uint8_t big[40] = { 0 };
    assert_int_equal(bpf_ringbuf_output(&m, big, sizeof(big)), 0);
    assert_int_equal(bpf_ringbuf_output(&m, big, sizeof(big)), -EAGAIN);
    assert_int_equal(m.dropped, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_array_lookup_update),
        cmocka_unit_test(test_hash_flags_and_capacity),
        cmocka_unit_test(test_hash_iteration_visits_each_key_once),
        cmocka_unit_test(test_bad_definitions_and_storage),
        cmocka_unit_test(test_ringbuf_order_wrap_and_full),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
