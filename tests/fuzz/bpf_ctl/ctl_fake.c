/* SPDX-License-Identifier: MIT */
/* The fake board of fuzz_bpf_ctl (ctl_fake.h): its ops, which check their arguments
 * and that bpf_ctl calls them only while it answers a frame; objects reach
 * fake_load only with the size and CRC the last accepted LOAD_BEGIN announced.
 */
#include "ctl_fake.h"

#include <errno.h>
#include <string.h>

uint32_t
le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

const struct bpf_ctl_map fake_maps[5] = {
    { 0, "counts", { BPF_MAP_TYPE_HASH, 4, 8, 64, 0 } },
    { 1, "events", { BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0 } },
    { 2, "huge", { BPF_MAP_TYPE_ARRAY, 4, 300, 1, 0 } },
    { 3, "edge", { BPF_MAP_TYPE_HASH, 200, 50, 8, 0 } }, /* exactly one entry per page */
    { 4, "fifteen_chars_x", { BPF_MAP_TYPE_ARRAY, 4, 16, 40, 0 } },
};
struct board fake;

static void
op_entered(void)
{
    CHECK(fake.in_process);
    fake.calls++;
}

static struct fake_prog *
prog_find(uint32_t id)
{
    for (unsigned i = 0; i < fake.nprogs; i++) {
        if (fake.progs[i].id == id) {
            return &fake.progs[i];
        }
    }
    return NULL;
}

const struct bpf_ctl_map *
map_named(const char *name)
{
    CHECK(memchr(name, '\0', BPF_CTL_NAME_MAX) != NULL);
    for (unsigned i = 0; i < NMAPS; i++) {
        char num[4] = { '#', (char)('0' + i), '\0', '\0' };
        if (strcmp(name, fake_maps[i].name) == 0 || strcmp(name, num) == 0) {
            return &fake_maps[i];
        }
    }
    return NULL;
}

/* One whole frame per write: decode it and keep the body. */
static void
fake_write(void *user, const void *bytes, size_t len)
{
    const uint8_t *p = bytes;
    (void)user;
    CHECK(fake.in_process);
    CHECK(len >= 2 && len <= BPF_CTL_MAX_FRAME);
    CHECK(p[0] == BPF_CTL_START && p[len - 1] == BPF_CTL_END);
    fake.writes++;
    fake.answer_len = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        uint8_t c = p[i];
        CHECK(c != BPF_CTL_START && c != BPF_CTL_END && c != '\n' && c != '\r');
        if (c == BPF_CTL_ESC) {
            CHECK(i + 2 < len);
            c = p[++i] ^ BPF_CTL_ESC_XOR;
            CHECK(c >= BPF_CTL_ESC || c == '\n' || c == '\r'); /* escaped only if needed */
        }
        CHECK(fake.answer_len < sizeof fake.answer);
        fake.answer[fake.answer_len++] = c;
    }
}

static int
fake_load(void *user, const struct bpf_ctl_load *req, char *msg, size_t size)
{
    (void)user;
    op_entered();
    CHECK(fake.req_type == BPF_CTL_LOAD_END);
    CHECK(fake.armed);
    CHECK(req->elf == (fake.lending ? fake.lent : fake.obj) && req->elf != NULL);
    CHECK(req->len == fake.announced_size && req->len <= fake.obj_size);
    CHECK(bpf_ctl_crc32(0, req->elf, req->len) == fake.announced_crc);
    CHECK(req->hook != NULL && req->hook[0] != '\0' && strlen(req->hook) < BPF_CTL_HOOK_MAX);
    CHECK(req->section == NULL || (req->section[0] != '\0' &&
                                   strlen(req->section) < BPF_CTL_SECTION_MAX));
    CHECK(req->name == NULL || (req->name[0] != '\0' && strlen(req->name) < BPF_CTL_NAME_MAX));
    CHECK((req->flags & ~BPF_CTL_LOAD_VERDICT) == 0);
    CHECK(size > 0 && size <= BPF_CTL_MAX_PAYLOAD);
    fake.armed = false;
    fake.loads++;
    /* the object's first byte says how the loader answers */
    switch (((const uint8_t *)req->elf)[0] % 4) {
    case 1:
        memset(msg, 'm', size); /* a sentence that fills the buffer, with no NUL */
        return -EINVAL;
    case 2:
        msg[0] = '\0';
        return -ENOSPC;
    case 3:
        snprintf(msg, size, "insn 3 (opcode 0x85 call): refused");
        return -EINVAL;
    default:
        if (fake.nprogs == MAX_PROGS) {
            snprintf(msg, size, "no room");
            return -ENOMEM;
        }
        fake.progs[fake.nprogs++] = (struct fake_prog){ fake.next_id, req->len & 1 };
        return (int)fake.next_id++;
    }
}

