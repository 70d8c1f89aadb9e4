/* SPDX-License-Identifier: MIT */
/* C programs built with clang -target bpf (tests/bpf-progs), loaded through the ELF
 * loader and checked for their results: maps of each kind, globals, local calls and
 * loops, the benchmark kernels against host computations, run-time faults and map
 * accesses the verifier refuses. */
#include "bpf_test_util.h"

#include <pica/bpf_elf.h>

#include <stdio.h>
#include <string.h>

static uint8_t file[1 << 20];
static struct bpf_elf_obj obj;
static uint8_t arena[1 << 18] __attribute__((aligned(8)));
static struct bpf_op ops[BPF_MAX_INSNS];
static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
static struct bpf_prog prog;

static void
load(const char *object, const char *section)
{
    char path[512];
    struct bpf_verr err = { 0 };
    snprintf(path, sizeof(path), "%s/%s", PICA_BPF_PROGS_DIR, object);
    size_t len = bpf_test_read_file(path, file, sizeof(file));
    assert_true(len > 0);
    obj.arena = arena;
    obj.arena_size = sizeof(arena);
    int rc = bpf_elf_load(&obj, file, len, section, ops, BPF_MAX_INSNS, &prog, &err);
    if (rc != 0) {
        char msg[200];
        bpf_verr_format(&err, msg, sizeof(msg));
        print_message("%s %s: %s\n", object, section, msg);
    }
    assert_int_equal(rc, 0);
}

static int
run(void *ctx, size_t len, uint64_t *r0, struct bpf_exec *xo)
{
    struct bpf_exec x = { .ctx = ctx, .ctx_len = len, .ctx_rights = BPF_REGION_READ,
                          .stack = stack, .stack_size = sizeof(stack) };
    int rc = bpf_run(&prog, &x);
    *r0 = x.r0;
    if (xo != NULL) {
        *xo = x;
    }
    return rc;
}

static void
test_maps_program(void **state)
{
    (void)state;
    uint64_t r0;
    load("maps.o", "pica/maps");
    assert_string_equal(obj.license, "MIT");
    assert_int_equal(run(NULL, 0, &r0, NULL), 0);
    assert_int_equal(r0, 0);
    uint32_t key = 7;
    uint64_t *v = bpf_map_lookup(bpf_elf_map(&obj, "counts"), &key);
    assert_non_null(v);
    assert_int_equal(*v, 2);
    key = 5;
    assert_int_equal(*(uint64_t *)bpf_map_lookup(bpf_elf_map(&obj, "slots"), &key), 50);
    uint64_t rec[2];
    assert_int_equal(bpf_ringbuf_consume(bpf_elf_map(&obj, "events"), rec, sizeof(rec)), 16);
    assert_int_equal(rec[0], 0xfeed);
    assert_int_equal(rec[1], 42);
}

static void
test_globals_and_legacy_maps(void **state)
{
    (void)state;
    uint64_t r0;
    load("globals.o", "pica/globals");
    for (uint64_t k = 1; k <= 3; k++) {
        assert_int_equal(run(NULL, 0, &r0, NULL), 0);
        assert_int_equal(r0, 100 * k + 7);
    }
    uint32_t one = 1;
    assert_int_equal(*(uint64_t *)bpf_map_lookup(bpf_elf_map(&obj, "hits"), &one), 3);
}

static void
test_local_calls_and_loops(void **state)
{
    (void)state;
    uint64_t r0;
    load("calls.o", "pica/calls");
    assert_int_equal(run(NULL, 0, &r0, NULL), 0);
    assert_int_equal(r0, 6765 + 5050 + 1);
}

static uint32_t input[256];

static void
fill_input(void)
{
    uint32_t s = 12345;
    for (unsigned k = 0; k < 256; k++) {
        s = s * 1103515245u + 12345u;
        input[k] = s >> 8;
    }
}

static void
test_bench_kernels_match_host(void **state)
{
    (void)state;
    uint64_t r0;
    fill_input();
    const uint8_t *b = (const uint8_t *)input;
    uint32_t crc = 0xffffffffu, sum = 0, csum = 0, min = UINT32_MAX;
    for (int i = 0; i < 256; i++) {
        crc ^= b[i];
        for (int k = 0; k < 8; k++) {
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
        }
        sum += input[i];
    }
    for (int i = 0; i < 180; i++) {
        uint16_t h;
        memcpy(&h, b + 2 * i, 2);
        csum += h;
    }
    while (csum >> 16) {
        csum = (csum & 0xffff) + (csum >> 16);
    }
    for (int i = 0; i < 32; i++) {
        min = input[i] < min ? input[i] : min;
    }
    load("bench.o", "bench/crc32");
    assert_int_equal(run(input, sizeof(input), &r0, NULL), 0);
    assert_int_equal((uint32_t)r0, ~crc);
    load("bench.o", "bench/sum");
    assert_int_equal(run(input, sizeof(input), &r0, NULL), 0);
    assert_int_equal((uint32_t)r0, sum);
    load("bench.o", "bench/checksum");
    assert_int_equal(run(input, 360, &r0, NULL), 0);
    assert_int_equal((uint32_t)r0, (uint16_t)~csum);
    load("bench.o", "bench/bubble");
    assert_int_equal(run(input, 128, &r0, NULL), 0);
    assert_int_equal((uint32_t)r0, min);
}

