/* SPDX-License-Identifier: MIT */
/* Region arithmetic (lib/region_*.c) against independent models: a PMSAv7
 * MPU (enabled regions, subregion disables, highest number wins) and a PMP
 * matcher (lowest-numbered matching entry decides, TOR/NA4/NAPOT per the
 * privileged spec), over edge cases and seeded random ones. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>
#include <pica/errno.h>

#include "region.h"

#define TOP ((uint64_t)1 << 32)

static uint32_t rng_state = 0x1234567u;

static uint32_t
rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 17;
    rng_state ^= rng_state << 5;
    return rng_state;
}

/* ---- PMSAv7 model ---- */

/* The number of the region that decides @addr, or -1 (none). */
static int
mpu_match(const struct region_pmsav7 *r, int n, uint64_t addr)
{
    for (int i = n - 1; i >= 0; i--) {
        if (!(r[i].rasr & 1)) {
            continue;
        }
        uint64_t size = (uint64_t)2 << ((r[i].rasr >> 1) & 0x1f);
        uint64_t base = r[i].rbar & ~(uint32_t)(size - 1);
        if (addr < base || addr >= base + size) {
            continue;
        }
        if (size >= 256) {
            unsigned sub = (unsigned)((addr - base) / (size / 8));
            if (r[i].rasr & (1u << (8 + sub))) {
                continue; /* disabled: lower regions decide */
            }
        }
        return i;
    }
    return -1;
}

static void
mpu_check_point(const struct region_pmsav7 *r, int n, uint64_t a, uint32_t base, uint32_t len)
{
    if (a >= TOP) {
        return;
    }
    int m = mpu_match(r, n, a);
    bool inside = a >= base && a < (uint64_t)base + len;
    if (inside ? m < 1 : m != 0) {
        fail_msg("range %#x+%#x: address %#llx decided by region %d", (unsigned)base,
                 (unsigned)len, (unsigned long long)a, m);
    }
}

/* Cover [base, base+len) in regions 1.. above a 4 GB background region 0,
 * then check: every region valid, the same attributes, and the model grants
 * exactly inside the range. Returns the region count. */
static int
check_cover(uint32_t base, uint32_t len, bool scan)
{
    struct region_pmsav7 r[33];
    assert_int_equal(region_pmsav7_encode(0, 32, 0, REGION_PRIV, &r[0]), 0);
    int n = region_pmsav7_cover(base, len, REGION_R | REGION_W, &r[1], 32);
    assert_true(n >= 1);
    uint64_t lo = base, hi = (uint64_t)base + len;
    for (int i = 1; i <= n; i++) {
        unsigned size_log2 = ((r[i].rasr >> 1) & 0x1f) + 1;
        uint64_t size = (uint64_t)1 << size_log2;
        assert_true(size_log2 >= 5);
        assert_int_equal(r[i].rbar & (size - 1), 0);
        assert_int_equal(r[i].rasr & 0xffff00c0u & ~0xff00u, 0x13030000u);
        if (size < 256) {
            assert_int_equal((r[i].rasr >> 8) & 0xff, 0);
        }
        lo = r[i].rbar < lo ? r[i].rbar : lo;
        hi = r[i].rbar + size > hi ? r[i].rbar + size : hi;
        /* Every subregion boundary bounds a stretch where the model is
         * constant: checking both sides of each is exhaustive. */
        for (unsigned s = 0; s <= 8; s++) {
            uint64_t p = r[i].rbar + s * (size / 8);
            mpu_check_point(r, n + 1, p, base, len);
            mpu_check_point(r, n + 1, p - 32, base, len);
        }
    }
    mpu_check_point(r, n + 1, base, base, len);
    mpu_check_point(r, n + 1, (uint64_t)base - 32, base, len);
    mpu_check_point(r, n + 1, (uint64_t)base + len, base, len);
    mpu_check_point(r, n + 1, (uint64_t)base + len - 32, base, len);
    if (scan) {
        lo = lo >= 1024 ? lo - 1024 : 0;
        for (uint64_t a = lo; a < hi + 1024 && a < TOP; a += 32) {
            mpu_check_point(r, n + 1, a, base, len);
        }
    }
    return n;
}

