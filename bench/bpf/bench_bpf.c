/* SPDX-License-Identifier: MIT */
/* bench_bpf: runs one program of a clang-built object @runs times over a fixed
 * pseudo-random input, with every memory check on, and prints the eBPF instructions
 * executed per run. bench/bpf/callgrind.py runs it under callgrind, counting host
 * instructions inside bpf_run() only, and divides.
 *   bench_bpf OBJECT SECTION RUNS      ("-" as OBJECT: the empty program, fixed cost)
 */
#include <pica/bpf_elf.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

static uint8_t file[1 << 20];
static uint8_t arena[1 << 18] __attribute__((aligned(8)));
static struct bpf_elf_obj obj;
static struct bpf_op ops[BPF_MAX_INSNS];
static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
static uint32_t input[256];

static int
load(const char *path, const char *section, struct bpf_prog *p)
{
    struct bpf_verr err = { 0 };
    if (path[0] == '-') {
        static const struct bpf_insn empty[] = { { 0xb7, 0, 0, 0 }, { 0x95, 0, 0, 0 } };
        return bpf_prog_load(p, ops, BPF_MAX_INSNS, empty, 2, NULL, &err);
    }
    FILE *f = fopen(path, "rb");
    size_t len = f ? fread(file, 1, sizeof(file), f) : 0;
    if (f != NULL) {
        fclose(f);
    }
    obj.arena = arena;
    obj.arena_size = sizeof(arena);
    int rc = bpf_elf_load(&obj, file, len, section, ops, BPF_MAX_INSNS, p, &err);
    if (rc != 0) {
        char msg[200];
        bpf_verr_format(&err, msg, sizeof(msg));
        fprintf(stderr, "bench_bpf: %s %s: %s\n", path, section, msg);
    }
    return rc;
}

int
main(int argc, char **argv)
{
    struct bpf_prog p;
    if (argc != 4 || load(argv[1], argv[2], &p) != 0) {
        fprintf(stderr, "usage: bench_bpf OBJECT|- SECTION RUNS\n");
        return 2;
    }
    uint32_t s = 12345;
    for (unsigned k = 0; k < 256; k++) {
        s = s * 1103515245u + 12345u;
        input[k] = s >> 8;
    }
    long runs = strtol(argv[3], NULL, 0);
    uint64_t executed = 0;
    for (long k = 0; k < runs; k++) {
        struct bpf_exec x = { .ctx = input, .ctx_len = sizeof(input),
                              .ctx_rights = BPF_REGION_READ, .stack = stack,
                              .stack_size = sizeof(stack) };
        if (bpf_run(&p, &x) != 0) {
            fprintf(stderr, "bench_bpf: fault at %" PRIu32 ": %s\n", x.fault_pc, x.fault);
            return 1;
        }
        executed = x.executed;
    }
    printf("%" PRIu64 "\n", executed);
    return 0;
}
