/* SPDX-License-Identifier: MIT */
/* libFuzzer target over picactl's board side (bpf/ctl*.c). The input is a script of
 * line events: raw bytes, frames this harness encodes (and may damage), requests with
 * plausible payloads, objects sent in chunks, receiver resets and retransmissions.
 * Every byte goes through bpf_ctl_rx_byte(), every frame is answered by
 * bpf_ctl_process() over the in-memory fake board of ctl_fake.c. Checked: each write is one
 * whole frame (no bare 0x0A or 0x0D, escapes only where needed) that parses back
 * with bpf_ctl_frame_parse(); a request gets exactly one answer of its type | 0x80 and
 * seq (a damaged frame a NAK, a response nothing) whose status is 0 or -errno and
 * whose data has the request's shape; an object reaches ops->load only in answer to
 * LOAD_END, at most once per LOAD_BEGIN, with the size and CRC that LOAD_BEGIN
 * announced; objects lent through obj_alloc are one at a time and all given back.
 * The struct bpf_ctl, the receiver and the object buffer (or each lent object) are allocated
 * to their exact sizes, so the sanitizers see any access past them.
 */
#include "ctl_fake.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#define OBJ_MODEL   (1u << 16)
#define MAX_SEND    600 /* payload bytes a script frame may carry: overlong ones too */

/* ---- the script ---- */
struct script {
    const uint8_t *p;
    size_t n, pos;
};

static uint8_t
take(struct script *s)
{
    return s->pos < s->n ? s->p[s->pos++] : 0;
}

static uint16_t
take16(struct script *s)
{
    uint16_t lo = take(s);
    return (uint16_t)(lo | take(s) << 8);
}

/* Up to @want bytes of the script, fewer at its end. */
static const uint8_t *
take_bytes(struct script *s, size_t want, size_t *got)
{
    size_t left = s->n - s->pos;
    *got = want < left ? want : left;
    const uint8_t *p = s->p + s->pos;
    s->pos += *got;
    return p;
}

/* ---- the answers' shapes ---- */
/* A page: count, more, then @count entries that end exactly at @len. */
static void
check_page(const struct bpf_ctl_frame *r, int kind, size_t entry)
{
    const uint8_t *p = r->payload;
    CHECK(r->len >= 6 && p[5] <= 1);
    size_t pos = 6;
    for (unsigned i = 0; i < p[4]; i++) {
        if (kind == BPF_CTL_LIST || kind == BPF_CTL_MAPS) {
            pos += kind == BPF_CTL_LIST ? 17 : 21;
            for (unsigned s = 0; s < (kind == BPF_CTL_LIST ? 2u : 1u); s++) {
                CHECK(pos < r->len && p[pos] < (s == 0 ? BPF_CTL_NAME_MAX : BPF_CTL_HOOK_MAX));
                pos += 1u + p[pos];
            }
        } else if (kind == BPF_CTL_RINGBUF) {
            CHECK(pos + 2 <= r->len);
            pos += 2u + (p[pos] | p[pos + 1] << 8);
        } else {
            pos += entry;
        }
        CHECK(pos <= r->len);
    }
    CHECK(pos == r->len);
}

/* The map a MAP_NEXT request names, as the fake knows it. */
static const struct bpf_ctl_map *
requested_map(const struct bpf_ctl_frame *f)
{
    char name[BPF_CTL_NAME_MAX] = { 0 };
    CHECK(f->len >= 5 && f->payload[4] < BPF_CTL_NAME_MAX && 5u + f->payload[4] <= f->len);
    memcpy(name, f->payload + 5, f->payload[4]);
    return map_named(name);
}

