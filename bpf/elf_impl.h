/* SPDX-License-Identifier: MIT */
/* Private to bpf/: a bounds-checked view of an ELF64 little-endian image shared by
 * the loader (elf.c) and the BTF map-definition reader (btf.c). Every accessor
 * validates offsets against the image length, so malformed input yields an error.
 */
#pragma once

#include <pica/bpf_elf.h>

#include <stdbool.h>
#include <string.h>

enum {
    SHT_PROGBITS = 1,
    SHT_SYMTAB = 2,
    SHT_STRTAB = 3,
    SHT_NOBITS = 8,
    SHT_REL = 9,
    SHF_EXECINSTR = 4,
    STT_FUNC = 2,
    STT_SECTION = 3,
    R_BPF_64_64 = 1,
    R_BPF_64_ABS64 = 2,
    R_BPF_64_ABS32 = 3,
    R_BPF_64_NODYLD32 = 4,
    R_BPF_64_32 = 10,
};

struct elf_view {
    const uint8_t *p;
    size_t len;
    uint64_t shoff;
    uint32_t shnum;
    uint32_t shstrndx;
    uint32_t symtab;  /* section index of .symtab, 0 if none */
    uint32_t nsyms;
};

struct elf_sec {
    uint32_t name;
    uint32_t type;
    uint64_t flags;
    uint64_t off;
    uint64_t size;
    uint32_t link;
    uint32_t info;
    uint64_t entsize;
};

struct elf_sym {
    uint32_t name;
    uint8_t info;
    uint16_t shndx;
    uint64_t value;
    uint64_t size;
};

static inline bool
elf_range_ok(const struct elf_view *e, uint64_t off, uint64_t size)
{
    return off <= e->len && size <= e->len - off;
}

static inline uint32_t
elf_rd32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return v;
}

static inline uint64_t
elf_rd64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return v;
}

bool elf_section(const struct elf_view *e, uint32_t idx, struct elf_sec *s);
const char *elf_string(const struct elf_view *e, uint32_t strsec, uint32_t off);
const char *elf_section_name(const struct elf_view *e, uint32_t idx);
bool elf_symbol(const struct elf_view *e, uint32_t idx, struct elf_sym *sym);
uint32_t elf_find_section(const struct elf_view *e, const char *name);

/* Map definitions from BTF for the variables of the ".maps" section (btf.c).
 * Calls @add for each; returns 0 or a negative errno with *why set. */
typedef int (*btf_map_cb)(void *arg, const char *name, uint32_t offset,
                          const struct bpf_map_def *def);
int btf_maps(const struct elf_view *e, btf_map_cb add, void *arg, const char **why);
