/* SPDX-License-Identifier: MIT */
/* BTF-style map definitions: libbpf's __uint(name, N) becomes a member of type
 * "pointer to array of N", __type(key, T) a member "pointer to T", and the values live
 * only in the .BTF section, never in .maps itself. btf_maps() walks the DATASEC ".maps"
 * and reports each variable's definition to the loader (elf.c). Without a heap, types
 * are found by a bounded linear scan; every read is checked against the section.
 */
#include "bpf_impl.h"
#include "elf_impl.h"

#include <errno.h>

enum {
    BTF_INT = 1, BTF_PTR = 2, BTF_ARRAY = 3, BTF_STRUCT = 4, BTF_UNION = 5, BTF_ENUM = 6,
    BTF_FWD = 7, BTF_TYPEDEF = 8, BTF_VOLATILE = 9, BTF_CONST = 10, BTF_RESTRICT = 11,
    BTF_FUNC = 12, BTF_FUNC_PROTO = 13, BTF_VAR = 14, BTF_DATASEC = 15, BTF_FLOAT = 16,
    BTF_DECL_TAG = 17, BTF_TYPE_TAG = 18, BTF_ENUM64 = 19,
};

#define BTF_MAX_DEPTH 16

struct btf {
    const uint8_t *types;
    uint32_t types_len;
    const uint8_t *strs;
    uint32_t strs_len;
};

struct btf_type {
    uint32_t name;
    uint32_t kind;
    uint32_t vlen;
    uint32_t size_or_type;
    const uint8_t *extra; /* kind-specific data after the common 12 bytes */
};

/* Bytes of kind-specific data after the common header, or -1 for an unknown kind. */
static int64_t
extra_len(uint32_t kind, uint32_t vlen)
{
    switch (kind) {
    case BTF_INT: case BTF_VAR: case BTF_DECL_TAG:
        return 4;
    case BTF_ARRAY:
        return 12;
    case BTF_STRUCT: case BTF_UNION: case BTF_DATASEC: case BTF_ENUM64:
        return 12 * (int64_t)vlen;
    case BTF_ENUM: case BTF_FUNC_PROTO:
        return 8 * (int64_t)vlen;
    case BTF_PTR: case BTF_FWD: case BTF_TYPEDEF: case BTF_VOLATILE: case BTF_CONST:
    case BTF_RESTRICT: case BTF_FUNC: case BTF_FLOAT: case BTF_TYPE_TAG:
        return 0;
    default:
        return -1;
    }
}

/* Decode the type at byte @*off and advance past it; false at the end or if malformed. */
static bool
btf_next(const struct btf *b, uint64_t *off, struct btf_type *t)
{
    if (*off + 12 > b->types_len) {
        return false;
    }
    const uint8_t *p = b->types + *off;
    uint32_t info = elf_rd32(p + 4);
    t->name = elf_rd32(p);
    t->kind = (info >> 24) & 0x1f;
    t->vlen = info & 0xffff;
    t->size_or_type = elf_rd32(p + 8);
    int64_t n = extra_len(t->kind, t->vlen);
    if (n < 0 || *off + 12 + (uint64_t)n > b->types_len) {
        return false;
    }
    t->extra = p + 12;
    *off += 12 + (uint64_t)n;
    return true;
}

/* Type @id (1-based), found by walking the type section. */
static bool
btf_type(const struct btf *b, uint32_t id, struct btf_type *t)
{
    uint64_t off = 0;
    for (uint32_t cur = 1; id != 0 && btf_next(b, &off, t); cur++) {
        if (cur == id) {
            return true;
        }
    }
    return false;
}

static const char *
btf_str(const struct btf *b, uint32_t off)
{
    for (uint32_t k = off; k < b->strs_len; k++) {
        if (b->strs[k] == '\0') {
            return (const char *)b->strs + off;
        }
    }
    return NULL;
}

/* Follow typedef/const/volatile/restrict/type-tag to the underlying type. */
static bool
btf_resolve(const struct btf *b, uint32_t id, struct btf_type *t)
{
    for (int depth = 0; depth < BTF_MAX_DEPTH; depth++) {
        if (!btf_type(b, id, t)) {
            return false;
        }
        if (t->kind != BTF_TYPEDEF && t->kind != BTF_CONST && t->kind != BTF_VOLATILE &&
            t->kind != BTF_RESTRICT && t->kind != BTF_TYPE_TAG) {
            return true;
        }
        id = t->size_or_type;
    }
    return false;
}

/* sizeof the type @id, or 0 if it has none / is malformed. */
static uint64_t
btf_sizeof(const struct btf *b, uint32_t id, int depth)
{
    struct btf_type t;
    if (depth > BTF_MAX_DEPTH || !btf_resolve(b, id, &t)) {
        return 0;
    }
    switch (t.kind) {
    case BTF_INT: case BTF_STRUCT: case BTF_UNION: case BTF_ENUM: case BTF_ENUM64:
    case BTF_FLOAT: case BTF_DATASEC:
        return t.size_or_type;
    case BTF_PTR:
        return 8;
    case BTF_ARRAY:
        return (uint64_t)elf_rd32(t.extra + 8) * btf_sizeof(b, elf_rd32(t.extra), depth + 1);
    default:
        return 0;
    }
}