static void
check_success(const struct bpf_ctl_frame *f, const struct bpf_ctl_frame *r)
{
    const uint8_t *d = r->payload + 4;
    switch (f->type) {
    case BPF_CTL_HELLO:
        CHECK(r->len == 13u + fake.board_len && d[0] == BPF_CTL_VERSION && d[8] == fake.board_len);
        CHECK(d[1] == ((fake.obj_size != 0 && !fake.sparse) ? BPF_CTL_CAN_LOAD : 0));
        CHECK((d[2] | d[3] << 8) == BPF_CTL_MAX_PAYLOAD && le32(d + 4) == fake.obj_size);
        break;
    case BPF_CTL_LOAD_BEGIN:
        CHECK(r->len == 4 && f->len >= 8 && fake.obj_size != 0 && !fake.sparse);
        fake.armed = true;
        fake.announced_size = le32(f->payload);
        fake.announced_crc = le32(f->payload + 4);
        CHECK(fake.announced_size > 0 && fake.announced_size <= fake.obj_size);
        CHECK(!fake.lending || (fake.lent != NULL && fake.lent_size == fake.announced_size));
        break;
    case BPF_CTL_LOAD_DATA:
        CHECK(r->len == 8 && le32(d) <= fake.announced_size);
        break;
    case BPF_CTL_LOAD_END:
        CHECK(r->len == 8 && le32(d) > 0 && le32(d) < fake.next_id);
        CHECK(fake.loads == fake.loads_before + 1);
        break;
    case BPF_CTL_STATS:
        CHECK(r->len == 44);
        break;
    case BPF_CTL_LIST:
    case BPF_CTL_MAPS:
    case BPF_CTL_RINGBUF:
        check_page(r, f->type, 0);
        break;
    case BPF_CTL_MAP_NEXT: {
        const struct bpf_ctl_map *m = requested_map(f);
        CHECK(m != NULL);
        check_page(r, f->type, (size_t)m->def.key_size + m->def.value_size);
        break;
    }
    case BPF_CTL_LOG:
        CHECK(r->len >= 8);
        break;
    case BPF_CTL_LOAD_ABORT:
        CHECK(r->len == 4 && fake.lent == NULL);
        break;
    case BPF_CTL_DETACH:
    case BPF_CTL_MAP_UPDATE:
        CHECK(r->len == 4);
        break;
    default:
        CHECK(false); /* unknown requests never succeed */
    }
}

/* The answer to a request that parsed. */
static void
check_answer(const struct bpf_ctl_frame *f)
{
    struct bpf_ctl_frame r;
    CHECK(fake.writes == 1);
    CHECK(bpf_ctl_frame_parse(fake.answer, fake.answer_len, &r) == 0);
    CHECK(r.type == (f->type | BPF_CTL_RESPONSE) && r.seq == f->seq && r.len >= 4);
    bool repeat = fake.cached && f->type == fake.last_type && f->seq == fake.last_seq &&
                  f->crc == fake.last_crc && f->type != BPF_CTL_HELLO;
    if (repeat) { /* the same answer, and nothing done again */
        CHECK(fake.calls == 0 && fake.answer_len == fake.last_answer_len);
        CHECK(memcmp(fake.answer, fake.last_answer, fake.answer_len) == 0);
        return;
    }
    fake.cached = f->type != BPF_CTL_HELLO;
    fake.last_type = f->type;
    fake.last_seq = f->seq;
    fake.last_crc = f->crc;
    memcpy(fake.last_answer, fake.answer, fake.answer_len);
    fake.last_answer_len = fake.answer_len;
    int32_t status = (int32_t)le32(r.payload);
    CHECK(status <= 0 && status > -4096);
    if (status < 0) {
        CHECK(r.len <= BPF_CTL_MAX_PAYLOAD - 1); /* the message is cut, without its NUL */
        return;
    }
    check_success(f, &r);
}

static void
check_nak(uint8_t seq)
{
    static const uint8_t text[] = "bad frame";
    struct bpf_ctl_frame r;
    CHECK(fake.writes == 1);
    CHECK(bpf_ctl_frame_parse(fake.answer, fake.answer_len, &r) == 0);
    CHECK(r.type == BPF_CTL_NAK && r.seq == seq && r.len == 4 + sizeof text - 1);
    CHECK((int32_t)le32(r.payload) == -EBADMSG && memcmp(r.payload + 4, text, 9) == 0);
}

/* ---- driving bpf_ctl ---- */
struct line {
    struct bpf_ctl *ctl;
    struct bpf_ctl_rx *rx;
    uint8_t last[2 + 2 * (MAX_SEND + 8)]; /* the last frame sent, for retransmissions */
    size_t last_len;
};

