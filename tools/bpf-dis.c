/* SPDX-License-Identifier: MIT */
/* bpf-dis: disassemble eBPF code in the conformance assembly dialect.
 *   bpf-dis prog.o SECTION    a program of a clang-built object, after relocation
 *   bpf-dis prog.bin          raw little-endian instructions
 * It also runs the verifier and prints its verdict, so a refused program shows where.
 */
#include <pica/bpf.h>
#include <pica/bpf_elf.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FILE (4u << 20)

static void
print_program(const struct bpf_insn *insns, uint32_t n)
{
    char line[128];
    for (uint32_t pc = 0; pc < n;) {
        unsigned used = bpf_disasm_insn(insns, n, pc, line, sizeof(line));
        printf("%5u: %s\n", pc, line);
        pc += used;
    }
}

static int
verdict(int rc, const struct bpf_verr *err)
{
    char msg[256];
    if (rc == 0) {
        printf("; verifier: accepted\n");
        return 0;
    }
    if (err->reason == NULL) {
        printf("; load failed: error %d\n", rc);
    } else if (err->pc == BPF_ELF_NO_PC) {
        printf("; elf: %s\n", err->reason);
    } else {
        bpf_verr_format(err, msg, sizeof(msg));
        printf("; verifier: %s\n", msg);
    }
    return 1;
}

static int
dis_elf(const uint8_t *buf, size_t len, const char *section)
{
    static struct bpf_elf_obj obj;
    static uint8_t arena[MAX_FILE] __attribute__((aligned(8)));
    static struct bpf_op ops[BPF_MAX_INSNS];
    struct bpf_prog p;
    struct bpf_verr err = { 0 };
    obj.arena = arena;
    obj.arena_size = sizeof(arena);
    int rc = bpf_elf_load(&obj, buf, len, section, ops, BPF_MAX_INSNS, &p, &err);
    for (unsigned k = 0; k < obj.nmaps; k++) {
        printf("; map[%u] %s: type %u key %u value %u entries %u\n", k, obj.maps[k].name,
               obj.maps[k].def.type, obj.maps[k].def.key_size, obj.maps[k].def.value_size,
               obj.maps[k].def.max_entries);
    }
    if (obj.insns != NULL) {
        print_program(obj.insns, obj.ninsns);
    }
    return verdict(rc, &err);
}

int
main(int argc, char **argv)
{
    if (argc < 2 || argc > 3) {
        fprintf(stderr, "usage: bpf-dis prog.o SECTION | bpf-dis prog.bin\n");
        return 2;
    }
    FILE *f = fopen(argv[1], "rb");
    static uint8_t buf[MAX_FILE];
    size_t len = f ? fread(buf, 1, sizeof(buf), f) : 0;
    if (f == NULL) {
        perror(argv[1]);
        return 2;
    }
    fclose(f);
    if (len >= 4 && memcmp(buf, "\177ELF", 4) == 0) {
        if (argc != 3) {
            fprintf(stderr, "bpf-dis: name the program section or function\n");
            return 2;
        }
        return dis_elf(buf, len, argv[2]);
    }
    static struct bpf_insn insns[MAX_FILE / 8];
    static struct bpf_op scratch[MAX_FILE / 8];
    uint32_t n = (uint32_t)(len / 8);
    memcpy(insns, buf, (size_t)n * 8);
    print_program(insns, n);
    struct bpf_verr err = { 0 };
    return verdict(bpf_verify(insns, n, NULL, scratch, &err), &err);
}
