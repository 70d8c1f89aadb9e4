/* SPDX-License-Identifier: MIT */
/* The picactl session on the board: checks each received frame, answers a
 * repeated request from the cached answer instead of executing it twice,
 * dispatches the others (loads: ctl_load.c; queries: ctl_query.c) and
 * sends exactly one response frame per request. Entry points:
 * bpf_ctl_init(), bpf_ctl_process(). Rules: docs/picactl.md.
 */
#include <pica/bpf_ctl.h>

#include "ctl_impl.h"

/* The answer is built here, in the tail of the frame buffer, and encoded in
 * place (bpf_ctl_frame_encode explains why that is safe): one buffer holds
 * both the answer being built and, afterwards, the cached frame. */
#define ANSWER_AT (BPF_CTL_MAX_FRAME - BPF_CTL_MAX_PAYLOAD)

static int ctl_hello(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out);

static const struct {
    const char *name;
    ctl_handler *fn;
} requests[] = {
    [BPF_CTL_HELLO] = { "hello", ctl_hello },
    [BPF_CTL_LOAD_BEGIN] = { "load-begin", ctl_load_begin },
    [BPF_CTL_LOAD_DATA] = { "load-data", ctl_load_data },
    [BPF_CTL_LOAD_END] = { "load-end", ctl_load_end },
    [BPF_CTL_LOAD_ABORT] = { "load-abort", ctl_load_abort },
    [BPF_CTL_LIST] = { "list", ctl_list },
    [BPF_CTL_DETACH] = { "detach", ctl_detach },
    [BPF_CTL_STATS] = { "stats", ctl_stats },
    [BPF_CTL_MAPS] = { "maps", ctl_maps },
    [BPF_CTL_MAP_NEXT] = { "map-next", ctl_map_next },
    [BPF_CTL_MAP_UPDATE] = { "map-update", ctl_map_update },
    [BPF_CTL_RINGBUF] = { "ringbuf", ctl_ringbuf },
    [BPF_CTL_LOG] = { "log", ctl_log },
};

#define NREQUESTS (sizeof requests / sizeof requests[0])

static const char *
request_name(const struct ctl_out *out)
{
    uint8_t t = out->type;
    return t < NREQUESTS && requests[t].name != NULL ? requests[t].name : "request";
}

void
bpf_ctl_init(struct bpf_ctl *c, const struct bpf_ctl_ops *ops, void *user, const char *board,
             void *obj, size_t obj_size)
{
    memset(c, 0, sizeof *c);
    c->ops = ops;
    c->user = user;
    c->board = board;
    c->obj = obj;
    c->obj_size = obj != NULL || ops->obj_alloc != NULL ? obj_size : 0;
}

/* ---- messages ---- */
/* The codes the handlers and the registry return. */
const char *
ctl_reason(int code)
{
    switch (code) {
    case -ENOENT: return "not found";
    case -ESRCH: return "no such program";
    case -EINVAL: return "invalid argument";
    case -E2BIG: return "too big";
    case -ENOMEM: return "out of memory";
    case -ENOSPC: return "no space";
    case -EEXIST: return "already exists";
    case -EPERM: return "not permitted";
    case -EBUSY: return "busy";
    case -EAGAIN: return "try again";
    case -ENOTSUP: return "not supported by this board";
    case -EMSGSIZE: return "too large for one frame";
    case -EBADMSG: return "damaged";
    default: return "error";
    }
}

struct bpf_fmt *
ctl_fail(struct ctl_out *out)
{
    out->len = 4;
    bpf_fmt_init(&out->msg, (char *)out->p + 4, BPF_CTL_MAX_PAYLOAD - 4);
    return &out->msg;
}

int
ctl_error(struct ctl_out *out, int code, const char *what)
{
    struct bpf_fmt *m = ctl_fail(out);
    bpf_fmt_str(m, what);
    bpf_fmt_str(m, ": ");
    bpf_fmt_str(m, ctl_reason(code));
    return code;
}

int
ctl_error_id(struct ctl_out *out, int code, const char *what, uint32_t id)
{
    struct bpf_fmt *m = ctl_fail(out);
    bpf_fmt_str(m, what);
    bpf_fmt_chr(m, ' ');
    bpf_fmt_udec(m, id);
    bpf_fmt_str(m, ": ");
    bpf_fmt_str(m, ctl_reason(code));
    return code;
}

int
ctl_malformed(struct ctl_out *out)
{
    struct bpf_fmt *m = ctl_fail(out);
    bpf_fmt_str(m, "malformed ");
    bpf_fmt_str(m, request_name(out));
    bpf_fmt_str(m, " payload");
    return -EINVAL;
}