static int
fake_unload(void *user, uint32_t id)
{
    (void)user;
    op_entered();
    struct fake_prog *p = prog_find(id);
    if (p == NULL) {
        return -ENOENT;
    }
    *p = fake.progs[--fake.nprogs];
    return 0;
}

static int
fake_prog_at(void *user, unsigned index, struct bpf_ctl_prog *p)
{
    (void)user;
    op_entered();
    if (index >= fake.nprogs) {
        return -ENOENT;
    }
    const struct fake_prog *f = &fake.progs[index];
    *p = (struct bpf_ctl_prog){ .id = f->id, .owner = index, .ninsns = 10 * index,
                                .mem = 1000 + index, .state = index & 1 };
    if (f->long_names) {
        memset(p->name, 'n', sizeof p->name);
        memset(p->hook, 'h', sizeof p->hook);
    } else {
        snprintf(p->name, sizeof p->name, "prog%u", (unsigned)f->id);
        snprintf(p->hook, sizeof p->hook, "timer:%u", 100 + index);
    }
    return 0;
}

static int
fake_stats(void *user, uint32_t id, struct bpf_ctl_stats *st)
{
    (void)user;
    op_entered();
    if (prog_find(id) == NULL) {
        return -ENOENT;
    }
    *st = (struct bpf_ctl_stats){ id, 2 * id, 3, 4, -5, 6, 7 };
    return 0;
}

static int
fake_map_info(void *user, uint32_t id, const char *name, struct bpf_ctl_map *m)
{
    (void)user;
    op_entered();
    const struct bpf_ctl_map *f = map_named(name);
    if (prog_find(id) == NULL) {
        return -ESRCH;
    }
    if (f == NULL) {
        return -ENOENT;
    }
    *m = *f;
    if (prog_find(id)->long_names) {
        memset(m->name, 'x', sizeof m->name);
    }
    return 0;
}

/* Keyed maps hold keys 0..count-1 (the first 4 bytes, little-endian); every fifth
 * one vanishes between next_key and lookup. */
static uint32_t
keys_in(const struct bpf_ctl_map *m)
{
    return m->def.type == BPF_MAP_TYPE_RINGBUF ? 0 : m->def.max_entries;
}

static const struct bpf_ctl_map *
keyed(uint32_t id, const char *name)
{
    const struct bpf_ctl_map *m = map_named(name);
    op_entered();
    return prog_find(id) != NULL && m != NULL && m->def.type != BPF_MAP_TYPE_RINGBUF ? m : NULL;
}

static int
fake_next_key(void *user, uint32_t id, const char *name, const void *key, void *next)
{
    (void)user;
    const struct bpf_ctl_map *m = keyed(id, name);
    if (m == NULL) {
        return prog_find(id) == NULL ? -ESRCH : -ENOENT;
    }
    if (key != NULL && le32(key) == UINT32_MAX) {
        return -ENOENT;
    }
    uint32_t i = key != NULL ? le32(key) + 1 : 0;
    if (i >= keys_in(m)) {
        return -ENOENT;
    }
    memset(next, 0, m->def.key_size);
    memcpy(next, &i, 4);
    return 0;
}

static int
fake_lookup(void *user, uint32_t id, const char *name, const void *key, void *value)
{
    (void)user;
    const struct bpf_ctl_map *m = keyed(id, name);
    if (m == NULL) {
        return prog_find(id) == NULL ? -ESRCH : -ENOENT;
    }
    uint32_t i = le32(key);
    if (i >= keys_in(m) || i % 5 == 4) {
        return -ENOENT;
    }
    memset(value, (int)i, m->def.value_size);
    return 0;
}