/* Fewest regions by dynamic programming over 32-byte positions, straight
 * from the region rules (independent of the greedy choice). */
static int
cover_min(uint32_t base, uint32_t len)
{
    int g = (int)(len / 32), best[160];
    best[g] = 0;
    for (int i = g - 1; i >= 0; i--) {
        best[i] = 1000;
        uint64_t s = base + (uint64_t)i * 32;
        for (int j = i + 1; j <= g; j++) {
            uint64_t e = base + (uint64_t)j * 32;
            bool ok = false;
            for (unsigned k = 5; k <= 32 && !ok; k++) {
                uint64_t size = (uint64_t)1 << k, sub = k < 8 ? size : size / 8;
                uint64_t rb = s & ~(size - 1);
                ok = s % sub == 0 && e % sub == 0 && e <= rb + size;
            }
            if (ok && best[j] + 1 < best[i]) {
                best[i] = best[j] + 1;
            }
        }
    }
    return best[0];
}

static void
test_pmsav7_encode_matches_the_manual_layout(void **state)
{
    (void)state;
    struct region_pmsav7 r;
    /* 1 KB RW for all, XN, subregions 0 and 7 disabled, normal memory. */
    assert_int_equal(region_pmsav7_encode(0x20000400, 10, 0x81, REGION_R | REGION_W, &r), 0);
    assert_int_equal(r.rbar, 0x20000400);
    assert_int_equal(r.rasr, (1u << 28) | (3u << 24) | (1u << 17) | (1u << 16) |
                                 (0x81u << 8) | (9u << 1) | 1u);
    assert_int_equal(region_pmsav7_encode(0, 32, 0, REGION_R | REGION_X, &r), 0);
    assert_int_equal(r.rasr, (6u << 24) | 0x30000u | (31u << 1) | 1u); /* RO, executable */
    assert_int_equal(region_pmsav7_encode(0x40000000, 29, 0, REGION_PRIV | REGION_DEVICE, &r), 0);
    assert_int_equal(r.rasr, (1u << 28) | (1u << 24) | (1u << 18) | (1u << 16) | (28u << 1) | 1u);
    assert_int_equal(region_pmsav7_encode(0x100, 5, 0, 0, &r), 0);
    assert_int_equal(r.rasr, (1u << 28) | (0u << 24) | 0x30000u | (4u << 1) | 1u);
    /* Impossible requests. */
    assert_int_equal(region_pmsav7_encode(0x20, 6, 0, REGION_R, &r), -EINVAL);
    assert_int_equal(region_pmsav7_encode(0, 7, 0x01, REGION_R, &r), -EINVAL);
    assert_int_equal(region_pmsav7_encode(0, 4, 0, REGION_R, &r), -EINVAL);
    assert_int_equal(region_pmsav7_encode(0, 33, 0, REGION_R, &r), -EINVAL);
    assert_int_equal(region_pmsav7_encode(0, 8, 0, REGION_W, &r), -EINVAL);
    assert_int_equal(region_pmsav7_encode(0, 8, 0, REGION_X, &r), -EINVAL);
    assert_int_equal(region_pmsav7_encode(0, 8, 0, REGION_PRIV | REGION_R, &r), -EINVAL);
}

