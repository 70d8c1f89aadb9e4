/* SPDX-License-Identifier: MIT */
/* Ring-buffer maps: records of [u32 length][u32 reserved][data, padded to 8] in a
 * power-of-two byte ring (m->keys, m->def.max_entries bytes). Producer: programs via
 * the ringbuf_output helper (helpers.c); consumer: the embedder. Positions run freely
 * and wrap modulo 2^32, so head - tail is always the bytes in use.
 */
#include "bpf_impl.h"

#include <errno.h>
#include <string.h>

#define HDR 8u

static void
ring_copy_in(struct bpf_map *m, uint32_t pos, const void *src, uint32_t n)
{
    uint32_t size = m->def.max_entries, at = pos & (size - 1);
    uint32_t first = n < size - at ? n : size - at;
    if (n == 0) {
        return;
    }
    memcpy(m->keys + at, src, first);
    memcpy(m->keys, (const uint8_t *)src + first, n - first);
}

static void
ring_copy_out(const struct bpf_map *m, uint32_t pos, void *dst, uint32_t n)
{
    uint32_t size = m->def.max_entries, at = pos & (size - 1);
    uint32_t first = n < size - at ? n : size - at;
    if (n == 0) {
        return;
    }
    memcpy(dst, m->keys + at, first);
    memcpy((uint8_t *)dst + first, m->keys, n - first);
}

int
bpf_ringbuf_output(struct bpf_map *m, const void *data, uint32_t size)
{
    if (m == NULL || m->def.type != BPF_MAP_TYPE_RINGBUF || (data == NULL && size > 0) ||
        size > m->def.max_entries) {
        return -EINVAL;
    }
    /* The ring's bytes are never granted to programs, but an embedder's region or a
     * host caller could pass a pointer into them: refuse to copy a ring onto itself. */
    uintptr_t src = (uintptr_t)data, ring = (uintptr_t)m->keys;
    if (size > 0 && src < ring + m->def.max_entries && ring < src + size) {
        return -EINVAL;
    }
    uint32_t need = HDR + ((size + 7u) & ~7u);
    if (need > m->def.max_entries - (m->head - m->tail)) {
        m->dropped++;
        return -EAGAIN;
    }
    uint32_t hdr[2] = { size, 0 };
    ring_copy_in(m, m->head, hdr, HDR);
    ring_copy_in(m, m->head + HDR, data, size);
    m->head += need;
    return 0;
}

int
bpf_ringbuf_consume(struct bpf_map *m, void *buf, uint32_t cap)
{
    if (m == NULL || m->def.type != BPF_MAP_TYPE_RINGBUF || (buf == NULL && cap > 0)) {
        return -EINVAL;
    }
    if (m->head == m->tail) {
        return -EAGAIN;
    }
    uint32_t hdr[2];
    ring_copy_out(m, m->tail, hdr, HDR);
    if (hdr[0] > cap) {
        return -ENOSPC;
    }
    ring_copy_out(m, m->tail + HDR, buf, hdr[0]);
    m->tail += HDR + ((hdr[0] + 7u) & ~7u);
    return (int)hdr[0];
}
