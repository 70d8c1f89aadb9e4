/* SPDX-License-Identifier: MIT */
/* The picactl session (bpf/ctl*.c) over fake ops: one answer per request,
 * repeats answered from the cache and never executed twice, NAKs, unknown
 * and malformed requests, loads (in order, repeated chunks, CRC, size,
 * the loader's message) and every query with its paging. ctest unit.bpf.ctl */
#include <pica/bpf_ctl.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

/* ---- the fake board ---- */
#define NPROGS   10
#define NENTRIES 40
#define NRECORDS 5

static struct fake {
    uint8_t wire[4 * BPF_CTL_MAX_FRAME]; /* what the session wrote */
    size_t wire_len;
    unsigned writes;
    unsigned loads, unloads, updates;
    uint8_t loaded[4096];
    size_t loaded_len;
    char section[64], hook[32], name[16];
    const char *refusal;       /* the loader's message, if it is to refuse */
    uint32_t keys[NENTRIES];   /* the "counts" hash: key i -> i * 100 */
    uint64_t values[NENTRIES];
    unsigned nrecords;         /* records left in "events" */
    uint8_t update[12];
} fake;

static uint8_t obj[4096];

static void
fake_write(void *user, const void *bytes, size_t len)
{
    assert_true(fake.wire_len + len <= sizeof fake.wire);
    memcpy(fake.wire + fake.wire_len, bytes, len);
    fake.wire_len += len;
    fake.writes++;
}

static int
fake_load(void *user, const struct bpf_ctl_load *req, char *msg, size_t size)
{
    fake.loads++;
    memcpy(fake.loaded, req->elf, req->len);
    fake.loaded_len = req->len;
    snprintf(fake.section, sizeof fake.section, "%s", req->section ? req->section : "(first)");
    snprintf(fake.hook, sizeof fake.hook, "%s", req->hook);
    snprintf(fake.name, sizeof fake.name, "%s", req->name ? req->name : "(section)");
    if (fake.refusal != NULL) {
        snprintf(msg, size, "%s", fake.refusal);
        return -EINVAL;
    }
    return 7;
}

static int
fake_unload(void *user, uint32_t id)
{
    fake.unloads++;
    return id == 7 ? 0 : -ENOENT;
}

static int
fake_prog_at(void *user, unsigned index, struct bpf_ctl_prog *p)
{
    if (index >= NPROGS) {
        return -ENOENT;
    }
    *p = (struct bpf_ctl_prog){ .id = index + 1, .owner = index, .ninsns = 10 * index,
                                .mem = 1000 + index, .state = index & 1 };
    snprintf(p->name, sizeof p->name, "program_%07u", index);
    snprintf(p->hook, sizeof p->hook, "timer:%u", 1000000 + index);
    return 0;
}

static int
fake_stats(void *user, uint32_t id, struct bpf_ctl_stats *st)
{
    if (id != 1) {
        return -ENOENT;
    }
    *st = (struct bpf_ctl_stats){ 1, 2, 3, 4, -5, 6, 7 };
    return 0;
}

static const struct bpf_ctl_map fake_maps[] = {
    { 0, "counts", { BPF_MAP_TYPE_HASH, 4, 8, NENTRIES, 0 } },
    { 1, "events", { BPF_MAP_TYPE_RINGBUF, 0, 0, 4096, 0 } },
    { 2, "huge", { BPF_MAP_TYPE_ARRAY, 4, 300, 1, 0 } },
};

static int
fake_map_info(void *user, uint32_t id, const char *name, struct bpf_ctl_map *m)
{
    if (id != 1) {
        return -ESRCH;
    }
    for (unsigned i = 0; i < 3; i++) {
        char num[4];
        snprintf(num, sizeof num, "#%u", i);
        if (strcmp(name, fake_maps[i].name) == 0 || strcmp(name, num) == 0) {
            *m = fake_maps[i];
            return 0;
        }
    }
    return -ENOENT;
}

static int
fake_next_key(void *user, uint32_t id, const char *name, const void *key, void *next)
{
    unsigned i = 0;
    if (key != NULL) {
        uint32_t k;
        memcpy(&k, key, 4);
        i = k + 1;
    }
    if (i >= NENTRIES) {
        return -ENOENT;
    }
    memcpy(next, &fake.keys[i], 4);
    return 0;
}

static int
fake_lookup(void *user, uint32_t id, const char *name, const void *key, void *value)
{
    uint32_t k;
    memcpy(&k, key, 4);
    memcpy(value, &fake.values[k], 8);
    return 0;
}