static void
test_pmsav7_cover_is_exact_on_edge_cases(void **state)
{
    (void)state;
    static const uint32_t cases[][2] = {
        { 0, 32 },           { 0, 0xffffffe0 },   { 32, 0xffffffc0 }, { 0xffffffe0, 32 },
        { 0xfff00000, 0x100000 }, { 0x80000000, 0x80000000 - 32 }, { 32, 1024 - 32 },
        { 0x20000000, 5 * 1024 }, { 0x20000020, 0x100000 }, { 0x7fffffe0, 64 },
        { 0x20001000, 0x1000 },   { 0x100, 0x700 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        check_cover(cases[i][0], cases[i][1], cases[i][1] <= 0x100000);
    }
    assert_int_equal(check_cover(0x20000000, 4096, true), 1);
    assert_int_equal(check_cover(0x20000000, 5 * 1024, true), 1); /* 5 of 8 1 KB subregions */
    assert_int_equal(check_cover(32, 1024 - 32, true), 2);
}

static void
test_pmsav7_cover_is_exact_and_minimal_on_random_ranges(void **state)
{
    (void)state;
    for (int i = 0; i < 4000; i++) {
        uint32_t len = (rng() % 32768 + 1) * 32;
        len >>= rng() % 16; /* log-spread sizes, 32 B .. 1 MB */
        len = len < 32 ? 32 : len & ~31u;
        uint32_t base = rng() & ~31u;
        if (i % 3 == 0) {
            base &= ~((1u << (rng() % 21)) - 1); /* aligned to some power */
        }
        if (i % 7 == 0) {
            base = (uint32_t)(TOP - len - 32 * (rng() % 4)); /* near the top */
        }
        if (i % 11 == 0) {
            base = 32 * (rng() % 4); /* near 0 */
        }
        if ((uint64_t)base + len > TOP) {
            continue;
        }
        int n = check_cover(base, len, i % 50 == 0);
        if (len <= 4096) {
            assert_int_equal(n, cover_min(base, len));
        }
    }
}

static void
test_pmsav7_cover_rejects_impossible_requests(void **state)
{
    (void)state;
    struct region_pmsav7 r[4];
    memset(r, 0xaa, sizeof r);
    assert_int_equal(region_pmsav7_cover(0x20000000, 0, REGION_R, r, 4), -EINVAL);
    assert_int_equal(region_pmsav7_cover(0x20000010, 64, REGION_R, r, 4), -EINVAL);
    assert_int_equal(region_pmsav7_cover(0x20000000, 48, REGION_R, r, 4), -EINVAL);
    assert_int_equal(region_pmsav7_cover(0xffffffe0, 64, REGION_R, r, 4), -EINVAL);
    assert_int_equal(region_pmsav7_cover(0x20000000, 64, REGION_W, r, 4), -EINVAL);
    assert_int_equal(region_pmsav7_cover(32, 0x10000 - 64, REGION_R, r, 1), -ENOSPC);
    assert_int_equal(region_pmsav7_cover(32, 0x10000 - 64, REGION_R, r, 0), -ENOSPC);
    for (size_t i = 0; i < sizeof r; i++) {
        assert_int_equal(((unsigned char *)r)[i], 0xaa); /* nothing written */
    }
}

/* Least waste, then least alignment, over every region size and subregion
 * count. */
static void
layout_brute(uint32_t len, uint64_t *size, uint64_t *align)
{
    uint64_t bw = UINT64_MAX;
    for (unsigned k = 5; k <= 32; k++) {
        for (unsigned n = 1; n <= 8; n++) {
            uint64_t region = (uint64_t)1 << k;
            uint64_t sz = k < 8 ? (n == 8 ? region : 0) : n * (region / 8);
            if (sz >= len && (sz - len < bw || (sz - len == bw && region < *align))) {
                bw = sz - len;
                *size = sz;
                *align = region;
            }
        }
    }
}

static void
check_layout(uint32_t len)
{
    uint32_t size = 0, align = 0;
    uint64_t bsize = 0, balign = 0;
    int waste = region_pmsav7_layout(len, &size, &align);
    layout_brute(len, &bsize, &balign);
    assert_int_equal(waste, bsize - len);
    assert_int_equal(size, bsize);
    assert_int_equal(align, balign);
    /* One region covers the block placed at the alignment. */
    struct region_pmsav7 r[2];
    assert_int_equal(region_pmsav7_cover(align, size, REGION_R, r, 2), 1);
}

static void
test_pmsav7_layout_wastes_least(void **state)
{
    (void)state;
    static const uint32_t table[][4] = {
        { 1024, 1024, 1024, 0 },         { 3072, 3072, 4096, 0 },
        { 5120, 5120, 8192, 0 },         { 12288, 12288, 16384, 0 },
        { 20480, 20480, 32768, 0 },      { 102400, 114688, 131072, 12288 },
        { 5000, 5120, 8192, 120 },       { 1, 32, 32, 31 },
        { 96, 96, 256, 0 },              { 100, 128, 128, 28 },
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
        uint32_t size, align;
        assert_int_equal(region_pmsav7_layout(table[i][0], &size, &align), (int)table[i][3]);
        assert_int_equal(size, table[i][1]);
        assert_int_equal(align, table[i][2]);
    }
    for (uint32_t len = 1; len <= 20000; len++) {
        check_layout(len);
    }
    for (int i = 0; i < 2000; i++) {
        check_layout((rng() >> (rng() % 31)) % 0x80000000u + 1);
    }
    check_layout(0x80000000u);
    uint32_t size, align;
    assert_int_equal(region_pmsav7_layout(0, &size, &align), -EINVAL);
    assert_int_equal(region_pmsav7_layout(0x80000001u, &size, &align), -E2BIG);
}

/* ---- PMP model ---- */

/* The number of the entry that decides @addr (a 4-byte granule), or -1. */
static int
pmp_match(const struct region_pmp_entry *e, int n, uint64_t addr)
{
    uint64_t w = addr >> 2;
    for (int i = 0; i < n; i++) {
        unsigned a = (e[i].cfg >> 3) & 3;
        if (a == 1) {
            uint64_t lo = i > 0 ? e[i - 1].addr : 0;
            if (lo <= w && w < e[i].addr) {
                return i;
            }
        } else if (a == 2) {
            if (w == e[i].addr) {
                return i;
            }
        } else if (a == 3) {
            unsigned ones = 0;
            while (ones < 32 && (e[i].addr >> ones) & 1) {
                ones++;
            }
            uint64_t mask = ~(((uint64_t)1 << (ones + 1)) - 1);
            if ((w & mask) == (e[i].addr & mask)) {
                return i;
            }
        }
    }
    return -1;
}

static unsigned
pmp_bits(unsigned perms)
{
    if (perms & REGION_PRIV) {
        return 0;
    }
    return perms & (REGION_R | REGION_W | REGION_X); /* same bit positions */
}

static void
pmp_check_point(const struct region_pmp_entry *e, int n, const struct region_range *r, int nr,
                uint64_t a)
{
    if (a >= TOP) {
        return;
    }
    int want = -1;
    for (int i = 0; i < nr && want < 0; i++) {
        if (a >= r[i].base && a < (uint64_t)r[i].base + r[i].len) {
            want = i;
        }
    }
    int m = pmp_match(e, n, a);
    if (want < 0 ? m >= 0 : (m < 0 || (e[m].cfg & 7u) != pmp_bits(r[want].perms))) {
        fail_msg("address %#llx: entry %d, expected range %d", (unsigned long long)a, m, want);
    }
    if (m >= 0) {
        assert_int_equal(e[m].cfg & 0x80u, 0); /* never locked */
    }
}

/* Pack @r and check the model at every boundary the ranges or entries
 * define (the model is constant between them), from both sides. */
static int
check_pack(const struct region_range *r, int nr, int max)
{
    struct region_pmp_entry e[32];
    int n = region_pmp_pack(r, nr, e, max);
    if (n < 0) {
        return n;
    }
    assert_true(n <= max);
    for (int i = 0; i < nr; i++) {
        uint64_t p[2] = { r[i].base, (uint64_t)r[i].base + r[i].len };
        for (int k = 0; k < 2; k++) {
            pmp_check_point(e, n, r, nr, p[k]);
            pmp_check_point(e, n, r, nr, p[k] - 4);
        }
    }
    for (int i = 0; i < n; i++) {
        uint64_t p = (uint64_t)e[i].addr << 2;
        pmp_check_point(e, n, r, nr, p);
        pmp_check_point(e, n, r, nr, p - 4);
        if (((e[i].cfg >> 3) & 3) == 3) {
            uint64_t size = 8;
            for (uint32_t a = e[i].addr; a & 1; a >>= 1) {
                size <<= 1;
            }
            uint64_t base = p & ~(size - 1);
            pmp_check_point(e, n, r, nr, base + size);
            pmp_check_point(e, n, r, nr, base + size - 4);
            pmp_check_point(e, n, r, nr, base);
            pmp_check_point(e, n, r, nr, base - 4);
        }
    }
    pmp_check_point(e, n, r, nr, 0);
    pmp_check_point(e, n, r, nr, TOP - 4);
    return n;
}

static void
test_pmp_encode_picks_napot_na4_or_tor(void **state)
{
    (void)state;
    struct region_pmp_entry e[2];
    const unsigned rw = REGION_R | REGION_W;
    assert_int_equal(region_pmp_encode(0x80001300, 32, 0, 0, e, 2), 1);
    assert_int_equal(e[0].cfg, REGION_PMP_NAPOT);
    assert_int_equal(e[0].addr, (0x80001300u >> 2) | 3);
    assert_int_equal(region_pmp_encode(0x80000000, 8, rw, 0, e, 2), 1);
    assert_int_equal(e[0].cfg, REGION_PMP_NAPOT | 3);
    assert_int_equal(e[0].addr, 0x20000000);
    assert_int_equal(region_pmp_encode(0x10000004, 4, REGION_R, 0, e, 2), 1);
    assert_int_equal(e[0].cfg, REGION_PMP_NA4 | 1);
    assert_int_equal(e[0].addr, 0x04000001);
    assert_int_equal(region_pmp_encode(0x80000100, 0x300, REGION_R | REGION_X, 7, e, 2), 2);
    assert_int_equal(e[0].cfg, REGION_PMP_OFF);
    assert_int_equal(e[0].addr, 0x80000100u >> 2);
    assert_int_equal(e[1].cfg, REGION_PMP_TOR | 5);
    assert_int_equal(e[1].addr, 0x80000400u >> 2);
    /* Sharing the preceding pmpaddr as the bottom; entry 0 starts at 0. */
    assert_int_equal(region_pmp_encode(0x80000100, 0x300, rw, 0x80000100u >> 2, e, 1), 1);
    assert_int_equal(e[0].cfg, REGION_PMP_TOR | 3);
    assert_int_equal(region_pmp_encode(0, 0x300, REGION_PRIV, 0, e, 1), 1);
    assert_int_equal(e[0].cfg, REGION_PMP_TOR);
    /* Ending at 4 GB: the top 2^30 still fits in pmpaddr. */
    assert_int_equal(region_pmp_encode(0xfffff004, 0xffc, rw, 0, e, 2), 2);
    assert_int_equal(e[1].addr, 0x40000000);
    assert_int_equal(region_pmp_encode(0x80000000, 0x80000000, rw, 0, e, 2), 1);
    assert_int_equal(e[0].addr, 0x2fffffff);
}

static void
test_pmp_encode_rejects_impossible_requests(void **state)
{
    (void)state;
    struct region_pmp_entry e[2] = { { 0xaa, 0xaaaaaaaa }, { 0xaa, 0xaaaaaaaa } };
    assert_int_equal(region_pmp_encode(0x80000000, 0, REGION_R, 0, e, 2), -EINVAL);
    assert_int_equal(region_pmp_encode(0x80000002, 8, REGION_R, 0, e, 2), -EINVAL);
    assert_int_equal(region_pmp_encode(0x80000000, 6, REGION_R, 0, e, 2), -EINVAL);
    assert_int_equal(region_pmp_encode(0xfffffff0, 0x20, REGION_R, 0, e, 2), -EINVAL);
    assert_int_equal(region_pmp_encode(0x80000000, 8, REGION_W, 0, e, 2), -EINVAL);
    assert_int_equal(region_pmp_encode(0x80000000, 8, REGION_PRIV | REGION_R, 0, e, 2), -EINVAL);
    assert_int_equal(region_pmp_encode(0x80000004, 12, REGION_R, 0, e, 1), -ENOSPC);
    assert_int_equal(region_pmp_encode(0x80000000, 8, REGION_R, 0, e, 0), -ENOSPC);
    assert_int_equal(e[0].cfg, 0xaa);
    assert_int_equal(e[1].addr, 0xaaaaaaaa);
}

static void
test_pmp_pack_shares_bottoms_and_fits_the_budget(void **state)
{
    (void)state;
    const unsigned rw = REGION_R | REGION_W, rx = REGION_R | REGION_X;
    /* Text, data, stack of a process laid end to end: 1 OFF + 3 TOR. */
    struct region_range proc[] = {
        { 0x20400000, 0x1234, rx }, { 0x20401234, 0x2000, REGION_R }, { 0x20403234, 0x100, rw },
    };
    assert_int_equal(check_pack(proc, 3, 8), 4);
    /* From address 0 on, the first TOR needs no OFF entry. */
    struct region_range low[] = { { 0, 0x1004, REGION_R }, { 0x80000000, 0x400, rw } };
    assert_int_equal(check_pack(low, 2, 8), 2);
    /* Five separate odd-sized ranges need 10 entries: too many for an FE310. */
    struct region_range many[5];
    for (int i = 0; i < 5; i++) {
        many[i] = (struct region_range){ 0x80000000u + 0x1000u * (unsigned)i + 4, 0x100, rw };
    }
    struct region_pmp_entry e[16];
    memset(e, 0xaa, sizeof e);
    assert_int_equal(region_pmp_pack(many, 5, e, 8), -ENOSPC);
    assert_int_equal(e[0].cfg, 0xaa);
    assert_int_equal(check_pack(many, 5, 16), 10);
    many[2].base = 2;
    assert_int_equal(region_pmp_pack(many, 5, e, 16), -EINVAL);
}

static void
test_pmp_pack_matches_the_model_on_random_lists(void **state)
{
    (void)state;
    static const unsigned perms[] = { 0, REGION_PRIV, REGION_R, REGION_R | REGION_W,
                                      REGION_R | REGION_X, REGION_X, REGION_R | REGION_W | REGION_X };
    for (int t = 0; t < 20000; t++) {
        struct region_range r[8];
        int nr = (int)(rng() % 8) + 1;
        uint32_t next = rng() & ~3u;
        for (int i = 0; i < nr; i++) {
            uint32_t len;
            unsigned kind = rng() % 4;
            if (kind == 0) {
                len = 4;
            } else if (kind == 1) {
                len = 8u << (rng() % 20); /* a power of two, maybe aligned */
            } else {
                len = ((rng() >> (rng() % 28)) & ~3u) + 4;
            }
            uint32_t base = rng() % 2 ? next : rng() & ~3u;
            if (kind == 1 && rng() % 2) {
                base &= ~(len - 1);
            }
            if (t % 13 == 0 && i == 0) {
                base = 0;
            }
            if ((uint64_t)base + len > TOP) {
                base = (uint32_t)(TOP - len);
            }
            r[i] = (struct region_range){ base, len, perms[rng() % 7] };
            next = base + len;
        }
        int n = check_pack(r, nr, 16);
        assert_true(n >= nr || n == -ENOSPC);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pmsav7_encode_matches_the_manual_layout),
        cmocka_unit_test(test_pmsav7_cover_is_exact_on_edge_cases),
        cmocka_unit_test(test_pmsav7_cover_is_exact_and_minimal_on_random_ranges),
        cmocka_unit_test(test_pmsav7_cover_rejects_impossible_requests),
        cmocka_unit_test(test_pmsav7_layout_wastes_least),
        cmocka_unit_test(test_pmp_encode_picks_napot_na4_or_tor),
        cmocka_unit_test(test_pmp_encode_rejects_impossible_requests),
        cmocka_unit_test(test_pmp_pack_shares_bottoms_and_fits_the_budget),
        cmocka_unit_test(test_pmp_pack_matches_the_model_on_random_lists),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