static int
fake_update(void *user, uint32_t id, const char *name, const void *key, const void *value,
            uint64_t flags)
{
    (void)user;
    const struct bpf_ctl_map *m = keyed(id, name);
    if (m == NULL) {
        return prog_find(id) == NULL ? -ESRCH : -ENOENT;
    }
    uint8_t copy[512]; /* every byte of key and value must be readable */
    memcpy(copy, key, m->def.key_size);
    memcpy(copy + m->def.key_size, value, m->def.value_size);
    if (flags > BPF_EXIST) {
        return -EINVAL;
    }
    return flags == BPF_NOEXIST && copy[0] == 0 ? -EEXIST : 0;
}

static int
fake_consume(void *user, uint32_t id, const char *name, void *buf, uint32_t cap)
{
    (void)user;
    const struct bpf_ctl_map *m = map_named(name);
    op_entered();
    CHECK(cap <= BPF_CTL_MAX_PAYLOAD);
    if (prog_find(id) == NULL) {
        return -ESRCH;
    }
    if (m == NULL || m->def.type != BPF_MAP_TYPE_RINGBUF) {
        return m == NULL ? -ENOENT : -EINVAL;
    }
    if (fake.nrecords == 0) {
        return -EAGAIN;
    }
    uint16_t len = fake.records[0];
    if (len > cap) {
        return -ENOSPC;
    }
    memset(buf, 0xab, len);
    memmove(fake.records, fake.records + 1, --fake.nrecords * sizeof fake.records[0]);
    return len;
}

static int
fake_log(void *user, uint32_t offset, void *buf, size_t cap, uint32_t *next)
{
    (void)user;
    op_entered();
    CHECK(cap <= BPF_CTL_MAX_PAYLOAD);
    if (offset > fake.log_end) {
        offset = 0;
    }
    size_t n = fake.log_end - offset < cap ? fake.log_end - offset : cap;
    memset(buf, 'x', n);
    *next = offset + (uint32_t)n;
    return (int)n;
}

/* One object at a time, taken at LOAD_BEGIN for its announced size and given back
 * before the next. */
static void *
fake_obj_alloc(void *user, size_t size)
{
    (void)user;
    op_entered();
    CHECK(fake.req_type == BPF_CTL_LOAD_BEGIN && fake.lent == NULL);
    CHECK(size > 0 && size <= fake.obj_size);
    if (fake.refuse_odd && (size & 1)) {
        return NULL;
    }
    fake.lent = malloc(size);
    fake.lent_size = size;
    return fake.lent;
}

static void
fake_obj_free(void *user, void *obj)
{
    (void)user;
    op_entered();
    CHECK(obj != NULL && obj == fake.lent);
    free(fake.lent);
    fake.lent = NULL;
}

const struct bpf_ctl_ops full_ops = {
    .write = fake_write, .load = fake_load, .unload = fake_unload, .prog_at = fake_prog_at,
    .stats = fake_stats, .map_info = fake_map_info, .map_lookup = fake_lookup,
    .map_next_key = fake_next_key, .map_update = fake_update, .ringbuf_consume = fake_consume,
    .log_read = fake_log,
};

const struct bpf_ctl_ops lending_ops = {
    .write = fake_write, .load = fake_load, .unload = fake_unload, .prog_at = fake_prog_at,
    .stats = fake_stats, .map_info = fake_map_info, .map_lookup = fake_lookup,
    .map_next_key = fake_next_key, .map_update = fake_update, .ringbuf_consume = fake_consume,
    .obj_alloc = fake_obj_alloc, .obj_free = fake_obj_free, .log_read = fake_log,
};

/* A board that can list and read maps but not load, detach, dump or read its log. */
const struct bpf_ctl_ops sparse_ops = {
    .write = fake_write, .prog_at = fake_prog_at, .map_info = fake_map_info,
    .map_next_key = fake_next_key, .map_update = fake_update,
};
