/* SPDX-License-Identifier: MIT */
/* picactl frames: CRC-32, the escaping encoder and the byte-at-a-time
 * receiver. A frame is 0xFE, the escaped body, 0xFF; the body is type, seq,
 * len (u16 LE), payload, CRC-32 (u32 LE) of everything before it. The board
 * session (bpf/ctl.c) and the host simulator use both halves; the host tool
 * (tools/picactl) has its own in Python. Layout: docs/picactl.md.
 */
#include <pica/bpf_ctl.h>

#include <errno.h>

#include "crc32.h"

/* The CRC picafs uses too (lib/crc32.c). */
uint32_t
bpf_ctl_crc32(uint32_t crc, const void *buf, size_t n)
{
    return pica_crc32(crc, buf, n);
}

/* The three framing bytes, and the line ends: a console may turn "\n"
 * into "\r\n" on the way out (Pica's does), which would break a frame
 * that carried one. */
static bool
needs_escape(uint8_t b)
{
    return b >= BPF_CTL_ESC || b == '\n' || b == '\r';
}

/* Escape @n bytes of @src to @out + @o. Each source byte is read before the
 * bytes it becomes are written, which is what lets a payload lie in the tail
 * of @out (the writer stays behind the reader: see bpf_ctl_frame_encode). */
static size_t
escape(uint8_t *out, size_t o, const uint8_t *src, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint8_t b = src[i];
        if (needs_escape(b)) {
            out[o++] = BPF_CTL_ESC;
            b ^= BPF_CTL_ESC_XOR;
        }
        out[o++] = b;
    }
    return o;
}

static void
put_le32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)v;
    p[1] = (uint8_t)(v >> 8);
    p[2] = (uint8_t)(v >> 16);
    p[3] = (uint8_t)(v >> 24);
}

/* In place: payload byte i becomes at most out[1 + 2 * 4 + 2 * i + 1] =
 * out[2i + 10] (start byte, escaped header, escaped bytes before it) and is
 * read from P + i, P >= BPF_CTL_MAX_FRAME - BPF_CTL_MAX_PAYLOAD = 274; since
 * i < 256, 2i + 10 <= P + i: the writer never passes the reader. */
size_t
bpf_ctl_frame_encode(uint8_t *out, size_t cap, uint8_t type, uint8_t seq, const void *payload,
                     size_t len)
{
    if (len > BPF_CTL_MAX_PAYLOAD || cap < 2 + 2 * (len + 8)) {
        return 0;
    }
    uint8_t head[4] = { type, seq, (uint8_t)len, (uint8_t)(len >> 8) };
    uint8_t tail[4];
    put_le32(tail, bpf_ctl_crc32(bpf_ctl_crc32(0, head, 4), payload, len));
    size_t o = 0;
    out[o++] = BPF_CTL_START;
    o = escape(out, o, head, sizeof head);
    o = escape(out, o, payload, len);
    o = escape(out, o, tail, sizeof tail);
    out[o++] = BPF_CTL_END;
    return o;
}

int
bpf_ctl_frame_parse(const uint8_t *body, size_t n, struct bpf_ctl_frame *f)
{
    f->type = n >= 1 ? body[0] : 0;
    f->seq = n >= 2 ? body[1] : 0;
    if (n < 8) {
        return -EBADMSG;
    }
    f->len = (uint16_t)(body[2] | body[3] << 8);
    f->payload = body + 4;
    if (f->len > BPF_CTL_MAX_PAYLOAD || n != 8u + f->len) {
        return -EBADMSG;
    }
    const uint8_t *c = body + 4 + f->len;
    f->crc = (uint32_t)c[0] | (uint32_t)c[1] << 8 | (uint32_t)c[2] << 16 | (uint32_t)c[3] << 24;
    return bpf_ctl_crc32(0, body, 4u + f->len) == f->crc ? 0 : -EBADMSG;
}