static int
fake_update(void *user, uint32_t id, const char *name, const void *key, const void *value,
            uint64_t flags)
{
    fake.updates++;
    memcpy(fake.update, key, 4);
    memcpy(fake.update + 4, value, 8);
    return flags == BPF_NOEXIST ? -EEXIST : 0;
}

/* Records of 100 bytes, the fourth of 300 (more than any frame holds). */
static int
fake_consume(void *user, uint32_t id, const char *name, void *buf, uint32_t cap)
{
    if (fake.nrecords == 0) {
        return -EAGAIN;
    }
    uint32_t len = fake.nrecords == 2 ? 300 : 100;
    if (len > cap) {
        return -ENOSPC;
    }
    memset(buf, (int)fake.nrecords, len);
    fake.nrecords--;
    return (int)len;
}

static const char log_text[] = "boot\nready\n";

static int
fake_log(void *user, uint32_t offset, void *buf, size_t cap, uint32_t *next)
{
    size_t len = sizeof log_text - 1;
    size_t n = offset < len ? len - offset : 0;
    n = n < cap ? n : cap;
    memcpy(buf, log_text + (offset < len ? offset : len), n);
    *next = offset + (uint32_t)n;
    return (int)n;
}

static const struct bpf_ctl_ops full_ops = {
    .write = fake_write, .load = fake_load, .unload = fake_unload, .prog_at = fake_prog_at,
    .stats = fake_stats, .map_info = fake_map_info, .map_lookup = fake_lookup,
    .map_next_key = fake_next_key, .map_update = fake_update, .ringbuf_consume = fake_consume,
    .log_read = fake_log,
};

static const struct bpf_ctl_ops write_only_ops = { .write = fake_write };

static struct bpf_ctl ctl;
static struct bpf_ctl_rx rx;

static int
setup(void **state)
{
    memset(&fake, 0, sizeof fake);
    for (unsigned i = 0; i < NENTRIES; i++) {
        fake.keys[i] = i;
        fake.values[i] = i * 100ull;
    }
    bpf_ctl_init(&ctl, &full_ops, NULL, "fakeboard", obj, sizeof obj);
    bpf_ctl_rx_init(&rx);
    return 0;
}

/* ---- talking to it ---- */
struct answer {
    uint8_t type, seq;
    int32_t status;
    const uint8_t *data; /* after the status */
    size_t len;
    char text[BPF_CTL_MAX_PAYLOAD + 1]; /* the data as a string */
};

static uint8_t answer_body[BPF_CTL_MAX_BODY];

/* Decode the first frame the session wrote since the last call. Returns
 * the number of frames written. */
static unsigned
take_answer(struct answer *a)
{
    unsigned frames = fake.writes;
    struct bpf_ctl_rx dec;
    bpf_ctl_rx_init(&dec);
    size_t i = 0, len = 0;
    const uint8_t *body = NULL;
    while (i < fake.wire_len && body == NULL) {
        bpf_ctl_rx_byte(&dec, fake.wire[i++]);
        body = bpf_ctl_rx_frame(&dec, &len);
    }
    fake.wire_len = 0;
    fake.writes = 0;
    if (body == NULL) {
        return 0;
    }
    memcpy(answer_body, body, len);
    struct bpf_ctl_frame f;
    assert_int_equal(bpf_ctl_frame_parse(answer_body, len, &f), 0);
    assert_true(f.len >= 4);
    *a = (struct answer){ .type = f.type, .seq = f.seq, .data = f.payload + 4, .len = f.len - 4u };
    a->status = (int32_t)(f.payload[0] | f.payload[1] << 8 | f.payload[2] << 16 |
                          (uint32_t)f.payload[3] << 24);
    memcpy(a->text, a->data, a->len);
    a->text[a->len] = '\0';
    return frames;
}

static void
send_raw(const uint8_t *frame, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        bpf_ctl_rx_byte(&rx, frame[i]);
    }
    bpf_ctl_process(&ctl, &rx);
}

/* One request; asserts exactly one answer of the right type and seq. */
static struct answer
request(uint8_t type, uint8_t seq, const void *payload, size_t len)
{
    uint8_t frame[BPF_CTL_MAX_FRAME];
    send_raw(frame, bpf_ctl_frame_encode(frame, sizeof frame, type, seq, payload, len));
    struct answer a;
    assert_int_equal(take_answer(&a), 1);
    assert_int_equal(a.type, type | BPF_CTL_RESPONSE);
    assert_int_equal(a.seq, seq);
    return a;
}

