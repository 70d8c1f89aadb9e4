/* SPDX-License-Identifier: MIT */
/* Maps in caller-provided storage: array, hash (fixed capacity, chained, free list)
 * and ring buffer. bpf_map_init() lays the storage out; nothing is allocated later.
 * Programs reach maps through helpers.c and may address only the value area
 * (m->values), which is why keys and chain links live in separate arrays.
 * A value (or key) passed in may point into the same map's value area, even into the
 * element it replaces (a program passes what bpf_map_lookup_elem returned, plus 8), so
 * every copy in from the caller is a memmove: the element gets the source bytes as
 * they were before the call.
 */
#include "bpf_impl.h"

#include <errno.h>
#include <string.h>

#define NONE        0xffffffffu
#define MAX_ENTRIES (1u << 24)
#define MAX_ITEM    (1u << 16) /* key or value bytes */

static uint32_t
round8(uint32_t n)
{
    return (n + 7u) & ~7u;
}

static uint32_t
pow2_at_least(uint32_t n)
{
    uint32_t p = 1;
    while (p < n) {
        p <<= 1;
    }
    return p;
}

static bool
def_ok(const struct bpf_map_def *d)
{
    if (d == NULL || d->max_entries == 0 || d->max_entries > MAX_ENTRIES) {
        return false;
    }
    switch (d->type) {
    case BPF_MAP_TYPE_ARRAY:
        return d->key_size == 4 && d->value_size > 0 && d->value_size <= MAX_ITEM;
    case BPF_MAP_TYPE_HASH:
        return d->key_size > 0 && d->key_size <= MAX_ITEM && d->value_size > 0 &&
               d->value_size <= MAX_ITEM;
    case BPF_MAP_TYPE_RINGBUF:
        /* max_entries is the data size: a power of two holding at least one header */
        return d->key_size == 0 && d->value_size == 0 && d->max_entries >= 16 &&
               (d->max_entries & (d->max_entries - 1)) == 0;
    default:
        return false;
    }
}

size_t
bpf_map_storage_size(const struct bpf_map_def *d)
{
    if (!def_ok(d)) {
        return 0;
    }
    uint64_t n = d->max_entries;
    switch (d->type) {
    case BPF_MAP_TYPE_ARRAY:
        return (size_t)(n * round8(d->value_size));
    case BPF_MAP_TYPE_HASH:
        return (size_t)(n * round8(d->value_size) + n * round8(d->key_size) +
                        round8((uint32_t)(n * 4)) + (uint64_t)pow2_at_least(d->max_entries) * 4);
    default:
        return (size_t)n;
    }
}

static void
hash_reset(struct bpf_map *m)
{
    for (uint32_t b = 0; b < m->nbuckets; b++) {
        m->buckets[b] = NONE;
    }
    for (uint32_t k = 0; k < m->def.max_entries; k++) {
        m->links[k] = k + 1 < m->def.max_entries ? k + 1 : NONE;
    }
    m->free_head = 0;
    m->count = 0;
}

int
bpf_map_init(struct bpf_map *m, const struct bpf_map_def *def, void *storage, size_t size,
             const char *name)
{
    size_t need = bpf_map_storage_size(def);
    if (m == NULL || need == 0 || storage == NULL || ((uintptr_t)storage & 7) != 0) {
        return -EINVAL;
    }
    if (size < need) {
        return -ENOSPC;
    }
    memset(m, 0, sizeof(*m));
    memset(storage, 0, need);
    m->def = *def;
    for (size_t k = 0; name != NULL && name[k] != '\0' && k + 1 < sizeof(m->name); k++) {
        m->name[k] = name[k];
    }
    uint8_t *p = storage;
    uint32_t n = def->max_entries;
    if (def->type == BPF_MAP_TYPE_RINGBUF) {
        m->keys = p; /* the ring's data bytes; never granted to programs */
        return 0;
    }
    m->value_stride = round8(def->value_size);
    m->values = p;
    if (def->type == BPF_MAP_TYPE_HASH) {
        m->keys = p + (size_t)n * m->value_stride;
        m->links = (uint32_t *)(void *)(m->keys + (size_t)n * round8(def->key_size));
        m->buckets = (uint32_t *)(void *)((uint8_t *)m->links + round8(n * 4));
        m->nbuckets = pow2_at_least(n);
        hash_reset(m);
    }
    return 0;
}

/* FNV-1a: cheap, no tables, good enough for small fixed-size keys. */
static uint32_t
key_hash(const uint8_t *k, uint32_t n)
{
    uint32_t h = 2166136261u;
    for (uint32_t j = 0; j < n; j++) {
        h = (h ^ k[j]) * 16777619u;
    }
    return h;
}

static uint8_t *
slot_key(const struct bpf_map *m, uint32_t idx)
{
    return m->keys + (size_t)idx * round8(m->def.key_size);
}