/* ---- requests handled here ---- */
static int
ctl_hello(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out)
{
    (void)in; /* any payload: later hosts may say more */
    bool can_load = c->obj_size != 0 && c->ops->load != NULL;
    ctl_out_le(out, BPF_CTL_VERSION, 1);
    ctl_out_le(out, can_load ? BPF_CTL_CAN_LOAD : 0, 1);
    ctl_out_le(out, BPF_CTL_MAX_PAYLOAD, 2);
    ctl_out_le(out, c->obj_size, 4);
    ctl_out_str(out, c->board != NULL ? c->board : "");
    return 0;
}

static int
unknown_request(uint8_t type, struct ctl_out *out)
{
    struct bpf_fmt *m = ctl_fail(out);
    bpf_fmt_str(m, "unknown request 0x");
    bpf_fmt_hex(m, type, 2);
    return -ENOTSUP;
}

/* Run the request and leave its answer's payload in @out. */
static void
execute(struct bpf_ctl *c, const struct bpf_ctl_frame *f, struct ctl_out *out)
{
    struct ctl_in in = { .p = f->payload, .len = f->len };
    out->type = f->type;
    out->len = 4;
    bpf_fmt_init(&out->msg, NULL, 0);
    int status;
    if (f->type < NREQUESTS && requests[f->type].fn != NULL) {
        status = requests[f->type].fn(c, &in, out);
    } else {
        status = unknown_request(f->type, out);
    }
    if (status < 0 && out->msg.buf == NULL) {
        ctl_error(out, status, request_name(out));
    }
    if (status < 0) { /* the message, without its NUL and cut to the frame */
        size_t room = BPF_CTL_MAX_PAYLOAD - 5;
        out->len = 4 + (out->msg.len < room ? out->msg.len : room);
    }
    uint32_t s = (uint32_t)status;
    out->p[0] = (uint8_t)s;
    out->p[1] = (uint8_t)(s >> 8);
    out->p[2] = (uint8_t)(s >> 16);
    out->p[3] = (uint8_t)(s >> 24);
}

static void
nak(struct bpf_ctl *c, uint8_t seq)
{
    static const char text[] = "bad frame";
    uint8_t payload[4 + sizeof text - 1];
    uint32_t s = (uint32_t)-EBADMSG;
    for (unsigned i = 0; i < 4; i++) {
        payload[i] = (uint8_t)(s >> (8 * i));
    }
    memcpy(payload + 4, text, sizeof text - 1);
    uint8_t frame[2 + 2 * (sizeof payload + 8)];
    size_t n = bpf_ctl_frame_encode(frame, sizeof frame, BPF_CTL_NAK, seq, payload,
                                    sizeof payload);
    c->ops->write(c->user, frame, n);
}

/* HELLO always runs and empties the cache: every host run starts with it,
 * so a new run that happens to reuse the last seq is not answered with the
 * previous run's answer. */
static void
answer(struct bpf_ctl *c, const struct bpf_ctl_frame *f)
{
    bool repeat = c->cached && f->seq == c->last_seq && f->type == c->last_type &&
                  f->crc == c->last_crc;
    if (repeat && f->type != BPF_CTL_HELLO) {
        c->ops->write(c->user, c->frame, c->frame_len);
        return;
    }
    c->cached = false; /* the answer is built over the cached frame */
    struct ctl_out out = { .p = c->frame + ANSWER_AT };
    execute(c, f, &out);
    c->frame_len = bpf_ctl_frame_encode(c->frame, sizeof c->frame, f->type | BPF_CTL_RESPONSE,
                                        f->seq, out.p, out.len);
    c->cached = f->type != BPF_CTL_HELLO;
    c->last_type = f->type;
    c->last_seq = f->seq;
    c->last_crc = f->crc;
    c->ops->write(c->user, c->frame, c->frame_len);
}

int
bpf_ctl_process(struct bpf_ctl *c, struct bpf_ctl_rx *rx)
{
    size_t n;
    const uint8_t *body = bpf_ctl_rx_frame(rx, &n);
    if (body == NULL) {
        return 0;
    }
    struct bpf_ctl_frame f;
    if (bpf_ctl_frame_parse(body, n, &f) != 0 || rx->truncated) {
        if (n >= 2) {
            nak(c, f.seq);
        }
    } else if (f.type != BPF_CTL_NAK && !(f.type & BPF_CTL_RESPONSE)) {
        /* Responses are never answered: a line that echoes would loop. */
        answer(c, &f);
    }
    bpf_ctl_rx_release(rx);
    return 1;
}