static uint32_t
le32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static size_t
put32(uint8_t *p, uint32_t v)
{
    memcpy(p, &v, 4); /* the host is little-endian */
    return 4;
}

static size_t
put_str(uint8_t *p, const char *s)
{
    p[0] = (uint8_t)strlen(s);
    memcpy(p + 1, s, p[0]);
    return 1u + p[0];
}

static size_t
load_begin_payload(uint8_t *p, uint32_t size, uint32_t crc, const char *hook)
{
    size_t n = put32(p, size);
    n += put32(p + n, crc);
    n += put32(p + n, 0);
    n += put_str(p + n, hook);
    n += put_str(p + n, "pica/x");
    n += put_str(p + n, "");
    return n;
}

/* BEGIN and DATA of @len bytes of @data in chunks of @chunk; returns next seq. */
static uint8_t
send_object(uint8_t seq, const uint8_t *data, uint32_t len, size_t chunk)
{
    uint8_t p[BPF_CTL_MAX_PAYLOAD];
    size_t n = load_begin_payload(p, len, bpf_ctl_crc32(0, data, len), "irq:5");
    assert_int_equal(request(BPF_CTL_LOAD_BEGIN, seq++, p, n).status, 0);
    for (uint32_t off = 0; off < len; off += (uint32_t)chunk) {
        size_t c = len - off < chunk ? len - off : chunk;
        put32(p, off);
        memcpy(p + 4, data + off, c);
        struct answer a = request(BPF_CTL_LOAD_DATA, seq++, p, 4 + c);
        assert_int_equal(a.status, 0);
        assert_int_equal(le32(a.data), off + c);
    }
    return seq;
}

static uint8_t sample[1000];

static void
fill_sample(void)
{
    for (unsigned i = 0; i < sizeof sample; i++) {
        sample[i] = (uint8_t)(i * 31 + 0xF0); /* plenty of bytes to escape */
    }
}

/* ---- session ---- */
static void
test_hello_reports_the_board(void **state)
{
    struct answer a = request(BPF_CTL_HELLO, 0, NULL, 0);
    assert_int_equal(a.status, 0);
    assert_int_equal(a.data[0], BPF_CTL_VERSION);
    assert_int_equal(a.data[1], BPF_CTL_CAN_LOAD);
    assert_int_equal(a.data[2] | a.data[3] << 8, BPF_CTL_MAX_PAYLOAD);
    assert_int_equal(le32(a.data + 4), sizeof obj);
    assert_int_equal(a.data[8], 9);
    assert_memory_equal(a.data + 9, "fakeboard", 9);
}

static void
test_hello_without_object_buffer_cannot_load(void **state)
{
    bpf_ctl_init(&ctl, &full_ops, NULL, "b", NULL, 1234);
    struct answer a = request(BPF_CTL_HELLO, 0, NULL, 0);
    assert_int_equal(a.data[1], 0);
    assert_int_equal(le32(a.data + 4), 0);
    uint8_t p[64];
    a = request(BPF_CTL_LOAD_BEGIN, 1, p, load_begin_payload(p, 10, 0, "switch"));
    assert_int_equal(a.status, -ENOTSUP);
}

static void
test_repeated_request_is_answered_from_cache_not_executed(void **state)
{
    uint8_t p[4];
    put32(p, 7);
    struct answer first = request(BPF_CTL_DETACH, 5, p, 4);
    assert_int_equal(first.status, 0);
    uint8_t frame[BPF_CTL_MAX_FRAME];
    size_t n = bpf_ctl_frame_encode(frame, sizeof frame, BPF_CTL_DETACH, 5, p, 4);
    uint8_t wire1[BPF_CTL_MAX_FRAME];
    send_raw(frame, n);
    memcpy(wire1, fake.wire, fake.wire_len);
    size_t len1 = fake.wire_len;
    struct answer again;
    assert_int_equal(take_answer(&again), 1);
    assert_int_equal(again.status, 0);
    assert_int_equal(fake.unloads, 1);
    send_raw(frame, n); /* a third time: the same bytes again */
    assert_int_equal(fake.wire_len, len1);
    assert_memory_equal(fake.wire, wire1, len1);
    assert_int_equal(fake.unloads, 1);
}

static void
test_same_seq_with_other_payload_is_executed(void **state)
{
    uint8_t p[4];
    put32(p, 7);
    request(BPF_CTL_DETACH, 5, p, 4);
    put32(p, 8);
    assert_int_equal(request(BPF_CTL_DETACH, 5, p, 4).status, -ENOENT);
    assert_int_equal(fake.unloads, 2);
}

