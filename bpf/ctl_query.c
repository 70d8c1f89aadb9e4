/* SPDX-License-Identifier: MIT */
/* Requests that read or change loaded programs: LIST, DETACH, STATS, MAPS,
 * MAP_NEXT, MAP_UPDATE, RINGBUF, LOG. Each is a loop over one struct
 * bpf_ctl_ops member that fills the answer until the frame is full; paged
 * answers carry a count and a "more" byte, and the host asks again from
 * where the page ended (docs/picactl.md).
 */
#include "ctl_impl.h"

/* A map named in a request, with what the board says about it. */
struct map_ref {
    uint32_t id;
    char name[BPF_CTL_NAME_MAX];
    struct bpf_ctl_map info;
};

/* Which op a request needs: a missing one answers -ENOTSUP. */
#define NEED(c, op)                \
    do {                           \
        if ((c)->ops->op == NULL) { \
            return -ENOTSUP;       \
        }                          \
    } while (0)

/* "map NAME of program ID: TEXT" (@text NULL: the reason of @code). */
static int
map_error(struct ctl_out *out, int code, const struct map_ref *r, const char *text)
{
    if (code == -ESRCH) {
        return ctl_error_id(out, code, "program", r->id);
    }
    struct bpf_fmt *m = ctl_fail(out);
    bpf_fmt_str(m, "map ");
    bpf_fmt_str(m, r->name);
    bpf_fmt_str(m, " of program ");
    bpf_fmt_udec(m, r->id);
    bpf_fmt_str(m, ": ");
    bpf_fmt_str(m, text != NULL ? text : ctl_reason(code));
    return code;
}

/* Read "id u32, map str" and look the map up. */
static int
map_ref_read(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out, struct map_ref *r)
{
    NEED(c, map_info);
    r->id = ctl_in_u32(in);
    ctl_in_str(in, r->name, sizeof r->name);
    if (in->bad) {
        return ctl_malformed(out);
    }
    int rc = c->ops->map_info(c->user, r->id, r->name, &r->info);
    return rc < 0 ? map_error(out, rc, r, NULL) : 0;
}

/* Paged answers start with count and more; both are filled in at the end. */
static void
page_start(struct ctl_out *out)
{
    ctl_out_le(out, 0, 2);
}

static int
page_end(struct ctl_out *out, unsigned count, bool more)
{
    out->p[4] = (uint8_t)count;
    out->p[5] = more ? 1 : 0;
    return 0;
}

int
ctl_list(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, prog_at);
    unsigned index = ctl_in_u16(in);
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    page_start(out);
    unsigned count = 0;
    struct bpf_ctl_prog p;
    while (c->ops->prog_at(c->user, index + count, &p) == 0) {
        p.name[sizeof p.name - 1] = '\0';
        p.hook[sizeof p.hook - 1] = '\0';
        if (!ctl_out_room(out, 17 + 2 + strlen(p.name) + strlen(p.hook))) {
            return page_end(out, count, true);
        }
        ctl_out_le(out, p.id, 4);
        ctl_out_le(out, p.owner, 4);
        ctl_out_le(out, p.ninsns, 4);
        ctl_out_le(out, p.mem, 4);
        ctl_out_le(out, p.state, 1);
        ctl_out_str(out, p.name);
        ctl_out_str(out, p.hook);
        count++;
    }
    return page_end(out, count, false);
}

int
ctl_detach(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, unload);
    uint32_t id = ctl_in_u32(in);
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    int rc = c->ops->unload(c->user, id);
    return rc < 0 ? ctl_error_id(out, rc, "program", id) : 0;
}

int
ctl_stats(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, stats);
    uint32_t id = ctl_in_u32(in);
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    struct bpf_ctl_stats st;
    int rc = c->ops->stats(c->user, id, &st);
    if (rc < 0) {
        return ctl_error_id(out, rc, "program", id);
    }
    ctl_out_le(out, st.runs, 8);
    ctl_out_le(out, st.insns, 8);
    ctl_out_le(out, st.overruns, 4);
    ctl_out_le(out, st.errors, 4);
    ctl_out_le(out, (uint32_t)st.last_error, 4);
    ctl_out_le(out, st.last_fault_pc, 4);
    ctl_out_le(out, st.max_insns, 8);
    return 0;
}

int
ctl_maps(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, map_info);
    struct map_ref r = { .id = ctl_in_u32(in) };
    unsigned index = ctl_in_u8(in);
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    page_start(out);
    unsigned count = 0;
    for (;; count++) {
        struct bpf_fmt f;
        bpf_fmt_init(&f, r.name, sizeof r.name);
        bpf_fmt_chr(&f, '#');
        bpf_fmt_udec(&f, index + count);
        int rc = c->ops->map_info(c->user, r.id, r.name, &r.info);
        if (rc == -ENOENT) {
            return page_end(out, count, false);
        }
        if (rc < 0) {
            return map_error(out, rc, &r, NULL);
        }
        r.info.name[sizeof r.info.name - 1] = '\0';
        if (!ctl_out_room(out, 22 + strlen(r.info.name))) {
            return page_end(out, count, true);
        }
        const struct bpf_map_def *d = &r.info.def;
        ctl_out_le(out, r.info.index, 1);
        ctl_out_le(out, d->type, 4);
        ctl_out_le(out, d->key_size, 4);
        ctl_out_le(out, d->value_size, 4);
        ctl_out_le(out, d->max_entries, 4);
        ctl_out_le(out, d->flags, 4);
        ctl_out_str(out, r.info.name);
    }
}

