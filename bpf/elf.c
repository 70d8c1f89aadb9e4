/* SPDX-License-Identifier: MIT */
/* ELF loader for clang -target bpf relocatable objects: bpf_elf_load() creates the
 * object's maps (legacy "maps", BTF ".maps" via btf.c, and .rodata/.data/.bss as
 * one-element arrays), lays out the program section followed by the sections its
 * local calls reach (normally .text), applies map and call relocations and hands the
 * result to bpf_prog_load() (prog.c). Every offset read from the image is checked.
 * bpf_elf_measure() runs the same steps up to the layout without an object, counting
 * the arena bytes and instruction slots a load will take.
 */
#include "bpf_impl.h"
#include "elf_impl.h"

#include <errno.h>

#define MAX_PROG_SECTIONS 8
#define MAX_DATA_MAP      (1u << 16)

/* ---- the bounds-checked view (declared in elf_impl.h) ---- */

bool
elf_section(const struct elf_view *e, uint32_t idx, struct elf_sec *s)
{
    if (idx == 0 || idx >= e->shnum) {
        return false;
    }
    const uint8_t *h = e->p + e->shoff + (uint64_t)idx * 64;
    s->name = elf_rd32(h);
    s->type = elf_rd32(h + 4);
    s->flags = elf_rd64(h + 8);
    s->off = elf_rd64(h + 24);
    s->size = elf_rd64(h + 32);
    s->link = elf_rd32(h + 40);
    s->info = elf_rd32(h + 44);
    s->entsize = elf_rd64(h + 56);
    return s->type == SHT_NOBITS || elf_range_ok(e, s->off, s->size);
}

const char *
elf_string(const struct elf_view *e, uint32_t strsec, uint32_t off)
{
    struct elf_sec s;
    if (!elf_section(e, strsec, &s) || s.type != SHT_STRTAB || off >= s.size) {
        return NULL;
    }
    for (uint64_t k = off; k < s.size; k++) {
        if (e->p[s.off + k] == '\0') {
            return (const char *)e->p + s.off + off;
        }
    }
    return NULL;
}

const char *
elf_section_name(const struct elf_view *e, uint32_t idx)
{
    struct elf_sec s;
    return elf_section(e, idx, &s) ? elf_string(e, e->shstrndx, s.name) : NULL;
}

bool
elf_symbol(const struct elf_view *e, uint32_t idx, struct elf_sym *sym)
{
    struct elf_sec s;
    if (idx >= e->nsyms || !elf_section(e, e->symtab, &s)) {
        return false;
    }
    const uint8_t *p = e->p + s.off + (uint64_t)idx * 24;
    sym->name = elf_rd32(p);
    sym->info = p[4];
    memcpy(&sym->shndx, p + 6, 2);
    sym->value = elf_rd64(p + 8);
    sym->size = elf_rd64(p + 16);
    return true;
}

uint32_t
elf_find_section(const struct elf_view *e, const char *name)
{
    for (uint32_t k = 1; k < e->shnum; k++) {
        const char *n = elf_section_name(e, k);
        if (n != NULL && strcmp(n, name) == 0) {
            return k;
        }
    }
    return 0;
}

static const char *
elf_symbol_name(const struct elf_view *e, const struct elf_sym *sym)
{
    struct elf_sec s;
    return elf_section(e, e->symtab, &s) ? elf_string(e, s.link, sym->name) : NULL;
}

/* ---- loading ---- */

struct loader {
    struct elf_view e;
    struct bpf_elf_obj *obj;  /* NULL: measuring (nothing is written) */
    size_t measured;          /* arena bytes, when measuring */
    unsigned nmaps;
    struct bpf_verr *err;
    uint32_t secs[MAX_PROG_SECTIONS]; /* program section, then call targets */
    uint32_t bases[MAX_PROG_SECTIONS]; /* first instruction of each in the layout */
    unsigned nsecs;
    struct bpf_insn *insns;
    uint32_t ninsns;
};