static void
test_hello_empties_the_cache(void **state)
{
    uint8_t p[4];
    put32(p, 7);
    request(BPF_CTL_DETACH, 5, p, 4);
    request(BPF_CTL_HELLO, 6, NULL, 0);
    request(BPF_CTL_DETACH, 5, p, 4); /* a new run of the host reusing seq 5 */
    assert_int_equal(fake.unloads, 2);
    request(BPF_CTL_HELLO, 6, NULL, 0); /* HELLO itself always runs */
    request(BPF_CTL_HELLO, 6, NULL, 0);
}

static void
test_bad_crc_gets_a_nak_and_keeps_the_cache(void **state)
{
    uint8_t p[4], frame[BPF_CTL_MAX_FRAME];
    put32(p, 7);
    request(BPF_CTL_DETACH, 9, p, 4);
    size_t n = bpf_ctl_frame_encode(frame, sizeof frame, BPF_CTL_DETACH, 9, p, 4);
    frame[6] ^= 0x01;
    send_raw(frame, n);
    struct answer a;
    assert_int_equal(take_answer(&a), 1);
    assert_int_equal(a.type, BPF_CTL_NAK);
    assert_int_equal(a.seq, 9);
    assert_int_equal(a.status, -EBADMSG);
    frame[6] ^= 0x01;
    send_raw(frame, n); /* the retransmission: from the cache */
    assert_int_equal(take_answer(&a), 1);
    assert_int_equal(a.type, BPF_CTL_DETACH | BPF_CTL_RESPONSE);
    assert_int_equal(fake.unloads, 1);
}

static void
test_frame_too_short_for_a_seq_gets_nothing(void **state)
{
    const uint8_t one[] = { BPF_CTL_START, 0x05, BPF_CTL_END };
    send_raw(one, sizeof one);
    assert_int_equal(fake.writes, 0);
    const uint8_t two[] = { BPF_CTL_START, 0x05, 0x11, BPF_CTL_END };
    send_raw(two, sizeof two); /* seq readable: NAK */
    struct answer a;
    assert_int_equal(take_answer(&a), 1);
    assert_int_equal(a.type, BPF_CTL_NAK);
    assert_int_equal(a.seq, 0x11);
}

static void
test_overlong_frame_gets_a_nak_and_is_not_executed(void **state)
{
    uint8_t frame[BPF_CTL_MAX_FRAME], payload[BPF_CTL_MAX_PAYLOAD] = { 7 };
    size_t n = bpf_ctl_frame_encode(frame, sizeof frame, BPF_CTL_DETACH, 3, payload, 4);
    uint8_t longer[2 * BPF_CTL_MAX_FRAME];
    memcpy(longer, frame, n - 1); /* the same head, then too much before the end */
    memset(longer + n - 1, 0x41, BPF_CTL_MAX_BODY);
    longer[n - 1 + BPF_CTL_MAX_BODY] = BPF_CTL_END;
    send_raw(longer, n + BPF_CTL_MAX_BODY);
    struct answer a;
    assert_int_equal(take_answer(&a), 1);
    assert_int_equal(a.type, BPF_CTL_NAK);
    assert_int_equal(a.seq, 3);
    assert_int_equal(fake.unloads, 0);
    send_raw(frame, n); /* the resend runs */
    assert_int_equal(take_answer(&a), 1);
    assert_int_equal(a.type, BPF_CTL_DETACH | BPF_CTL_RESPONSE);
    assert_int_equal(fake.unloads, 1);
}

static void
test_unknown_request_is_not_supported(void **state)
{
    struct answer a = request(0x42, 1, "x", 1);
    assert_int_equal(a.status, -ENOTSUP);
    assert_string_equal(a.text, "unknown request 0x42");
    a = request(0x00, 2, NULL, 0);
    assert_int_equal(a.status, -ENOTSUP);
}

static void
test_responses_are_never_answered(void **state)
{
    uint8_t frame[BPF_CTL_MAX_FRAME];
    const uint8_t status[4] = { 0 };
    send_raw(frame, bpf_ctl_frame_encode(frame, sizeof frame, 0x81, 1, status, 4));
    send_raw(frame, bpf_ctl_frame_encode(frame, sizeof frame, BPF_CTL_NAK, 1, status, 4));
    assert_int_equal(fake.writes, 0);
}

