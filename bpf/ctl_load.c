/* SPDX-License-Identifier: MIT */
/* Receiving an object: LOAD_BEGIN announces size, CRC and where to attach,
 * LOAD_DATA chunks arrive in order into the embedder's object buffer,
 * LOAD_END checks size and CRC and only then hands the object to ops->load.
 * A chunk that repeats bytes already received, unchanged, is acknowledged
 * again without effect, so no retransmission can damage the object.
 */
#include "ctl_impl.h"

static struct bpf_fmt *
fail_at(struct ctl_out *out, const char *text, uint32_t v)
{
    struct bpf_fmt *m = ctl_fail(out);
    bpf_fmt_str(m, text);
    bpf_fmt_udec(m, v);
    return m;
}

/* Done with the object being received, if any: its memory goes back where
 * the embedder lends it per load. */
void
ctl_load_release(struct bpf_ctl *c)
{
    c->load.active = false;
    if (c->ops->obj_alloc != NULL && c->obj != NULL) {
        c->ops->obj_free(c->user, c->obj);
        c->obj = NULL;
    }
}

int
ctl_load_begin(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    struct bpf_ctl_loading l = { .active = true };
    l.size = ctl_in_u32(in);
    l.crc = ctl_in_u32(in);
    l.flags = ctl_in_u32(in);
    ctl_in_str(in, l.hook, sizeof l.hook);
    ctl_in_str(in, l.section, sizeof l.section);
    ctl_in_str(in, l.name, sizeof l.name);
    if (!ctl_in_done(in)) {
        return ctl_malformed(out);
    }
    if (c->obj_size == 0 || c->ops->load == NULL) {
        bpf_fmt_str(ctl_fail(out), "this board cannot load programs");
        return -ENOTSUP;
    }
    if (l.size == 0 || l.hook[0] == '\0' || (l.flags & ~BPF_CTL_LOAD_VERDICT) != 0) {
        bpf_fmt_str(ctl_fail(out), "load needs a size, a hook and known flags");
        return -EINVAL;
    }
    if (l.size > c->obj_size) {
        struct bpf_fmt *m = fail_at(out, "object of ", l.size);
        bpf_fmt_str(m, " bytes is larger than the board's limit of ");
        bpf_fmt_udec(m, c->obj_size);
        return -E2BIG;
    }
    ctl_load_release(c); /* a load begun before is abandoned */
    if (c->ops->obj_alloc != NULL) {
        c->obj = c->ops->obj_alloc(c->user, l.size);
        if (c->obj == NULL) {
            struct bpf_fmt *m = fail_at(out, "no memory for an object of ", l.size);
            bpf_fmt_str(m, " bytes");
            return -ENOMEM;
        }
    }
    c->load = l;
    return 0;
}

int
ctl_load_data(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    struct bpf_ctl_loading *l = &c->load;
    uint32_t offset = ctl_in_u32(in);
    size_t n;
    const uint8_t *data = ctl_in_rest(in, &n);
    if (!ctl_in_done(in) || n == 0) {
        return ctl_malformed(out);
    }
    if (!l->active) {
        bpf_fmt_str(ctl_fail(out), "no load in progress");
        return -EINVAL;
    }
    if (offset > l->size || n > l->size - offset) {
        fail_at(out, "chunk runs past the object's end at ", l->size);
        return -EINVAL;
    }
    if (offset == l->got) {
        memcpy(c->obj + offset, data, n);
        l->got += (uint32_t)n;
        l->got_crc = bpf_ctl_crc32(l->got_crc, data, n);
    } else if (offset > l->got || n > l->got - offset || memcmp(c->obj + offset, data, n) != 0) {
        struct bpf_fmt *m = fail_at(out, "chunk at offset ", offset);
        bpf_fmt_str(m, " out of order; expected ");
        bpf_fmt_udec(m, l->got);
        return -EINVAL;
    }
    ctl_out_le(out, l->got, 4);
    return 0;
}

int
ctl_load_end(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    struct bpf_ctl_loading *l = &c->load;
    if (in->len != 0) {
        return ctl_malformed(out);
    }
    if (!l->active) {
        bpf_fmt_str(ctl_fail(out), "no load in progress");
        return -EINVAL;
    }
    if (l->got != l->size) {
        struct bpf_fmt *m = fail_at(out, "object incomplete: ", l->got);
        bpf_fmt_str(m, " of ");
        bpf_fmt_udec(m, l->size);
        bpf_fmt_str(m, " bytes");
        return -EINVAL;
    }
    if (l->got_crc != l->crc) {
        ctl_load_release(c);
        struct bpf_fmt *m = ctl_fail(out);
        bpf_fmt_str(m, "object CRC 0x");
        bpf_fmt_hex(m, l->got_crc, 8);
        bpf_fmt_str(m, " is not the announced 0x");
        bpf_fmt_hex(m, l->crc, 8);
        return -EBADMSG;
    }
    struct bpf_ctl_load req = {
        .elf = c->obj,
        .len = l->size,
        .section = l->section[0] != '\0' ? l->section : NULL,
        .hook = l->hook,
        .name = l->name[0] != '\0' ? l->name : NULL,
        .flags = l->flags,
    };
    /* The loader writes its sentence straight into the answer. */
    struct bpf_fmt *m = ctl_fail(out);
    int id = c->ops->load(c->user, &req, m->buf, m->size);
    ctl_load_release(c); /* whatever the outcome, this object is done with */
    if (id < 0) {
        m->buf[m->size - 1] = '\0';
        m->len = strlen(m->buf);
        return m->len > 0 ? id : ctl_error(out, id, "load");
    }
    out->len = 4;
    ctl_out_le(out, (uint32_t)id, 4);
    return 0;
}

int
ctl_load_abort(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    if (in->len != 0) {
        return ctl_malformed(out);
    }
    ctl_load_release(c);
    return 0;
}