static int
fail(struct loader *l, int rc, const char *why)
{
    *l->err = (struct bpf_verr){ .pc = BPF_ELF_NO_PC, .reg = -1, .reason = why };
    return rc;
}

/* Take @size bytes (8-aligned) of the arena into *at; when measuring only count them
 * (*at = NULL). Loading and measuring take the same sizes in the same order, so a
 * load fits in exactly the arena bpf_elf_measure() reported. */
static bool
arena_alloc(struct loader *l, uint64_t size, void **at)
{
    size_t *used = l->obj != NULL ? &l->obj->arena_used : &l->measured;
    uint64_t cap = l->obj != NULL ? l->obj->arena_size : SIZE_MAX;
    uint64_t start = ((uint64_t)*used + 7u) & ~(uint64_t)7u;
    if (start > cap || size > cap - start) {
        return false;
    }
    *used = (size_t)(start + size);
    *at = l->obj != NULL ? l->obj->arena + start : NULL;
    return true;
}

static int
elf_open(struct loader *l, const void *image, size_t len)
{
    const uint8_t *p = image;
    struct elf_view *e = &l->e;
    if (image == NULL || len < 64 || memcmp(p, "\177ELF", 4) != 0 || p[4] != 2 || p[5] != 1) {
        return fail(l, -EINVAL, "not a 64-bit little-endian ELF image");
    }
    uint16_t type, machine, shentsize, shnum, shstrndx;
    memcpy(&type, p + 16, 2);
    memcpy(&machine, p + 18, 2);
    memcpy(&shentsize, p + 58, 2);
    memcpy(&shnum, p + 60, 2);
    memcpy(&shstrndx, p + 62, 2);
    *e = (struct elf_view){ .p = p, .len = len, .shoff = elf_rd64(p + 40), .shnum = shnum,
                            .shstrndx = shstrndx };
    if (type != 1 || machine != 247) {
        return fail(l, -EINVAL, "not a relocatable eBPF object (e_type, e_machine)");
    }
    if (shentsize != 64 || shnum == 0 || shstrndx >= shnum ||
        !elf_range_ok(e, e->shoff, (uint64_t)shnum * 64)) {
        return fail(l, -EINVAL, "section header table out of bounds");
    }
    for (uint32_t k = 1; k < shnum; k++) {
        struct elf_sec s;
        if (!elf_section(e, k, &s)) {
            return fail(l, -EINVAL, "section data out of bounds");
        }
        if (s.type == SHT_SYMTAB && e->symtab == 0) {
            if (s.entsize != 24 || s.link >= shnum) {
                return fail(l, -EINVAL, "malformed symbol table");
            }
            e->symtab = k;
            e->nsyms = (uint32_t)(s.size / 24 > UINT32_MAX ? UINT32_MAX : s.size / 24);
        }
    }
    return e->symtab != 0 ? 0 : fail(l, -EINVAL, "no symbol table");
}

static int
add_map(struct loader *l, const char *name, const struct bpf_map_def *def, uint32_t shndx,
        uint32_t offset, bool is_data)
{
    struct bpf_elf_obj *obj = l->obj;
    void *storage;
    if (l->nmaps >= BPF_ELF_MAX_MAPS) {
        return fail(l, -E2BIG, "too many maps");
    }
    size_t need = bpf_map_storage_size(def);
    if (need == 0) {
        return fail(l, -EINVAL, "unsupported or invalid map definition");
    }
    if (!arena_alloc(l, need, &storage)) {
        return fail(l, -ENOSPC, "arena too small for the maps");
    }
    unsigned k = l->nmaps++;
    if (obj == NULL) {
        return 0;
    }
    if (bpf_map_init(&obj->maps[k], def, storage, need, name) != 0) {
        return fail(l, -EINVAL, "invalid map definition");
    }
    obj->map_table[k] = &obj->maps[k];
    obj->refs[k] = (struct bpf_elf_mapref){ shndx, offset, is_data };
    obj->nmaps = l->nmaps;
    return 0;
}