static void
test_malformed_payloads_are_refused(void **state)
{
    static const struct {
        uint8_t type;
        uint8_t len; /* of a zero payload */
    } bad[] = {
        { BPF_CTL_LOAD_BEGIN, 11 }, { BPF_CTL_LOAD_BEGIN, 16 }, { BPF_CTL_LOAD_DATA, 4 },
        { BPF_CTL_LOAD_DATA, 2 },   { BPF_CTL_LOAD_END, 1 },    { BPF_CTL_LOAD_ABORT, 1 },
        { BPF_CTL_LIST, 1 },        { BPF_CTL_LIST, 3 },        { BPF_CTL_DETACH, 3 },
        { BPF_CTL_DETACH, 5 },      { BPF_CTL_STATS, 0 },       { BPF_CTL_MAPS, 4 },
        { BPF_CTL_MAP_NEXT, 3 },    { BPF_CTL_LOG, 2 },         { BPF_CTL_RINGBUF, 2 },
    };
    uint8_t zeros[32] = { 0 };
    for (unsigned i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct answer a = request(bad[i].type, (uint8_t)i, zeros, bad[i].len);
        assert_int_equal(a.status, -EINVAL);
        assert_non_null(strstr(a.text, "malformed"));
    }
    assert_int_equal(fake.loads + fake.unloads + fake.updates, 0);
    /* a string that holds a NUL, or runs past the payload */
    uint8_t p[16];
    size_t n = put32(p, 1);
    p[n++] = 3;
    memcpy(p + n, "a\0b", 3);
    assert_int_equal(request(BPF_CTL_RINGBUF, 40, p, n + 3).status, -EINVAL);
    p[4] = 9;
    assert_int_equal(request(BPF_CTL_RINGBUF, 41, p, n + 3).status, -EINVAL);
}

/* ---- loads ---- */
static void
test_load_delivers_the_object_once(void **state)
{
    fill_sample();
    uint8_t seq = send_object(0, sample, sizeof sample, 252);
    struct answer a = request(BPF_CTL_LOAD_END, seq, NULL, 0);
    assert_int_equal(a.status, 0);
    assert_int_equal(le32(a.data), 7);
    assert_int_equal(fake.loads, 1);
    assert_int_equal(fake.loaded_len, sizeof sample);
    assert_memory_equal(fake.loaded, sample, sizeof sample);
    assert_string_equal(fake.hook, "irq:5");
    assert_string_equal(fake.section, "pica/x");
    assert_string_equal(fake.name, "(section)");
    /* the answer again for a retransmitted LOAD_END; no second load */
    assert_int_equal(request(BPF_CTL_LOAD_END, seq, NULL, 0).status, 0);
    assert_int_equal(fake.loads, 1);
    /* the same LOAD_END as a new request: nothing is loading any more */
    assert_int_equal(request(BPF_CTL_LOAD_END, seq + 1, NULL, 0).status, -EINVAL);
    assert_int_equal(fake.loads, 1);
}

static void
test_repeated_chunk_is_acknowledged_without_effect(void **state)
{
    fill_sample();
    uint8_t p[BPF_CTL_MAX_PAYLOAD];
    uint8_t seq = send_object(0, sample, 600, 200);
    put32(p, 200);
    memcpy(p + 4, sample + 200, 200);
    struct answer a = request(BPF_CTL_LOAD_DATA, seq++, p, 204); /* not from the cache */
    assert_int_equal(a.status, 0);
    assert_int_equal(le32(a.data), 600);
    p[10] ^= 1; /* the same offset, other bytes */
    assert_int_equal(request(BPF_CTL_LOAD_DATA, seq++, p, 204).status, -EINVAL);
    put32(p, 500); /* overlapping the end of what arrived and past it */
    assert_int_equal(request(BPF_CTL_LOAD_DATA, seq++, p, 200).status, -EINVAL);
    assert_int_equal(request(BPF_CTL_LOAD_END, seq++, NULL, 0).status, 0);
    assert_memory_equal(fake.loaded, sample, 600);
}

static void
test_chunks_out_of_order_are_refused(void **state)
{
    fill_sample();
    uint8_t p[BPF_CTL_MAX_PAYLOAD];
    size_t n = load_begin_payload(p, 600, bpf_ctl_crc32(0, sample, 600), "switch");
    request(BPF_CTL_LOAD_BEGIN, 0, p, n);
    put32(p, 100);
    memcpy(p + 4, sample + 100, 100);
    struct answer a = request(BPF_CTL_LOAD_DATA, 1, p, 104);
    assert_int_equal(a.status, -EINVAL);
    assert_string_equal(a.text, "chunk at offset 100 out of order; expected 0");
    put32(p, 550); /* past the end */
    assert_int_equal(request(BPF_CTL_LOAD_DATA, 2, p, 104).status, -EINVAL);
    assert_int_equal(request(BPF_CTL_LOAD_END, 3, NULL, 0).status, -EINVAL); /* incomplete */
    assert_int_equal(fake.loads, 0);
}

