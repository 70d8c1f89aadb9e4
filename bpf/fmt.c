/* SPDX-License-Identifier: MIT */
/* Bounded text writer for verifier messages, disassembly and trace output, so the
 * library needs no printf. Output is always NUL-terminated; f->len counts the full
 * text even when it was cut, like snprintf's return value.
 */
#include "bpf_impl.h"

void
bpf_fmt_init(struct bpf_fmt *f, char *buf, size_t size)
{
    f->buf = buf;
    f->size = size;
    f->len = 0;
    if (size > 0) {
        buf[0] = '\0';
    }
}

void
bpf_fmt_chr(struct bpf_fmt *f, char c)
{
    if (f->size > 0 && f->len + 1 < f->size) {
        f->buf[f->len] = c;
        f->buf[f->len + 1] = '\0';
    }
    f->len++;
}

void
bpf_fmt_str(struct bpf_fmt *f, const char *s)
{
    while (*s != '\0') {
        bpf_fmt_chr(f, *s++);
    }
}

void
bpf_fmt_udec(struct bpf_fmt *f, uint64_t v)
{
    char tmp[20];
    unsigned n = 0;
    do {
        tmp[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) {
        bpf_fmt_chr(f, tmp[--n]);
    }
}

void
bpf_fmt_dec(struct bpf_fmt *f, int64_t v)
{
    if (v < 0) {
        bpf_fmt_chr(f, '-');
        /* negate in unsigned arithmetic: INT64_MIN has no positive int64 */
        bpf_fmt_udec(f, 0 - (uint64_t)v);
    } else {
        bpf_fmt_udec(f, (uint64_t)v);
    }
}

void
bpf_fmt_hex(struct bpf_fmt *f, uint64_t v, unsigned min_digits)
{
    static const char digits[] = "0123456789abcdef";
    char tmp[16];
    unsigned n = 0;
    do {
        tmp[n++] = digits[v & 0xf];
        v >>= 4;
    } while (v != 0);
    while (n < min_digits && n < sizeof(tmp)) {
        tmp[n++] = '0';
    }
    while (n > 0) {
        bpf_fmt_chr(f, tmp[--n]);
    }
}