static void
process(struct line *l)
{
    size_t n = 0;
    bool ready = bpf_ctl_rx_ready(l->rx);
    const uint8_t *body = bpf_ctl_rx_frame(l->rx, &n);
    uint8_t req[BPF_CTL_MAX_BODY];
    CHECK((body != NULL) == ready && n <= sizeof req);
    bool truncated = ready && l->rx->truncated;
    if (body != NULL) {
        memcpy(req, body, n);
    }
    fake.writes = 0;
    fake.calls = 0;
    fake.loads_before = fake.loads;
    fake.in_process = true;
    fake.req_type = n >= 1 ? req[0] : 0;
    CHECK(bpf_ctl_process(l->ctl, l->rx) == (ready ? 1 : 0));
    fake.in_process = false;
    CHECK(!bpf_ctl_rx_ready(l->rx) && fake.loads - fake.loads_before <= 1);
    CHECK(fake.loads == fake.loads_before || fake.lent == NULL); /* loaded: the memory is back */
    if (!ready) {
        CHECK(fake.writes == 0);
        return;
    }
    struct bpf_ctl_frame f;
    if (bpf_ctl_frame_parse(req, n, &f) != 0 || truncated) {
        CHECK(fake.calls == 0);
        if (n >= 2) {
            check_nak(req[1]);
        } else {
            CHECK(fake.writes == 0);
        }
    } else if (f.type == BPF_CTL_NAK || (f.type & BPF_CTL_RESPONSE)) {
        CHECK(fake.writes == 0 && fake.calls == 0); /* responses are never answered */
    } else {
        check_answer(&f);
    }
}

static void
feed(struct line *l, const uint8_t *bytes, size_t n, bool then_process)
{
    for (size_t i = 0; i < n; i++) {
        bool framed = bpf_ctl_rx_byte(l->rx, bytes[i]);
        CHECK(framed || bytes[i] != BPF_CTL_START);
    }
    if (then_process) {
        process(l);
    }
}

static size_t
escape_into(uint8_t *out, size_t o, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t c = p[i];
        if (c >= BPF_CTL_ESC || c == '\n' || c == '\r') {
            out[o++] = BPF_CTL_ESC;
            c ^= BPF_CTL_ESC_XOR;
        }
        out[o++] = c;
    }
    return o;
}

/* Encode as picactl does (any length, for overlong frames too); below the limit the
 * library's encoder must give the same bytes. @flags: bit 0 damages one byte, bit 1
 * drops the final 0xFF, bit 2 leaves the frame unanswered for now. */
static void
send_frame(struct line *l, struct script *s, uint8_t type, const uint8_t *payload, size_t len,
           unsigned flags)
{
    uint8_t seq = take(s);
    uint8_t head[4] = { type, seq, (uint8_t)len, (uint8_t)(len >> 8) };
    uint8_t tail[4];
    uint32_t crc = bpf_ctl_crc32(bpf_ctl_crc32(0, head, 4), payload, len);
    memcpy(tail, &crc, 4);
    size_t o = 0;
    l->last[o++] = BPF_CTL_START;
    o = escape_into(l->last, o, head, 4);
    o = escape_into(l->last, o, payload, len);
    o = escape_into(l->last, o, tail, 4);
    l->last[o++] = BPF_CTL_END;
    if (len <= BPF_CTL_MAX_PAYLOAD) {
        uint8_t lib[BPF_CTL_MAX_FRAME];
        CHECK(bpf_ctl_frame_encode(lib, sizeof lib, type, seq, payload, len) == o);
        CHECK(memcmp(lib, l->last, o) == 0);
    }
    if (flags & 1) {
        l->last[take(s) % o] ^= (uint8_t)(take(s) | 1);
    }
    l->last_len = (flags & 2) ? o - 1 : o;
    feed(l, l->last, l->last_len, !(flags & 4));
}

/* A short string field: u8 length and bytes, some too long for the board. */
static size_t
put_str(uint8_t *out, struct script *s, const char *usual)
{
    uint8_t pick = take(s);
    if (pick < 200 && usual != NULL) {
        out[0] = (uint8_t)strlen(usual);
        memcpy(out + 1, usual, out[0]);
        return 1u + out[0];
    }
    size_t got;
    const uint8_t *p = take_bytes(s, pick % 70, &got);
    out[0] = (uint8_t)got;
    memcpy(out + 1, p, got);
    return 1 + got;
}

static size_t
put_le32(uint8_t *out, uint32_t v)
{
    memcpy(out, &v, 4);
    return 4;
}

static uint8_t object[OBJ_MODEL]; /* what the script loads */
static size_t object_len;

/* LOAD_BEGIN for the next bytes of the script, announced right or wrong. */
static void
begin_load(struct line *l, struct script *s, unsigned flags)
{
    static const char *const hooks[] = { "timer:100", "irq:5", NULL };
    size_t got, want = take(s);
    if (flags & 8) {
        want = want * 256 + take(s); /* up to 64 KiB: past most boards' limit */
    }
    const uint8_t *p = take_bytes(s, want, &got);
    memcpy(object, p, got);
    object_len = got;
    uint8_t pay[MAX_SEND];
    uint8_t opt = take(s);
    size_t n = put_le32(pay, (uint32_t)got + ((opt & 1) ? 1 : 0));
    n += put_le32(pay + n, bpf_ctl_crc32(0, object, got) ^ ((opt & 2) ? 1u : 0));
    n += put_le32(pay + n, (opt >> 2) & 3); /* bit 1: an unknown flag */
    n += put_str(pay + n, s, hooks[(opt >> 4) % 3]);
    n += put_str(pay + n, s, (opt & 0x40) ? "pica/count" : "");
    n += put_str(pay + n, s, (opt & 0x80) ? "counter" : "");
    send_frame(l, s, BPF_CTL_LOAD_BEGIN, pay, n, flags);
}

