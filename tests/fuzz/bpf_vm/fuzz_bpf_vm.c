/* SPDX-License-Identifier: MIT */
/* libFuzzer target over the verifier and the interpreter: the first input byte sets
 * the context length, the rest is the program, with an array and a hash map it may
 * reference. Whatever loads must finish or fail cleanly within a small budget; the
 * sanitizers catch any access outside the granted regions. */
#include <pica/bpf.h>

#include <stddef.h>
#include <stdint.h>
#include <string.h>

static uint64_t map_store[256];
static struct bpf_map array, hash;
static struct bpf_map *maps[2] = { &array, &hash };

static void
setup_maps(void)
{
    struct bpf_map_def a = { BPF_MAP_TYPE_ARRAY, 4, 16, 4, 0 };
    struct bpf_map_def h = { BPF_MAP_TYPE_HASH, 4, 8, 8, 0 };
    size_t na = bpf_map_storage_size(&a);
    bpf_map_init(&array, &a, map_store, na, "array");
    bpf_map_init(&hash, &h, (uint8_t *)map_store + na, sizeof(map_store) - na, "hash");
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static struct bpf_insn insns[512];
    static struct bpf_op ops[512];
    static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
    uint8_t ctx[64];
    /* first byte: context length; the rest: instructions */
    if (size < 1) {
        return 0;
    }
    size_t clen = data[0] % sizeof(ctx);
    size_t n = (size - 1) / 8;
    if (n > 512) {
        n = 512;
    }
    memcpy(insns, data + 1, n * 8);
    memset(ctx, 0xa5, sizeof(ctx));
    setup_maps();
    struct bpf_prog_opts opts = { .maps = maps, .nmaps = 2 };
    struct bpf_prog p;
    struct bpf_verr err;
    if (bpf_prog_load(&p, ops, 512, insns, (uint32_t)n, &opts, &err) != 0) {
        char msg[160];
        bpf_verr_format(&err, msg, sizeof(msg));
        return 0;
    }
    struct bpf_exec x = { .ctx = clen ? ctx : NULL, .ctx_len = clen,
                          .ctx_rights = BPF_REGION_READ | BPF_REGION_WRITE, .stack = stack,
                          .stack_size = sizeof(stack), .budget = 20000 };
    bpf_run(&p, &x);
    return 0;
}