/* __uint(name, N): pointer to an array of N elements. */
static bool
btf_uint_member(const struct btf *b, uint32_t type, uint32_t *out)
{
    struct btf_type ptr, arr;
    if (!btf_resolve(b, type, &ptr) || ptr.kind != BTF_PTR ||
        !btf_resolve(b, ptr.size_or_type, &arr) || arr.kind != BTF_ARRAY) {
        return false;
    }
    *out = elf_rd32(arr.extra + 8);
    return true;
}

/* __type(name, T): pointer to T; the size of T is what the map needs. */
static bool
btf_type_member(const struct btf *b, uint32_t type, uint32_t *out)
{
    struct btf_type ptr;
    if (!btf_resolve(b, type, &ptr) || ptr.kind != BTF_PTR) {
        return false;
    }
    uint64_t size = btf_sizeof(b, ptr.size_or_type, 0);
    if (size == 0 || size > UINT32_MAX) {
        return false;
    }
    *out = (uint32_t)size;
    return true;
}

static bool
btf_map_member(const struct btf *b, const uint8_t *m, struct bpf_map_def *def)
{
    const char *name = btf_str(b, elf_rd32(m));
    uint32_t type = elf_rd32(m + 4);
    if (name == NULL) {
        return false;
    }
    if (strcmp(name, "type") == 0) {
        return btf_uint_member(b, type, &def->type);
    }
    if (strcmp(name, "max_entries") == 0) {
        return btf_uint_member(b, type, &def->max_entries);
    }
    if (strcmp(name, "map_flags") == 0) {
        return btf_uint_member(b, type, &def->flags);
    }
    if (strcmp(name, "key_size") == 0) {
        return btf_uint_member(b, type, &def->key_size);
    }
    if (strcmp(name, "value_size") == 0) {
        return btf_uint_member(b, type, &def->value_size);
    }
    if (strcmp(name, "key") == 0) {
        return btf_type_member(b, type, &def->key_size);
    }
    if (strcmp(name, "value") == 0) {
        return btf_type_member(b, type, &def->value_size);
    }
    return true; /* other members (pinning, ...) do not change the layout */
}

/* One variable of the .maps DATASEC: its struct type describes the map. */
static int
btf_map_var(const struct btf *b, const uint8_t *info, btf_map_cb add, void *arg,
            const char **why)
{
    struct btf_type var, st;
    if (!btf_type(b, elf_rd32(info), &var) || var.kind != BTF_VAR ||
        !btf_resolve(b, var.size_or_type, &st) || st.kind != BTF_STRUCT) {
        *why = "BTF: .maps variable is not a struct";
        return -EINVAL;
    }
    const char *name = btf_str(b, var.name);
    struct bpf_map_def def = { 0 };
    for (uint32_t k = 0; k < st.vlen; k++) {
        if (!btf_map_member(b, st.extra + 12 * (size_t)k, &def)) {
            *why = "BTF: malformed map definition member";
            return -EINVAL;
        }
    }
    if (def.type == BPF_MAP_TYPE_RINGBUF) {
        def.key_size = def.value_size = 0;
    }
    return add(arg, name != NULL ? name : "", elf_rd32(info + 4), &def);
}

static bool
btf_open(const struct elf_view *e, struct btf *b)
{
    struct elf_sec s;
    uint32_t idx = elf_find_section(e, ".BTF");
    if (idx == 0 || !elf_section(e, idx, &s) || s.type != SHT_PROGBITS || s.size < 24) {
        return false;
    }
    const uint8_t *h = e->p + s.off;
    uint32_t hdr_len = elf_rd32(h + 4), type_off = elf_rd32(h + 8), type_len = elf_rd32(h + 12);
    uint32_t str_off = elf_rd32(h + 16), str_len = elf_rd32(h + 20);
    if (h[0] != 0x9f || h[1] != 0xeb || hdr_len < 24 || hdr_len > s.size ||
        (uint64_t)type_off + type_len > s.size - hdr_len ||
        (uint64_t)str_off + str_len > s.size - hdr_len) {
        return false;
    }
    b->types = h + hdr_len + type_off;
    b->types_len = type_len;
    b->strs = h + hdr_len + str_off;
    b->strs_len = str_len;
    return true;
}

int
btf_maps(const struct elf_view *e, btf_map_cb add, void *arg, const char **why)
{
    struct btf b;
    struct btf_type t;
    if (!btf_open(e, &b)) {
        *why = ".maps needs a valid .BTF section";
        return -EINVAL;
    }
    for (uint64_t off = 0; btf_next(&b, &off, &t);) {
        const char *name = btf_str(&b, t.name);
        if (t.kind != BTF_DATASEC || name == NULL || strcmp(name, ".maps") != 0) {
            continue;
        }
        for (uint32_t k = 0; k < t.vlen; k++) {
            int err = btf_map_var(&b, t.extra + 12 * (size_t)k, add, arg, why);
            if (err != 0) {
                return err;
            }
        }
        return 0;
    }
    *why = "BTF has no DATASEC for .maps";
    return -EINVAL;
}