/* LOAD_DATA: a chunk of the object at a script-chosen offset. */
static void
send_chunk(struct line *l, struct script *s, uint32_t off, size_t len, unsigned flags)
{
    uint8_t pay[4 + 252];
    if (off >= object_len) {
        len = 0;
    } else if (len > object_len - off) {
        len = object_len - off;
    }
    put_le32(pay, off);
    memcpy(pay + 4, object + (off < object_len ? off : 0), len);
    send_frame(l, s, BPF_CTL_LOAD_DATA, pay, 4 + len, flags);
}

/* One chunk anywhere, or (flags bit 3) the whole object in order, in chunks of one
 * script-chosen size. */
static void
send_object(struct line *l, struct script *s, unsigned flags)
{
    uint32_t off = take16(s);
    size_t len = 1 + take(s) % 252;
    if (!(flags & 8)) {
        send_chunk(l, s, off, len, flags);
        return;
    }
    if (object_len / len > 300) {
        len = 252; /* a few hundred frames at most */
    }
    for (off = 0; off < object_len; off += (uint32_t)len) {
        send_chunk(l, s, off, len, flags & 1);
    }
}

/* A whole load as picactl sends it: LOAD_BEGIN, the object in 200-byte chunks,
 * LOAD_END; @fill is every byte of the object (its first says how the loader
 * answers). Scripts start with one when they ask, so loads of many frames are common. */
static void
load_whole(struct line *l, struct script *s, size_t size, uint8_t fill)
{
    static const char hook[] = "timer:100";
    uint8_t pay[64];
    memset(object, fill, size);
    object_len = size;
    size_t n = put_le32(pay, (uint32_t)size);
    n += put_le32(pay + n, bpf_ctl_crc32(0, object, size));
    n += put_le32(pay + n, 0);
    pay[n++] = sizeof hook - 1;
    memcpy(pay + n, hook, sizeof hook - 1);
    n += sizeof hook - 1;
    pay[n++] = 0; /* the first section */
    pay[n++] = 0; /* named after it */
    send_frame(l, s, BPF_CTL_LOAD_BEGIN, pay, n, 0);
    for (uint32_t off = 0; off < size; off += 200) {
        send_chunk(l, s, off, 200, 0);
    }
    send_frame(l, s, BPF_CTL_LOAD_END, NULL, 0, 0);
}

/* A request with the usual fields for its type, values chosen by the script. */
static void
send_request(struct line *l, struct script *s, unsigned flags)
{
    static const char *const names[] = { "counts", "events", "huge", "edge",
                                         "fifteen_chars_x", "#1", "#9", "nope" };
    uint8_t type = (uint8_t)(1 + take(s) % 13);
    uint8_t pay[MAX_SEND];
    size_t n = 0;
    uint32_t id = take(s) % (fake.next_id + 2);
    const struct bpf_ctl_map *m = NULL;
    switch (type) {
    case BPF_CTL_LIST:
        n = 2;
        pay[0] = take(s) % 12;
        pay[1] = 0;
        break;
    case BPF_CTL_DETACH:
    case BPF_CTL_STATS:
        n = put_le32(pay, id);
        break;
    case BPF_CTL_MAPS:
        n = put_le32(pay, id);
        pay[n++] = take(s) % 8;
        break;
    case BPF_CTL_MAP_NEXT:
    case BPF_CTL_MAP_UPDATE:
    case BPF_CTL_RINGBUF: {
        const char *name = names[take(s) % 8];
        n = put_le32(pay, id);
        n += put_str(pay + n, s, name);
        m = map_named(name);
        if (type == BPF_CTL_RINGBUF) {
            pay[n++] = take(s) % 4;
        } else if (type == BPF_CTL_MAP_UPDATE) {
            n += put_le32(pay + n, take(s) % 4);
        }
        if (type != BPF_CTL_RINGBUF && (take(s) & 1)) { /* a key, or key and value */
            size_t want = m == NULL ? take(s) % 64
                                    : m->def.key_size + (type == BPF_CTL_MAP_UPDATE
                                                             ? m->def.value_size : 0);
            want = want < sizeof pay - n ? want : sizeof pay - n;
            memset(pay + n, 0, want);
            size_t got;
            const uint8_t *p = take_bytes(s, want < 4 ? want : 4, &got);
            memcpy(pay + n, p, got);
            n += want;
        }
        break;
    }
    case BPF_CTL_LOG:
        n = put_le32(pay, (take(s) & 1) ? take16(s) : UINT32_MAX - take(s));
        break;
    default:
        n = take(s) % 4; /* HELLO may say more; the loads take none here */
        memset(pay, 0, n);
        break;
    }
    if ((flags & 8) && n < sizeof pay) {
        pay[n++] = take(s); /* one byte too many */
    }
    send_frame(l, s, type, pay, n, flags);
}