static void
test_load_end_checks_the_object_crc(void **state)
{
    fill_sample();
    uint8_t p[BPF_CTL_MAX_PAYLOAD];
    size_t n = load_begin_payload(p, 100, bpf_ctl_crc32(0, sample, 100) ^ 1, "switch");
    request(BPF_CTL_LOAD_BEGIN, 0, p, n);
    put32(p, 0);
    memcpy(p + 4, sample, 100);
    request(BPF_CTL_LOAD_DATA, 1, p, 104);
    struct answer a = request(BPF_CTL_LOAD_END, 2, NULL, 0);
    assert_int_equal(a.status, -EBADMSG);
    assert_non_null(strstr(a.text, "CRC"));
    assert_int_equal(fake.loads, 0);
}

static void
test_load_passes_the_loaders_message(void **state)
{
    fill_sample();
    fake.refusal = "insn 4 (opcode 0x85 call): helper trace_printk is not allowed at hook irq";
    uint8_t seq = send_object(0, sample, 300, 252);
    struct answer a = request(BPF_CTL_LOAD_END, seq, NULL, 0);
    assert_int_equal(a.status, -EINVAL);
    assert_string_equal(a.text, fake.refusal);
}

static void
test_load_refuses_what_cannot_fit_or_lacks_a_hook(void **state)
{
    uint8_t p[BPF_CTL_MAX_PAYLOAD];
    struct answer a = request(BPF_CTL_LOAD_BEGIN, 0, p, load_begin_payload(p, 4097, 0, "switch"));
    assert_int_equal(a.status, -E2BIG);
    assert_string_equal(a.text, "object of 4097 bytes is larger than the board's limit of 4096");
    a = request(BPF_CTL_LOAD_BEGIN, 1, p, load_begin_payload(p, 10, 0, ""));
    assert_int_equal(a.status, -EINVAL);
    a = request(BPF_CTL_LOAD_BEGIN, 2, p, load_begin_payload(p, 0, 0, "switch"));
    assert_int_equal(a.status, -EINVAL);
    put32(p, 0);
    p[4] = 1;
    assert_int_equal(request(BPF_CTL_LOAD_DATA, 3, p, 5).status, -EINVAL); /* no load */
}

static void
test_load_abort_forgets_the_object(void **state)
{
    fill_sample();
    uint8_t seq = send_object(0, sample, 300, 252);
    assert_int_equal(request(BPF_CTL_LOAD_ABORT, seq++, NULL, 0).status, 0);
    assert_int_equal(request(BPF_CTL_LOAD_END, seq++, NULL, 0).status, -EINVAL);
    assert_int_equal(fake.loads, 0);
}

/* ---- queries ---- */
static void
test_list_pages_through_every_program(void **state)
{
    unsigned index = 0, pages = 0;
    for (bool more = true; more; pages++) {
        uint8_t p[2] = { (uint8_t)index, (uint8_t)(index >> 8) };
        struct answer a = request(BPF_CTL_LIST, (uint8_t)pages, p, 2);
        assert_int_equal(a.status, 0);
        unsigned count = a.data[0];
        more = a.data[1];
        const uint8_t *e = a.data + 2;
        for (unsigned i = 0; i < count; i++, index++) {
            assert_int_equal(le32(e), index + 1);
            assert_int_equal(le32(e + 4), index);
            assert_int_equal(le32(e + 8), 10 * index);
            assert_int_equal(le32(e + 12), 1000 + index);
            assert_int_equal(e[16], index & 1);
            assert_int_equal(e[17], 15);
            e += 18 + e[17];
            assert_int_equal(e[0], 13);
            e += 1 + e[0];
        }
        assert_int_equal(e - a.data, a.len);
    }
    assert_int_equal(index, NPROGS);
    assert_int_equal(pages, 2); /* 5 entries of 47 bytes fill a page */
}

static void
test_stats_answers_every_field(void **state)
{
    uint8_t p[4];
    put32(p, 1);
    struct answer a = request(BPF_CTL_STATS, 0, p, 4);
    assert_int_equal(a.status, 0);
    assert_int_equal(a.len, 40);
    assert_int_equal(le32(a.data), 1);
    assert_int_equal(le32(a.data + 8), 2);
    assert_int_equal(le32(a.data + 16), 3);
    assert_int_equal(le32(a.data + 20), 4);
    assert_int_equal((int32_t)le32(a.data + 24), -5);
    assert_int_equal(le32(a.data + 28), 6);
    assert_int_equal(le32(a.data + 32), 7);
    put32(p, 99);
    a = request(BPF_CTL_STATS, 1, p, 4);
    assert_int_equal(a.status, -ENOENT);
    assert_string_equal(a.text, "program 99: not found");
}