static void
test_faulting_programs_return_errors(void **state)
{
    (void)state;
    uint64_t r0;
    struct bpf_exec x;
    load("faults.o", "fault/oob");
    assert_int_equal(run(input, sizeof(input), &r0, &x), -EFAULT);
    assert_non_null(x.fault);
    load("faults.o", "fault/rodata");
    assert_int_equal(run(NULL, 0, &r0, NULL), -EFAULT);
    load("faults.o", "fault/loop");
    assert_int_equal(run(NULL, 0, &r0, NULL), -ETIMEDOUT);
}

/* Map value accesses the verifier can place outside their value are refused at load
 * with the access named (tests/bpf-progs/bounds.c); the same accesses inside load and
 * run. */
static void
test_map_accesses_outside_the_value_are_refused_at_load(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "bounds/global", "access at offset 512 of 8 bytes is outside map '.bss' value "
                           "(32 bytes)" },
        { "bounds/lookup", "access at offset 4096 of 8 bytes is outside map 'cells' value "
                           "(8 bytes)" },
    };
    char path[512];
    snprintf(path, sizeof(path), "%s/bounds.o", PICA_BPF_PROGS_DIR);
    size_t len = bpf_test_read_file(path, file, sizeof(file));
    assert_true(len > 0);
    for (unsigned k = 0; k < N(cases); k++) {
        struct bpf_verr err = { 0 };
        char msg[200];
        obj.arena = arena;
        obj.arena_size = sizeof(arena);
        assert_int_equal(bpf_elf_load(&obj, file, len, cases[k][0], ops, BPF_MAX_INSNS, &prog,
                                      &err), -EINVAL);
        bpf_verr_format(&err, msg, sizeof(msg));
        print_message("%s: %s\n", cases[k][0], msg);
        assert_non_null(strstr(msg, cases[k][1]));
        assert_true(strncmp(msg, "insn ", 5) == 0);
    }
    uint64_t r0;
    load("bounds.o", "bounds/inside");
    assert_int_equal(run(NULL, 0, &r0, NULL), 0);
    assert_int_equal(r0, 0);
}

/* bpf_elf_measure() gives exactly the arena and slots a load takes, for each object
 * and program: one byte or slot less does not load. */
static void
test_measure_matches_load(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        { "maps.o", "pica/maps" }, { "globals.o", "pica/globals" }, { "calls.o", "pica/calls" },
        { "bench.o", "bench/bubble" }, { "hook.o", "pica/trace" }, { "hook.o", NULL },
    };
    for (unsigned k = 0; k < N(cases); k++) {
        char path[512];
        struct bpf_elf_need need;
        struct bpf_verr err = { 0 };
        snprintf(path, sizeof(path), "%s/%s", PICA_BPF_PROGS_DIR, cases[k][0]);
        size_t len = bpf_test_read_file(path, file, sizeof(file));
        assert_int_equal(bpf_elf_measure(file, len, cases[k][1], &need, &err), 0);
        assert_true(need.arena > 0 && need.arena <= sizeof(arena));
        assert_string_equal(need.section, cases[k][1] ? cases[k][1] : "pica/count");
        obj.arena = arena;
        obj.arena_size = need.arena;
        assert_int_equal(bpf_elf_load(&obj, file, len, cases[k][1], ops, need.insns, &prog,
                                      &err), 0);
        assert_int_equal(obj.arena_used, need.arena);
        assert_int_equal(obj.ninsns, need.insns);
        assert_int_equal(obj.nmaps, need.nmaps);
        obj.arena_size = need.arena - 1;
        assert_int_equal(bpf_elf_load(&obj, file, len, cases[k][1], ops, need.insns, &prog,
                                      &err), -ENOSPC);
        obj.arena_size = need.arena;
        assert_int_equal(bpf_elf_load(&obj, file, len, cases[k][1], ops, need.insns - 1, &prog,
                                      &err), -ENOSPC);
    }
    struct bpf_elf_need need;
    struct bpf_verr err = { 0 };
    assert_int_equal(bpf_elf_measure(file, 63, NULL, &need, &err), -EINVAL);
    assert_int_equal(err.pc, BPF_ELF_NO_PC);
    assert_non_null(err.reason);
    assert_int_equal(bpf_elf_measure(file, sizeof(file), "nope", &need, &err), -ENOENT);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_maps_program),
        cmocka_unit_test(test_globals_and_legacy_maps),
        cmocka_unit_test(test_local_calls_and_loops),
        cmocka_unit_test(test_bench_kernels_match_host),
        cmocka_unit_test(test_faulting_programs_return_errors),
        cmocka_unit_test(test_map_accesses_outside_the_value_are_refused_at_load),
        cmocka_unit_test(test_measure_matches_load),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