/* Key/value maps only, and an entry must fit in a page. */
static int
map_check_kv(struct ctl_out *out, const struct map_ref *r)
{
    const struct bpf_map_def *d = &r->info.def;
    if (d->type == BPF_MAP_TYPE_RINGBUF) {
        return map_error(out, -EINVAL, r, "a ring buffer has no keys");
    }
    if (d->key_size + d->value_size > BPF_CTL_MAX_PAYLOAD - 6) {
        return map_error(out, -EMSGSIZE, r, "key and value do not fit in a frame");
    }
    return 0;
}

/* Entries after the request's key (or from the first), as many as fit.
 * A key deleted between next_key and lookup ends the page early: the host
 * asks again from the last key it got. */
int
ctl_map_next(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, map_next_key);
    NEED(c, map_lookup);
    struct map_ref r;
    int rc = map_ref_read(c, in, out, &r);
    if (rc < 0 || (rc = map_check_kv(out, &r)) < 0) {
        return rc;
    }
    size_t ks = r.info.def.key_size, entry = ks + r.info.def.value_size, n;
    const uint8_t *prev = ctl_in_rest(in, &n);
    if (n != 0 && n != ks) {
        return ctl_malformed(out);
    }
    if (n == 0) {
        prev = NULL;
    }
    page_start(out);
    for (unsigned count = 0;; count++) {
        if (!ctl_out_room(out, entry) || count == 255) {
            return page_end(out, count, true);
        }
        uint8_t *key = out->p + out->len;
        rc = c->ops->map_next_key(c->user, r.id, r.name, prev, key);
        if (rc == 0) {
            rc = c->ops->map_lookup(c->user, r.id, r.name, key, key + ks);
            if (rc == -ENOENT) {
                return page_end(out, count, true);
            }
        }
        if (rc == -ENOENT) {
            return page_end(out, count, false);
        }
        if (rc < 0) {
            return map_error(out, rc, &r, NULL);
        }
        out->len += entry;
        prev = key;
    }
}

int
ctl_map_update(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, map_update);
    struct map_ref r;
    int rc = map_ref_read(c, in, out, &r);
    if (rc < 0 || (rc = map_check_kv(out, &r)) < 0) {
        return rc;
    }
    uint32_t flags = ctl_in_u32(in);
    size_t n;
    const uint8_t *kv = ctl_in_rest(in, &n);
    if (in->bad || n != (size_t)r.info.def.key_size + r.info.def.value_size) {
        return ctl_malformed(out);
    }
    rc = c->ops->map_update(c->user, r.id, r.name, kv, kv + r.info.def.key_size, flags);
    return rc < 0 ? map_error(out, rc, &r, NULL) : 0;
}

/* Records as [u16 length, bytes], oldest first, until the ring is empty,
 * the host's maximum is reached or the next record does not fit (it stays
 * for the next request): a record leaves the ring only inside an answer. */
int
ctl_ringbuf(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, ringbuf_consume);
    struct map_ref r;
    int rc = map_ref_read(c, in, out, &r);
    if (rc < 0) {
        return rc;
    }
    unsigned max = ctl_in_u8(in);
    max = max != 0 ? max : 255; /* 0: as many as fit */
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    if (r.info.def.type != BPF_MAP_TYPE_RINGBUF) {
        return map_error(out, -EINVAL, &r, "not a ring buffer");
    }
    page_start(out);
    for (unsigned count = 0;; count++) {
        if (!ctl_out_room(out, 3) || count == max) {
            return page_end(out, count, true);
        }
        uint32_t cap = (uint32_t)(BPF_CTL_MAX_PAYLOAD - out->len - 2);
        rc = c->ops->ringbuf_consume(c->user, r.id, r.name, out->p + out->len + 2, cap);
        if (rc == -EAGAIN) {
            return page_end(out, count, false);
        }
        if (rc == -ENOSPC && count > 0) {
            return page_end(out, count, true);
        }
        if (rc == -ENOSPC) {
            return map_error(out, -EMSGSIZE, &r, "a record too long for a frame");
        }
        if (rc < 0) {
            return map_error(out, rc, &r, NULL);
        }
        ctl_out_le(out, (uint32_t)rc, 2);
        out->len += (size_t)rc;
    }
}

int
ctl_log(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    NEED(c, log_read);
    uint32_t offset = ctl_in_u32(in);
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    uint32_t next = offset;
    int n = c->ops->log_read(c->user, offset, out->p + 8, BPF_CTL_MAX_PAYLOAD - 8, &next);
    if (n < 0) {
        return ctl_error(out, n, "log");
    }
    ctl_out_le(out, next, 4);
    out->len += (size_t)n;
    return 0;
}