static void
test_maps_lists_each_map(void **state)
{
    uint8_t p[5] = { 1, 0, 0, 0, 0 };
    struct answer a = request(BPF_CTL_MAPS, 0, p, 5);
    assert_int_equal(a.status, 0);
    assert_int_equal(a.data[0], 3);
    assert_int_equal(a.data[1], 0);
    const uint8_t *e = a.data + 2;
    for (unsigned i = 0; i < 3; i++) {
        assert_int_equal(e[0], i);
        assert_int_equal(le32(e + 1), fake_maps[i].def.type);
        assert_int_equal(le32(e + 5), fake_maps[i].def.key_size);
        assert_int_equal(le32(e + 9), fake_maps[i].def.value_size);
        assert_int_equal(le32(e + 13), fake_maps[i].def.max_entries);
        assert_int_equal(e[21], strlen(fake_maps[i].name));
        e += 22 + e[21];
    }
    p[0] = 2;
    a = request(BPF_CTL_MAPS, 1, p, 5);
    assert_int_equal(a.status, -ESRCH);
    assert_string_equal(a.text, "program 2: no such program");
}

static size_t
map_ref(uint8_t *p, const char *map)
{
    size_t n = put32(p, 1);
    return n + put_str(p + n, map);
}

static void
test_map_next_dumps_every_entry_across_pages(void **state)
{
    uint8_t p[64];
    uint32_t expect = 0;
    unsigned pages = 0;
    size_t n = map_ref(p, "counts");
    for (bool more = true; more; pages++) {
        struct answer a = request(BPF_CTL_MAP_NEXT, (uint8_t)pages, p, n);
        assert_int_equal(a.status, 0);
        more = a.data[1];
        for (unsigned i = 0; i < a.data[0]; i++, expect++) {
            const uint8_t *e = a.data + 2 + 12 * i;
            assert_int_equal(le32(e), expect);
            assert_int_equal(le32(e + 4), expect * 100);
        }
        n = map_ref(p, "counts");
        n += put32(p + n, expect - 1);
    }
    assert_int_equal(expect, NENTRIES);
    assert_int_equal(pages, 3); /* 20 a page; a full page cannot know it was the last */
}

static void
test_map_requests_check_the_map(void **state)
{
    uint8_t p[64];
    struct answer a = request(BPF_CTL_MAP_NEXT, 0, p, map_ref(p, "nope"));
    assert_int_equal(a.status, -ENOENT);
    assert_string_equal(a.text, "map nope of program 1: not found");
    a = request(BPF_CTL_MAP_NEXT, 1, p, map_ref(p, "events"));
    assert_int_equal(a.status, -EINVAL);
    a = request(BPF_CTL_MAP_NEXT, 2, p, map_ref(p, "huge"));
    assert_int_equal(a.status, -EMSGSIZE);
    size_t n = map_ref(p, "counts");
    p[n] = 1; /* a key of 1 byte for a 4-byte key */
    a = request(BPF_CTL_MAP_NEXT, 3, p, n + 1);
    assert_int_equal(a.status, -EINVAL);
    n = map_ref(p, "counts");
    p[n] = 0;
    a = request(BPF_CTL_RINGBUF, 4, p, n + 1);
    assert_int_equal(a.status, -EINVAL);
    assert_string_equal(a.text, "map counts of program 1: not a ring buffer");
}

