/* SPDX-License-Identifier: MIT */
/* Loading eBPF programs from ELF relocatable objects built with clang -O2 -target bpf:
 * program sections (SEC("...")), BTF-style .maps and legacy "maps" definitions,
 * .rodata/.data/.bss as array maps, map and local-call relocations, the license.
 * All memory comes from the caller (struct bpf_elf_obj and its arena). Code: bpf/elf.c.
 */
#pragma once

#include <pica/bpf.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BPF_ELF_MAX_MAPS 16u
#define BPF_ELF_NO_PC    0xffffffffu /* bpf_verr.pc when the ELF itself is at fault */

/* One loaded object. The caller sets arena/arena_size (8-byte aligned) before
 * bpf_elf_load(); map storage and the relocated instructions are carved from it.
 * The object must outlive the programs loaded from it. */
/* Where a map came from (private to bpf/elf.c). */
struct bpf_elf_mapref {
    uint32_t shndx;  /* section index of its definition or data */
    uint32_t offset; /* definition offset in that section */
    uint32_t is_data; /* .rodata/.data/.bss: relocations address its value */
};

struct bpf_elf_obj {
    uint8_t *arena;
    size_t arena_size;
    size_t arena_used;
    struct bpf_map maps[BPF_ELF_MAX_MAPS];
    struct bpf_map *map_table[BPF_ELF_MAX_MAPS];
    struct bpf_elf_mapref refs[BPF_ELF_MAX_MAPS];
    unsigned nmaps;
    char license[64];
    struct bpf_prog_opts opts;  /* maps + helpers used for the program; helpers may be set
                                   by the caller before loading (NULL: standard helpers) */
    const struct bpf_insn *insns; /* the relocated program (in the arena) */
    uint32_t ninsns;
};

/* Load the program @name (a section name such as "xdp", or a function symbol such as
 * "main"; NULL: the first non-empty code section other than .text, else .text) from
 * the ELF image @elf of @len bytes: create its maps, relocate, verify and pre-decode
 * into @ops (@cap slots) and fill @p. Never reads outside @elf.
 * Context: thread.
 * Returns: 0; -EINVAL with @err->reason (ELF malformed: @err->pc = BPF_ELF_NO_PC; or
 * refused by the verifier: @err->pc = instruction); -ENOENT (no such program);
 * -ENOSPC (arena or @cap too small); -E2BIG; -ENOTSUP (unsupported feature). */
int bpf_elf_load(struct bpf_elf_obj *obj, const void *elf, size_t len, const char *name,
                 struct bpf_op *ops, uint32_t cap, struct bpf_prog *p, struct bpf_verr *err);

/* What loading a program from an object takes (bpf_elf_measure). */
struct bpf_elf_need {
    size_t arena;        /* arena bytes: map storage and the relocated program */
    uint32_t insns;      /* instruction slots: the @cap bpf_elf_load() needs */
    unsigned nmaps;
    const char *section; /* name of the program's section (points into the image) */
};

/* Measure, without loading or verifying, what bpf_elf_load() of the same @elf and
 * @name needs: an arena of need->arena bytes and need->insns slots of ops suffice.
 * Runs the loader's own parsing up to the layout (relocations are checked only by the
 * load). Context: any (reads only the image).
 * Returns: 0; -EINVAL (malformed: @err->reason), -ENOENT, -E2BIG, -ENOTSUP. */
int bpf_elf_measure(const void *elf, size_t len, const char *name, struct bpf_elf_need *need,
                    struct bpf_verr *err);

/* The map named @name in a loaded object, or NULL. */
struct bpf_map *bpf_elf_map(struct bpf_elf_obj *obj, const char *name);

#ifdef __cplusplus
}
#endif