/* Slot holding @key, or NONE; *prev gets the slot before it in the chain (or NONE). */
static uint32_t
hash_find(const struct bpf_map *m, const void *key, uint32_t *prev)
{
    uint32_t b = key_hash(key, m->def.key_size) & (m->nbuckets - 1);
    uint32_t before = NONE;
    for (uint32_t idx = m->buckets[b]; idx != NONE; idx = m->links[idx]) {
        if (memcmp(slot_key(m, idx), key, m->def.key_size) == 0) {
            *prev = before;
            return idx;
        }
        before = idx;
    }
    return NONE;
}

void *
bpf_map_lookup(struct bpf_map *m, const void *key)
{
    uint32_t prev, idx;
    if (m == NULL || key == NULL) {
        return NULL;
    }
    switch (m->def.type) {
    case BPF_MAP_TYPE_ARRAY:
        memcpy(&idx, key, 4);
        break;
    case BPF_MAP_TYPE_HASH:
        idx = hash_find(m, key, &prev);
        break;
    default:
        return NULL;
    }
    return idx < m->def.max_entries ? m->values + (size_t)idx * m->value_stride : NULL;
}

static int
hash_insert(struct bpf_map *m, const void *key, const void *value)
{
    uint32_t idx = m->free_head;
    if (idx == NONE) {
        return -E2BIG;
    }
    m->free_head = m->links[idx];
    memmove(slot_key(m, idx), key, m->def.key_size);
    memmove(m->values + (size_t)idx * m->value_stride, value, m->def.value_size);
    /* hash the stored key: @key may lie in the value just overwritten */
    uint32_t b = key_hash(slot_key(m, idx), m->def.key_size) & (m->nbuckets - 1);
    m->links[idx] = m->buckets[b];
    m->buckets[b] = idx;
    m->count++;
    return 0;
}

int
bpf_map_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags)
{
    if (m == NULL || key == NULL || value == NULL || flags > BPF_EXIST ||
        m->def.type == BPF_MAP_TYPE_RINGBUF) {
        return -EINVAL;
    }
    if (m->def.type == BPF_MAP_TYPE_ARRAY) {
        uint32_t idx;
        memcpy(&idx, key, 4);
        if (idx >= m->def.max_entries) {
            return -E2BIG;
        }
        if (flags == BPF_NOEXIST) {
            return -EEXIST; /* every array element always exists */
        }
        memmove(m->values + (size_t)idx * m->value_stride, value, m->def.value_size);
        return 0;
    }
    uint32_t prev, idx = hash_find(m, key, &prev);
    if (idx != NONE) {
        if (flags == BPF_NOEXIST) {
            return -EEXIST;
        }
        memmove(m->values + (size_t)idx * m->value_stride, value, m->def.value_size);
        return 0;
    }
    return flags == BPF_EXIST ? -ENOENT : hash_insert(m, key, value);
}

int
bpf_map_delete(struct bpf_map *m, const void *key)
{
    if (m == NULL || key == NULL || m->def.type != BPF_MAP_TYPE_HASH) {
        return -EINVAL;
    }
    uint32_t prev, idx = hash_find(m, key, &prev);
    if (idx == NONE) {
        return -ENOENT;
    }
    if (prev == NONE) {
        m->buckets[key_hash(key, m->def.key_size) & (m->nbuckets - 1)] = m->links[idx];
    } else {
        m->links[prev] = m->links[idx];
    }
    /* a program may still hold the value's address: leave it zeroed, not stale */
    memset(m->values + (size_t)idx * m->value_stride, 0, m->value_stride);
    m->links[idx] = m->free_head;
    m->free_head = idx;
    m->count--;
    return 0;
}

/* First slot in bucket order at or after bucket @b, or NONE. */
static uint32_t
hash_first_from(const struct bpf_map *m, uint32_t b)
{
    for (; b < m->nbuckets; b++) {
        if (m->buckets[b] != NONE) {
            return m->buckets[b];
        }
    }
    return NONE;
}

int
bpf_map_next_key(struct bpf_map *m, const void *key, void *next)
{
    if (m == NULL || next == NULL || m->def.type == BPF_MAP_TYPE_RINGBUF) {
        return -EINVAL;
    }
    if (m->def.type == BPF_MAP_TYPE_ARRAY) {
        uint32_t idx = 0;
        if (key != NULL) {
            memcpy(&idx, key, 4);
            idx = idx < m->def.max_entries ? idx + 1 : 0;
        }
        if (idx >= m->def.max_entries) {
            return -ENOENT;
        }
        memcpy(next, &idx, 4);
        return 0;
    }
    uint32_t prev, idx = key != NULL ? hash_find(m, key, &prev) : NONE;
    uint32_t nx;
    if (idx == NONE) {
        nx = hash_first_from(m, 0);
    } else if (m->links[idx] != NONE) {
        nx = m->links[idx];
    } else {
        nx = hash_first_from(m, (key_hash(key, m->def.key_size) & (m->nbuckets - 1)) + 1);
    }
    if (nx == NONE) {
        return -ENOENT;
    }
    memcpy(next, slot_key(m, nx), m->def.key_size);
    return 0;
}