static void
test_map_update_takes_key_and_value(void **state)
{
    uint8_t p[64];
    size_t n = map_ref(p, "#0");
    n += put32(p + n, BPF_ANY);
    const uint8_t kv[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
    memcpy(p + n, kv, 12);
    assert_int_equal(request(BPF_CTL_MAP_UPDATE, 0, p, n + 11).status, -EINVAL);
    assert_int_equal(fake.updates, 0);
    assert_int_equal(request(BPF_CTL_MAP_UPDATE, 1, p, n + 12).status, 0);
    assert_memory_equal(fake.update, kv, 12);
    put32(p + n - 4, BPF_NOEXIST);
    struct answer a = request(BPF_CTL_MAP_UPDATE, 2, p, n + 12);
    assert_int_equal(a.status, -EEXIST);
    assert_string_equal(a.text, "map #0 of program 1: already exists");
}

static void
test_ringbuf_takes_what_fits(void **state)
{
    uint8_t p[64];
    size_t n = map_ref(p, "events");
    p[n++] = 0; /* no maximum */
    fake.nrecords = NRECORDS;
    struct answer a = request(BPF_CTL_RINGBUF, 0, p, n);
    assert_int_equal(a.status, 0);
    assert_int_equal(a.data[0], 2); /* 5 and 4: the third does not fit after them */
    assert_int_equal(a.data[1], 1);
    assert_int_equal(a.data[2] | a.data[3] << 8, 100);
    assert_int_equal(a.data[4], 5);
    a = request(BPF_CTL_RINGBUF, 1, p, n);
    assert_int_equal(a.data[0], 1); /* 3; then 2 is too long for any frame */
    a = request(BPF_CTL_RINGBUF, 2, p, n);
    assert_int_equal(a.status, -EMSGSIZE);
    fake.nrecords = 1;
    a = request(BPF_CTL_RINGBUF, 3, p, n);
    assert_int_equal(a.data[0], 1);
    assert_int_equal(a.data[1], 0);
    a = request(BPF_CTL_RINGBUF, 4, p, n);
    assert_int_equal(a.status, 0);
    assert_int_equal(a.data[0], 0);
    fake.nrecords = 4; /* at most one: the others stay */
    p[n - 1] = 1;
    a = request(BPF_CTL_RINGBUF, 5, p, n);
    assert_int_equal(a.data[0], 1);
    assert_int_equal(a.data[1], 1);
    assert_int_equal(fake.nrecords, 3);
}

static void
test_log_reads_from_an_offset(void **state)
{
    uint8_t p[4];
    put32(p, 5);
    struct answer a = request(BPF_CTL_LOG, 0, p, 4);
    assert_int_equal(a.status, 0);
    assert_int_equal(le32(a.data), 11);
    assert_int_equal(a.len, 4 + 6);
    assert_memory_equal(a.data + 4, "ready\n", 6);
}

static void
test_missing_ops_are_not_supported(void **state)
{
    bpf_ctl_init(&ctl, &write_only_ops, NULL, "b", obj, sizeof obj);
    uint8_t p[64];
    static const uint8_t types[] = { BPF_CTL_LIST, BPF_CTL_DETACH, BPF_CTL_STATS, BPF_CTL_MAPS,
                                     BPF_CTL_MAP_NEXT, BPF_CTL_MAP_UPDATE, BPF_CTL_RINGBUF,
                                     BPF_CTL_LOG };
    size_t n = map_ref(p, "m");
    for (unsigned i = 0; i < sizeof types; i++) {
        struct answer a = request(types[i], (uint8_t)i, p, n);
        assert_int_equal(a.status, -ENOTSUP);
        assert_non_null(strstr(a.text, "not supported"));
    }
    struct answer a = request(BPF_CTL_HELLO, 20, NULL, 0);
    assert_int_equal(a.data[1], 0); /* no load op: cannot load */
}

#define T(name) cmocka_unit_test_setup(name, setup)

int
main(void)
{
    const struct CMUnitTest tests[] = {
        T(test_hello_reports_the_board),
        T(test_hello_without_object_buffer_cannot_load),
        T(test_repeated_request_is_answered_from_cache_not_executed),
        T(test_same_seq_with_other_payload_is_executed),
        T(test_hello_empties_the_cache),
        T(test_bad_crc_gets_a_nak_and_keeps_the_cache),
        T(test_frame_too_short_for_a_seq_gets_nothing),
        T(test_overlong_frame_gets_a_nak_and_is_not_executed),
        T(test_unknown_request_is_not_supported),
        T(test_responses_are_never_answered),
        T(test_malformed_payloads_are_refused),
        T(test_load_delivers_the_object_once),
        T(test_repeated_chunk_is_acknowledged_without_effect),
        T(test_chunks_out_of_order_are_refused),
        T(test_load_end_checks_the_object_crc),
        T(test_load_passes_the_loaders_message),
        T(test_load_refuses_what_cannot_fit_or_lacks_a_hook),
        T(test_load_abort_forgets_the_object),
        T(test_list_pages_through_every_program),
        T(test_stats_answers_every_field),
        T(test_maps_lists_each_map),
        T(test_map_next_dumps_every_entry_across_pages),
        T(test_map_requests_check_the_map),
        T(test_map_update_takes_key_and_value),
        T(test_ringbuf_takes_what_fits),
        T(test_log_reads_from_an_offset),
        T(test_missing_ops_are_not_supported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
