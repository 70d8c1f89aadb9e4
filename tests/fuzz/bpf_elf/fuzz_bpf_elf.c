/* SPDX-License-Identifier: MIT */
/* libFuzzer target over the ELF loader (and BTF reader): any input is offered as an
 * object; "main" and a few usual program section names are tried, and a program that
 * loads is also run with a small budget. Seeds: the clang-built test objects. */
#include <pica/bpf_elf.h>

#include <stddef.h>
#include <stdint.h>

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = { "main", "pica/maps", "pica/globals", "pica/calls",
                                         "bench/crc32", "xdp" };
    static struct bpf_elf_obj obj;
    static uint8_t arena[1 << 18] __attribute__((aligned(8)));
    static struct bpf_op ops[BPF_MAX_INSNS];
    static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
    for (unsigned k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        struct bpf_prog p;
        struct bpf_verr err;
        obj.arena = arena;
        obj.arena_size = sizeof(arena);
        if (bpf_elf_load(&obj, data, size, names[k], ops, BPF_MAX_INSNS, &p, &err) != 0) {
            continue;
        }
        struct bpf_exec x = { .stack = stack, .stack_size = sizeof(stack), .budget = 20000 };
        bpf_run(&p, &x);
    }
    return 0;
}