static void
board_init(struct script *s)
{
    static const size_t sizes[8] = { 0, 1, 8, 64, 256, 1000, 4096, 70000 };
    uint8_t cfg = take(s), more = take(s), mode = take(s);
    memset(&fake, 0, sizeof fake);
    object_len = 0;
    fake.next_id = 1;
    fake.sparse = (cfg & 8) != 0;
    fake.lending = !fake.sparse && (mode & 1);
    fake.refuse_odd = (mode & 2) != 0;
    fake.board_len = (cfg & 0x80) ? 0 : strlen("fuzzboard");
    fake.obj_size = sizes[cfg & 7];
    fake.obj = fake.obj_size != 0 && !fake.lending ? malloc(fake.obj_size) : NULL;
    for (unsigned i = 0; i < ((cfg >> 4) & 7u); i++) {
        fake.progs[fake.nprogs++] = (struct fake_prog){ fake.next_id++, (i & 1) != 0 };
    }
    fake.nrecords = more % (MAX_RECORDS + 1);
    for (unsigned i = 0; i < fake.nrecords; i++) {
        fake.records[i] = (uint16_t)(take(s) * 2);
    }
    fake.log_end = (uint32_t)(more >> 4) * 97u;
}

/* One event of the script. */
static void
run_event(struct line *l, struct script *s)
{
    uint8_t c = take(s);
    unsigned flags = c >> 3;
    size_t got;
    const uint8_t *p;
    switch (c & 7) {
    case 0: /* console text, or anything at all */
        p = take_bytes(s, take(s), &got);
        feed(l, p, got, !(flags & 4));
        break;
    case 1: { /* any frame, checksummed */
        uint8_t type = take(s);
        p = take_bytes(s, take(s) + ((flags & 8) ? 256u : 0u), &got);
        send_frame(l, s, type, p, got, flags);
        break;
    }
    case 2:
        begin_load(l, s, flags);
        break;
    case 3:
        send_object(l, s, flags);
        break;
    case 4: { /* LOAD_END or LOAD_ABORT, maybe with a stray byte */
        uint8_t junk = take(s);
        send_frame(l, s, (flags & 8) ? BPF_CTL_LOAD_ABORT : BPF_CTL_LOAD_END, &junk,
                   (flags & 16) ? 1 : 0, flags);
        break;
    }
    case 5:
        send_request(l, s, flags);
        break;
    case 6: /* the line went quiet: the board drops a half frame, then answers */
        bpf_ctl_rx_reset(l->rx);
        process(l);
        break;
    default: /* the host retransmits */
        feed(l, l->last, l->last_len, !(flags & 4));
        break;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct script s = { data, size, 0 };
    if (size < 3) {
        return 0;
    }
    board_init(&s);
    struct line l = { .ctl = malloc(sizeof *l.ctl), .rx = malloc(sizeof *l.rx) };
    const struct bpf_ctl_ops *ops = fake.sparse    ? &sparse_ops
                                    : fake.lending ? &lending_ops
                                                   : &full_ops;
    bpf_ctl_init(l.ctl, ops, NULL, fake.board_len != 0 ? "fuzzboard" : NULL, fake.obj,
                 fake.obj_size);
    bpf_ctl_rx_init(l.rx);
    if (data[2] & 4) {
        size_t len = 1u + take(&s) * 4u;
        load_whole(&l, &s, len, take(&s));
    }
    while (s.pos < s.n) {
        run_event(&l, &s);
    }
    process(&l);
    free(l.ctl);
    free(l.rx);
    free(fake.obj);
    free(fake.lent); /* an object still being received */
    return 0;
}