/* ---- receiver ----
 * Ownership: while `ready` is false the receiver owns body and len; once it
 * sets `ready` (release) the thread owns them until bpf_ctl_rx_release()
 * clears it. Frame bytes that arrive meanwhile pass through RX_SKIP, which
 * touches neither. */
enum { RX_TEXT, RX_BODY, RX_ESCAPED, RX_SKIP, RX_LONG };

void
bpf_ctl_rx_init(struct bpf_ctl_rx *rx)
{
    rx->len = 0;
    rx->state = RX_TEXT;
    rx->truncated = false;
    rx->dropped = 0;
    rx->overlong = 0;
    atomic_init(&rx->ready, false);
}

static bool
rx_waiting(struct bpf_ctl_rx *rx)
{
    return atomic_load_explicit(&rx->ready, memory_order_acquire);
}

static void
rx_end(struct bpf_ctl_rx *rx)
{
    rx->state = RX_TEXT;
    if (rx->len > 0) { /* FE FF is no frame */
        atomic_store_explicit(&rx->ready, true, memory_order_release);
    }
}

static void
rx_store(struct bpf_ctl_rx *rx, uint8_t b)
{
    if (rx->len == sizeof rx->body) {
        /* The rest is skipped up to its 0xFF rather than typed into the
         * shell: object bytes can hold anything, "\r" included. If the 0xFF
         * never comes, the caller's timeout (bpf_ctl_rx_reset) ends this.
         * If it does, the head goes to the session, which NAKs it: the
         * host resends at once instead of waiting for its timeout. */
        rx->overlong++;
        rx->truncated = true;
        rx->state = RX_LONG;
        return;
    }
    rx->body[rx->len++] = b;
    rx->state = RX_BODY;
}

bool
bpf_ctl_rx_byte(struct bpf_ctl_rx *rx, uint8_t b)
{
    if (b == BPF_CTL_START) {
        if (rx_waiting(rx)) {
            rx->dropped++;
            rx->state = RX_SKIP;
        } else {
            rx->len = 0;
            rx->truncated = false;
            rx->state = RX_BODY;
        }
        return true;
    }
    switch (rx->state) {
    case RX_SKIP:
        if (b == BPF_CTL_END) {
            rx->state = RX_TEXT;
        }
        return true;
    case RX_LONG:
        if (b == BPF_CTL_END) {
            rx_end(rx);
        }
        return true;
    case RX_BODY:
        if (b == BPF_CTL_END) {
            rx_end(rx);
        } else if (b == BPF_CTL_ESC) {
            rx->state = RX_ESCAPED;
        } else {
            rx_store(rx, b);
        }
        return true;
    case RX_ESCAPED:
        /* A bad escape decodes to a wrong byte, which the CRC refuses. */
        if (b == BPF_CTL_END) {
            rx_end(rx);
        } else {
            rx_store(rx, b ^ BPF_CTL_ESC_XOR);
        }
        return true;
    default:
        return false;
    }
}

bool
bpf_ctl_rx_ready(struct bpf_ctl_rx *rx)
{
    return rx_waiting(rx);
}

bool
bpf_ctl_rx_busy(const struct bpf_ctl_rx *rx)
{
    return rx->state != RX_TEXT;
}

void
bpf_ctl_rx_reset(struct bpf_ctl_rx *rx)
{
    if (rx->state == RX_BODY || rx->state == RX_ESCAPED || rx->state == RX_LONG) {
        rx->len = 0;
        rx->truncated = false;
    }
    rx->state = RX_TEXT;
}

const uint8_t *
bpf_ctl_rx_frame(struct bpf_ctl_rx *rx, size_t *len)
{
    if (!rx_waiting(rx)) {
        return NULL;
    }
    *len = rx->len;
    return rx->body;
}

void
bpf_ctl_rx_release(struct bpf_ctl_rx *rx)
{
    rx->len = 0;
    rx->truncated = false;
    atomic_store_explicit(&rx->ready, false, memory_order_release);
}