/* Legacy SEC("maps"): struct { u32 type, key_size, value_size, max_entries, flags; }. */
static int
legacy_maps(struct loader *l, uint32_t shndx)
{
    struct elf_sec s;
    struct elf_sym sym;
    elf_section(&l->e, shndx, &s);
    for (uint32_t k = 1; elf_symbol(&l->e, k, &sym); k++) {
        if (sym.shndx != shndx || (sym.info & 0xf) == STT_SECTION || s.type == SHT_NOBITS) {
            continue;
        }
        if (sym.value > s.size || s.size - sym.value < 16) {
            return fail(l, -EINVAL, "legacy map definition out of bounds");
        }
        const uint8_t *d = l->e.p + s.off + sym.value;
        struct bpf_map_def def = { elf_rd32(d), elf_rd32(d + 4), elf_rd32(d + 8),
                                   elf_rd32(d + 12), 0 };
        if (s.size - sym.value >= 20) {
            def.flags = elf_rd32(d + 16);
        }
        const char *name = elf_symbol_name(&l->e, &sym);
        int err = add_map(l, name ? name : "", &def, shndx, (uint32_t)sym.value, false);
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

struct btf_ctx {
    struct loader *l;
    uint32_t shndx;
};

/* clang leaves the DATASEC offsets at zero, so the symbol of the same name gives the
 * definition's place in .maps (what relocations refer to). */
static int
btf_add(void *arg, const char *name, uint32_t offset, const struct bpf_map_def *def)
{
    struct btf_ctx *c = arg;
    struct elf_sym sym;
    (void)offset;
    for (uint32_t k = 1; elf_symbol(&c->l->e, k, &sym); k++) {
        const char *n = elf_symbol_name(&c->l->e, &sym);
        if (sym.shndx == c->shndx && n != NULL && strcmp(n, name) == 0) {
            return add_map(c->l, name, def, c->shndx, (uint32_t)sym.value, false);
        }
    }
    return fail(c->l, -EINVAL, "BTF map without a symbol in .maps");
}

/* .rodata*, .data*, .bss*: one array element holding the section's bytes. */
static int
data_map(struct loader *l, uint32_t shndx, const char *name)
{
    struct elf_sec s;
    elf_section(&l->e, shndx, &s);
    if (s.size == 0) {
        return 0;
    }
    if (s.size > MAX_DATA_MAP) {
        return fail(l, -E2BIG, "global data section too large");
    }
    bool ro = strncmp(name, ".rodata", 7) == 0;
    struct bpf_map_def def = { BPF_MAP_TYPE_ARRAY, 4, (uint32_t)s.size, 1,
                               ro ? BPF_F_RDONLY_PROG : 0 };
    int err = add_map(l, name, &def, shndx, 0, true);
    if (err == 0 && s.type != SHT_NOBITS && l->obj != NULL) {
        memcpy(l->obj->maps[l->obj->nmaps - 1].values, l->e.p + s.off, s.size);
    }
    return err;
}

static bool
is_data_section(const char *n)
{
    return strncmp(n, ".rodata", 7) == 0 || strncmp(n, ".data", 5) == 0 ||
           strncmp(n, ".bss", 4) == 0;
}

static int
create_maps(struct loader *l)
{
    for (uint32_t k = 1; k < l->e.shnum; k++) {
        const char *n = elf_section_name(&l->e, k);
        struct elf_sec s;
        int err = 0;
        if (n == NULL || !elf_section(&l->e, k, &s) ||
            (s.type != SHT_PROGBITS && s.type != SHT_NOBITS)) {
            continue;
        }
        if (strcmp(n, "maps") == 0) {
            err = legacy_maps(l, k);
        } else if (strcmp(n, ".maps") == 0) {
            struct btf_ctx c = { l, k };
            const char *why = NULL;
            err = btf_maps(&l->e, btf_add, &c, &why);
            if (err != 0 && l->err->reason == NULL) {
                err = fail(l, err, why);
            }
        } else if (is_data_section(n)) {
            err = data_map(l, k, n);
        } else if (strcmp(n, "license") == 0 && s.type == SHT_PROGBITS && l->obj != NULL) {
            size_t len = s.size < sizeof(l->obj->license) - 1 ? (size_t)s.size
                                                               : sizeof(l->obj->license) - 1;
            memcpy(l->obj->license, l->e.p + s.off, len);
            l->obj->license[len] = '\0';
        }
        if (err != 0) {
            return err;
        }
    }
    return 0;
}

static bool
is_code_section(const struct elf_view *e, uint32_t k)
{
    struct elf_sec s;
    return elf_section(e, k, &s) && s.type == SHT_PROGBITS && (s.flags & SHF_EXECINSTR) &&
           s.size != 0;
}

/* The first non-empty code section other than .text (which holds the subprograms),
 * else .text. */
static int
first_program(struct loader *l, uint32_t *shndx)
{
    uint32_t text = 0;
    for (uint32_t k = 1; k < l->e.shnum; k++) {
        const char *n = elf_section_name(&l->e, k);
        if (n == NULL || !is_code_section(&l->e, k)) {
            continue;
        }
        if (strcmp(n, ".text") != 0) {
            *shndx = k;
            return 0;
        }
        text = k;
    }
    *shndx = text;
    return text != 0 ? 0 : fail(l, -ENOENT, "no program in the object");
}

static int
find_program(struct loader *l, const char *name, uint32_t *shndx)
{
    struct elf_sec s;
    struct elf_sym sym;
    if (name == NULL) {
        return first_program(l, shndx);
    }
    uint32_t k = elf_find_section(&l->e, name);
    if (k != 0 && elf_section(&l->e, k, &s) && s.type == SHT_PROGBITS &&
        (s.flags & SHF_EXECINSTR)) {
        *shndx = k;
        return 0;
    }
    for (k = 1; elf_symbol(&l->e, k, &sym); k++) {
        const char *n = elf_symbol_name(&l->e, &sym);
        if ((sym.info & 0xf) != STT_FUNC || n == NULL || strcmp(n, name) != 0) {
            continue;
        }
        if (!elf_section(&l->e, sym.shndx, &s) || s.type != SHT_PROGBITS ||
            !(s.flags & SHF_EXECINSTR)) {
            return fail(l, -EINVAL, "program symbol is not in a code section");
        }
        if (sym.value != 0) {
            return fail(l, -ENOTSUP, "program must start at the beginning of its section");
        }
        *shndx = sym.shndx;
        return 0;
    }
    return fail(l, -ENOENT, "no program section or function of that name");
}

static int
layout_index(const struct loader *l, uint32_t shndx)
{
    for (unsigned k = 0; k < l->nsecs; k++) {
        if (l->secs[k] == shndx) {
            return (int)k;
        }
    }
    return -1;
}

/* Relocation @n of the REL section @rel: offset, symbol, type. */
static bool
reloc_at(const struct loader *l, const struct elf_sec *rel, uint64_t n, uint64_t *off,
         struct elf_sym *sym, uint32_t *type)
{
    const uint8_t *p = l->e.p + rel->off + n * 16;
    uint64_t info = elf_rd64(p + 8);
    *off = elf_rd64(p);
    *type = (uint32_t)info;
    return elf_symbol(&l->e, (uint32_t)(info >> 32), sym);
}

/* Append the code sections that local-call relocations of section @idx reach. */
static int
collect_callees(struct loader *l, uint32_t idx)
{
    for (uint32_t k = 1; k < l->e.shnum; k++) {
        struct elf_sec rel, target;
        if (!elf_section(&l->e, k, &rel) || rel.type != SHT_REL || rel.info != idx) {
            continue;
        }
        for (uint64_t n = 0; n < rel.size / 16; n++) {
            uint64_t off;
            uint32_t type;
            struct elf_sym sym;
            if (!reloc_at(l, &rel, n, &off, &sym, &type)) {
                return fail(l, -EINVAL, "relocation names a missing symbol");
            }
            if (type != R_BPF_64_32 || layout_index(l, sym.shndx) >= 0) {
                continue;
            }
            if (!elf_section(&l->e, sym.shndx, &target) || target.type != SHT_PROGBITS ||
                !(target.flags & SHF_EXECINSTR)) {
                return fail(l, -EINVAL, "local call relocation to a non-code section");
            }
            if (l->nsecs == MAX_PROG_SECTIONS) {
                return fail(l, -E2BIG, "local calls reach too many sections");
            }
            l->secs[l->nsecs++] = sym.shndx;
        }
    }
    return 0;
}

static int
layout(struct loader *l)
{
    uint64_t total = 0;
    for (unsigned k = 0; k < l->nsecs; k++) {
        int err = collect_callees(l, l->secs[k]);
        if (err != 0) {
            return err;
        }
    }
    for (unsigned k = 0; k < l->nsecs; k++) {
        struct elf_sec s;
        elf_section(&l->e, l->secs[k], &s);
        if (s.size % 8 != 0 || s.size == 0) {
            return fail(l, -EINVAL, "code section size is not a multiple of 8");
        }
        l->bases[k] = (uint32_t)total;
        total += s.size / 8;
        if (total > BPF_MAX_INSNS * 16u) {
            return fail(l, -E2BIG, "program too long");
        }
    }
    void *code;
    if (!arena_alloc(l, total * sizeof(struct bpf_insn), &code)) {
        return fail(l, -ENOSPC, "arena too small for the program");
    }
    l->insns = code;
    l->ninsns = (uint32_t)total;
    for (unsigned k = 0; l->obj != NULL && k < l->nsecs; k++) {
        struct elf_sec s;
        elf_section(&l->e, l->secs[k], &s);
        memcpy(&l->insns[l->bases[k]], l->e.p + s.off, s.size);
    }
    return 0;
}

/* lddw against a map definition symbol or into a global data section. */
static int
reloc_map(struct loader *l, uint32_t pc, uint32_t end, const struct elf_sym *sym)
{
    struct bpf_insn *i = &l->insns[pc];
    if (pc + 1 >= end || i->code != 0x18) {
        return fail(l, -EINVAL, "map relocation not on an lddw instruction");
    }
    for (unsigned k = 0; k < l->obj->nmaps; k++) {
        const struct bpf_elf_mapref *r = &l->obj->refs[k];
        if (r->shndx != sym->shndx || (!r->is_data && r->offset != sym->value)) {
            continue;
        }
        unsigned src = r->is_data ? 2 : 1; /* map value address : map */
        if (r->is_data) {
            i[1].imm = (int32_t)((uint32_t)sym->value + (uint32_t)i->imm);
        }
        i->regs = (uint8_t)((src << 4) | bpf_insn_dst(i));
        i->imm = (int32_t)k;
        return 0;
    }
    return fail(l, -EINVAL, "relocation to something that is not a map");
}

static int
reloc_call(struct loader *l, uint32_t pc, const struct elf_sym *sym)
{
    struct bpf_insn *i = &l->insns[pc];
    int pos = layout_index(l, sym->shndx);
    if (i->code != 0x85 || bpf_insn_src(i) != 1 || pos < 0) {
        return fail(l, -EINVAL, "call relocation not on a local call");
    }
    int64_t target = (int64_t)l->bases[pos] + (int64_t)(sym->value / 8) + i->imm + 1;
    if (target < 0 || target >= (int64_t)l->ninsns) {
        return fail(l, -EINVAL, "local call relocation outside the program");
    }
    i->imm = (int32_t)(target - (int64_t)pc - 1);
    return 0;
}

static int
relocate_section(struct loader *l, unsigned pos)
{
    struct elf_sec code = {0}, rel;
    if (!elf_section(&l->e, l->secs[pos], &code)) {
        return fail(l, -EINVAL, "program section vanished");
    }
    uint32_t end = l->bases[pos] + (uint32_t)(code.size / 8);
    for (uint32_t k = 1; k < l->e.shnum; k++) {
        if (!elf_section(&l->e, k, &rel) || rel.type != SHT_REL || rel.info != l->secs[pos]) {
            continue;
        }
        for (uint64_t n = 0; n < rel.size / 16; n++) {
            uint64_t off;
            uint32_t type;
            struct elf_sym sym;
            int err = 0;
            if (!reloc_at(l, &rel, n, &off, &sym, &type) || off % 8 != 0 || off >= code.size) {
                return fail(l, -EINVAL, "relocation out of bounds");
            }
            uint32_t pc = l->bases[pos] + (uint32_t)(off / 8);
            if (type == R_BPF_64_64) {
                err = reloc_map(l, pc, end, &sym);
            } else if (type == R_BPF_64_32) {
                err = reloc_call(l, pc, &sym);
            } else if (type != R_BPF_64_ABS64 && type != R_BPF_64_ABS32 &&
                       type != R_BPF_64_NODYLD32) {
                err = fail(l, -ENOTSUP, "unsupported relocation type in code");
            }
            if (err != 0) {
                return err;
            }
        }
    }
    return 0;
}

/* The steps loading and measuring share: open, maps, find the program, lay it out. */
static int
elf_prepare(struct loader *l, const void *elf, size_t len, const char *name)
{
    int rc = elf_open(l, elf, len);
    if (rc == 0) {
        rc = create_maps(l);
    }
    if (rc == 0) {
        rc = find_program(l, name, &l->secs[0]);
        l->nsecs = 1;
    }
    return rc != 0 ? rc : layout(l);
}

int
bpf_elf_load(struct bpf_elf_obj *obj, const void *elf, size_t len, const char *name,
             struct bpf_op *ops, uint32_t cap, struct bpf_prog *p, struct bpf_verr *err)
{
    struct bpf_verr dummy;
    struct loader l = { .obj = obj, .err = err != NULL ? err : &dummy };
    l.err->reason = NULL;
    if (obj == NULL || obj->arena == NULL || ((uintptr_t)obj->arena & 7)) {
        return fail(&l, -EINVAL, "no object or arena");
    }
    obj->arena_used = 0;
    obj->nmaps = 0;
    obj->license[0] = '\0';
    int rc = elf_prepare(&l, elf, len, name);
    for (unsigned k = 0; rc == 0 && k < l.nsecs; k++) {
        rc = relocate_section(&l, k);
    }
    if (rc != 0) {
        return rc;
    }
    obj->opts.maps = obj->map_table;
    obj->opts.nmaps = obj->nmaps;
    obj->insns = l.insns;
    obj->ninsns = l.ninsns;
    return bpf_prog_load(p, ops, cap, l.insns, l.ninsns, &obj->opts, l.err);
}

int
bpf_elf_measure(const void *elf, size_t len, const char *name, struct bpf_elf_need *need,
                struct bpf_verr *err)
{
    struct bpf_verr dummy;
    struct loader l = { .obj = NULL, .err = err != NULL ? err : &dummy };
    l.err->reason = NULL;
    if (need == NULL) {
        return fail(&l, -EINVAL, "nowhere to put the result");
    }
    int rc = elf_prepare(&l, elf, len, name);
    if (rc != 0) {
        return rc;
    }
    need->arena = l.measured;
    need->insns = l.ninsns;
    need->nmaps = l.nmaps;
    need->section = elf_section_name(&l.e, l.secs[0]);
    return 0;
}

struct bpf_map *
bpf_elf_map(struct bpf_elf_obj *obj, const char *name)
{
    for (unsigned k = 0; obj != NULL && name != NULL && k < obj->nmaps; k++) {
        if (strncmp(obj->maps[k].name, name, sizeof(obj->maps[k].name)) == 0) {
            return &obj->maps[k];
        }
    }
    return NULL;
}
