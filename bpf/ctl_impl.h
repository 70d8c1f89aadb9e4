/* SPDX-License-Identifier: MIT */
/* Private to bpf/ctl*.c: reading a request's payload, writing an answer's,
 * and the request handlers the session (ctl.c) dispatches to: loads in
 * ctl_load.c, everything that reads or changes programs in ctl_query.c.
 * Integers are little-endian; a string is a u8 length and its bytes.
 */
#pragma once

#include <pica/bpf_ctl.h>

#include "bpf_impl.h"

#include <errno.h>
#include <string.h>

/* A request payload read front to back; a read past the end marks it bad
 * and yields zeros, so a handler checks once, at the end (ctl_in_done). */
struct ctl_in {
    const uint8_t *p;
    size_t len;
    size_t pos;
    bool bad;
};

/* An answer's payload: the status goes in its first 4 bytes when the handler
 * returns; data follows, or on failure a message (ctl_fail). */
struct ctl_out {
    uint8_t *p;   /* BPF_CTL_MAX_PAYLOAD bytes */
    size_t len;
    uint8_t type; /* of the request, for messages */
    struct bpf_fmt msg;
};

typedef int ctl_handler(struct bpf_ctl *c, struct ctl_in *in, struct ctl_out *out);

ctl_handler ctl_load_begin, ctl_load_data, ctl_load_end, ctl_load_abort;
void ctl_load_release(struct bpf_ctl *c);
ctl_handler ctl_list, ctl_detach, ctl_stats, ctl_maps, ctl_map_next, ctl_map_update,
    ctl_ringbuf, ctl_log;

/* A few words for @code (the library has no strerror). */
const char *ctl_reason(int code);

/* Replace the answer's data by a message and return its writer. */
struct bpf_fmt *ctl_fail(struct ctl_out *out);

/* Fail with "@what: <reason of @code>"; returns @code. */
int ctl_error(struct ctl_out *out, int code, const char *what);

/* Fail with "@what @id: <reason of @code>" ("program 7: no such program"). */
int ctl_error_id(struct ctl_out *out, int code, const char *what, uint32_t id);

/* The malformed-payload answer: -EINVAL "malformed <request> payload". */
int ctl_malformed(struct ctl_out *out);

/* ---- reading ---- */
static inline const uint8_t *
ctl_in_take(struct ctl_in *in, size_t n)
{
    if (in->bad || n > in->len - in->pos) {
        in->bad = true;
        return NULL;
    }
    const uint8_t *p = in->p + in->pos;
    in->pos += n;
    return p;
}

static inline uint8_t
ctl_in_u8(struct ctl_in *in)
{
    const uint8_t *p = ctl_in_take(in, 1);
    return p != NULL ? p[0] : 0;
}

static inline uint16_t
ctl_in_u16(struct ctl_in *in)
{
    const uint8_t *p = ctl_in_take(in, 2);
    return p != NULL ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

static inline uint32_t
ctl_in_u32(struct ctl_in *in)
{
    const uint8_t *p = ctl_in_take(in, 4);
    return p != NULL ? (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                           (uint32_t)p[3] << 24
                     : 0;
}

/* A string into @dst (@cap bytes with the NUL). One too long for @dst or
 * holding a NUL marks the payload bad. */
static inline void
ctl_in_str(struct ctl_in *in, char *dst, size_t cap)
{
    size_t n = ctl_in_u8(in);
    const uint8_t *p = ctl_in_take(in, n);
    if (p == NULL || n >= cap || memchr(p, 0, n) != NULL) {
        in->bad = true;
        dst[0] = '\0';
        return;
    }
    memcpy(dst, p, n);
    dst[n] = '\0';
}

/* Whatever is left. */
static inline const uint8_t *
ctl_in_rest(struct ctl_in *in, size_t *n)
{
    *n = in->bad ? 0 : in->len - in->pos;
    return ctl_in_take(in, *n);
}

static inline bool
ctl_in_done(const struct ctl_in *in)
{
    return !in->bad && in->pos == in->len;
}

/* ---- writing: callers check ctl_out_room() before variable-size data ---- */
static inline bool
ctl_out_room(const struct ctl_out *out, size_t n)
{
    return n <= BPF_CTL_MAX_PAYLOAD - out->len;
}

static inline void
ctl_out_le(struct ctl_out *out, uint64_t v, unsigned bytes)
{
    for (unsigned i = 0; i < bytes; i++) {
        out->p[out->len++] = (uint8_t)(v >> (8 * i));
    }
}

static inline void
ctl_out_bytes(struct ctl_out *out, const void *src, size_t n)
{
    memcpy(out->p + out->len, src, n);
    out->len += n;
}

static inline void
ctl_out_str(struct ctl_out *out, const char *s)
{
    size_t n = strlen(s);
    ctl_out_le(out, n, 1);
    ctl_out_bytes(out, s, n);
}
