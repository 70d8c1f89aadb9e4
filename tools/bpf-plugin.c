/* SPDX-License-Identifier: MIT */
/* bpf-plugin: runs one eBPF program for the conformance runner (bpfconf.py).
 *   bpf-plugin [<memory as hex bytes>] [--elf] [--budget N]  < program as hex bytes
 * Prints r0 in hex and exits 0, or exits non-zero with a one-word class on the first
 * line ("Invalid": refused at load, "Fault": error while running, "Usage") and the
 * message naming the instruction and the reason on the second.
 */
#include <pica/bpf.h>
#include <pica/bpf_elf.h>

#include <inttypes.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_BYTES (1u << 20)

static int
usage(const char *why)
{
    fprintf(stderr, "Usage\nbpf-plugin [<memory hex>] [--elf] [--budget N] < program hex: %s\n",
            why);
    return 3;
}

/* Parse whitespace-separated hex bytes ("0a 1b", "0x0a") into @out; returns count or -1. */
static long
parse_hex(const char *s, uint8_t *out, size_t cap)
{
    size_t n = 0;
    while (*s != '\0') {
        char *end;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r') {
            s++;
        }
        if (*s == '\0') {
            break;
        }
        unsigned long v = strtoul(s, &end, 16);
        if (end == s || v > 0xff || n >= cap) {
            return -1;
        }
        out[n++] = (uint8_t)v;
        s = end;
    }
    return (long)n;
}

static char *
read_stdin(void)
{
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap + 1);
    size_t got;
    while (buf != NULL && (got = fread(buf + len, 1, cap - len, stdin)) > 0) {
        len += got;
        if (len == cap) {
            char *bigger = cap < 8 * MAX_BYTES ? realloc(buf, 2 * cap + 1) : NULL;
            if (bigger == NULL) {
                free(buf);
                return NULL;
            }
            buf = bigger;
            cap *= 2;
        }
    }
    if (buf != NULL) {
        buf[len] = '\0';
    }
    return buf;
}

static int
refused(const struct bpf_verr *e)
{
    char msg[256];
    bpf_verr_format(e, msg, sizeof(msg));
    fprintf(stderr, "Invalid\n%s\n", msg);
    return 1;
}

int
main(int argc, char **argv)
{
    const char *memhex = NULL;
    int elf = 0;
    uint64_t budget = 0;
    for (int a = 1; a < argc; a++) {
        if (strcmp(argv[a], "--elf") == 0) {
            elf = 1;
        } else if (strcmp(argv[a], "--budget") == 0 && a + 1 < argc) {
            budget = strtoull(argv[++a], NULL, 0);
        } else if (strncmp(argv[a], "--", 2) == 0 || memhex != NULL) {
            return usage("unknown argument");
        } else {
            memhex = argv[a];
        }
    }
    static uint8_t prog[MAX_BYTES], mem_in[MAX_BYTES];
    char *text = read_stdin();
    long plen = text ? parse_hex(text, prog, sizeof(prog)) : -1;
    free(text);
    long mlen = memhex ? parse_hex(memhex, mem_in, sizeof(mem_in)) : 0;
    if (plen < 0 || mlen < 0) {
        return usage("bad hex input");
    }

    static struct bpf_op ops[BPF_MAX_INSNS];
    struct bpf_prog p;
    struct bpf_verr err = { 0 };
    int rc;
    static struct bpf_elf_obj obj;
    static uint8_t arena[1u << 20] __attribute__((aligned(8)));
    obj.arena = arena;
    obj.arena_size = sizeof(arena);
    if (elf) {
        rc = bpf_elf_load(&obj, prog, (size_t)plen, "main", ops, BPF_MAX_INSNS, &p, &err);
        if (rc == -EINVAL && err.reason != NULL && err.pc != BPF_ELF_NO_PC) {
            return refused(&err);
        }
        if (rc != 0) {
            fprintf(stderr, "Invalid\nelf: %s\n", err.reason ? err.reason : "cannot load");
            return 1;
        }
    } else {
        if (plen % 8 != 0) {
            return usage("program length is not a multiple of 8");
        }
        static struct bpf_insn insns[MAX_BYTES / 8];
        memcpy(insns, prog, (size_t)plen);
        rc = bpf_prog_load(&p, ops, BPF_MAX_INSNS, insns, (uint32_t)(plen / 8), NULL, &err);
        if (rc == -ENOSPC) {
            fprintf(stderr, "Invalid\nprogram is longer than %u instructions\n", BPF_MAX_INSNS);
            return 1;
        }
        if (rc != 0) {
            return refused(&err);
        }
    }

    /* exact-size copy of the memory so the sanitizers see any overrun */
    uint8_t *mem = mlen > 0 ? malloc((size_t)mlen) : NULL;
    if (mlen > 0) {
        memcpy(mem, mem_in, (size_t)mlen);
    }
    static uint64_t stack[BPF_MAX_CALL_DEPTH * BPF_STACK_SIZE / 8];
    struct bpf_exec x = { .ctx = mem, .ctx_len = (size_t)mlen,
                          .ctx_rights = BPF_REGION_READ | BPF_REGION_WRITE,
                          .stack = stack, .stack_size = sizeof(stack), .budget = budget };
    rc = bpf_run(&p, &x);
    free(mem);
    if (rc != 0) {
        fprintf(stderr, "Fault\ninsn %" PRIu32 ": %s\n", x.fault_pc, x.fault ? x.fault : "error");
        return 2;
    }
    printf("0x%" PRIx64 "\n", x.r0);
    return 0;
}
