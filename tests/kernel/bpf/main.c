/* SPDX-License-Identifier: MIT */
/* eBPF on the target: objects built by clang -target bpf from
 * tests/bpf-progs are loaded from flash through the ELF loader, verified and
 * run by the interpreter; the test checks the program's result and the map
 * contents it left, as kernel code would read them. */
#include <errno.h>
#include <pica/bpf.h>
#include <pica/bpf_elf.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

extern const uint8_t bpf_obj_maps[], bpf_obj_maps_end[];
extern const uint8_t bpf_obj_calls[], bpf_obj_calls_end[];

static struct bpf_elf_obj obj;
static uint8_t arena[16384] __attribute__((aligned(8)));
static struct bpf_op ops[1024];
static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
static struct bpf_prog prog;

static int
load(const uint8_t *start, const uint8_t *end, const char *section)
{
    struct bpf_verr err = {0};
    memset(&obj, 0, sizeof(obj));
    obj.arena = arena;
    obj.arena_size = sizeof(arena);
    int rc = bpf_elf_load(&obj, start, (size_t)(end - start), section, ops, 1024, &prog, &err);
    if (rc != 0) {
        char msg[160];
        bpf_verr_format(&err, msg, sizeof(msg));
        printf("  load %s: %s\n", section, msg);
    }
    return rc;
}

static int
run(uint64_t *r0)
{
    struct bpf_exec x = {.stack = stack, .stack_size = sizeof(stack)};
    int rc = bpf_run(&prog, &x);
    *r0 = x.r0;
    return rc;
}

PICA_TEST(program_updates_maps_the_kernel_reads)
{
    uint64_t r0 = 99;
    pica_assert_eq(load(bpf_obj_maps, bpf_obj_maps_end, "pica/maps"), 0);
    pica_assert_eq(run(&r0), 0);
    pica_assert_eq(r0, 0); /* every step inside the program behaved */
    uint32_t key = 7;
    uint64_t *v = bpf_map_lookup(bpf_elf_map(&obj, "counts"), &key);
    pica_assert(v != NULL);
    pica_assert_eq(*v, 2);
    key = 5;
    v = bpf_map_lookup(bpf_elf_map(&obj, "slots"), &key);
    pica_assert(v != NULL);
    pica_assert_eq(*v, 50);
    uint64_t rec[2];
    pica_assert_eq(bpf_ringbuf_consume(bpf_elf_map(&obj, "events"), rec, sizeof(rec)), 16);
    pica_assert_eq(rec[0], 0xfeed);
    pica_assert_eq(rec[1], 42);
    /* Running it again finds its own entry: step 1 (update with BPF_EXIST
     * of an absent key must fail) now succeeds, and the program says so. */
    pica_assert_eq(run(&r0), 0);
    pica_assert_eq(r0, 1);
}

PICA_TEST(local_calls_and_loops_run_on_the_target)
{
    uint64_t r0 = 0;
    pica_assert_eq(load(bpf_obj_calls, bpf_obj_calls_end, "pica/calls"), 0);
    pica_assert_eq(run(&r0), 0);
    /* fib(20) + sum of 1..100 + 1 for the checked frames */
    pica_assert_eq(r0, 6765 + 5050 + 1);
}

PICA_TEST(a_corrupt_object_is_refused)
{
    static uint8_t bad[512];
    size_t n = (size_t)(bpf_obj_maps_end - bpf_obj_maps);
    memcpy(bad, bpf_obj_maps, n < sizeof(bad) ? n : sizeof(bad));
    pica_assert_ne(load(bad, bad + sizeof(bad), "pica/maps"), 0);
    bad[0] = 0;
    pica_assert_ne(load(bad, bad + sizeof(bad), "pica/maps"), 0);
}

int
main(void)
{
    pica_test_run();
}
