/* SPDX-License-Identifier: MIT */
/* PMSAv7 (Cortex-M MPU) region arithmetic: register encoding, exact covers
 * of a range with subregion disables, and the linker's block layout. The
 * declarations and the permission rules are in lib/region.h; the PMP
 * counterpart is lib/region_pmp.c. */
#include "region.h"

#include <pica/errno.h>
#include <stdbool.h>

/* RASR fields (ARMv7-M ARM, B3.5.9); RBAR's ADDR is bits 31:5. */
#define RASR_ENABLE 1u
#define RASR_SIZE_SHIFT 1
#define RASR_SRD_SHIFT 8
#define RASR_B (1u << 16)
#define RASR_C (1u << 17)
#define RASR_S (1u << 18)
#define RASR_AP_SHIFT 24
#define RASR_XN (1u << 28)

#define AP_NONE 0u       /* no access */
#define AP_PRIV_RW 1u    /* privileged RW, unprivileged none */
#define AP_FULL 3u       /* RW for all */
#define AP_RO 6u         /* RO for all */

#define PERMS_ALL (REGION_R | REGION_W | REGION_X | REGION_PRIV | REGION_DEVICE)

static int
pmsav7_attrs(unsigned perms, uint32_t *rasr)
{
    unsigned ap;
    switch (perms & (REGION_R | REGION_W | REGION_PRIV)) {
    case 0: ap = AP_NONE; break;
    case REGION_PRIV: ap = AP_PRIV_RW; break;
    case REGION_R: ap = AP_RO; break;
    case REGION_R | REGION_W: ap = AP_FULL; break;
    default: return -EINVAL;
    }
    /* Execution needs read access; with AP=000 nobody can fetch. */
    if ((perms & ~PERMS_ALL) != 0 || ((perms & REGION_X) && ap == AP_NONE)) {
        return -EINVAL;
    }
    /* Normal memory is write-back, no write-allocate (TEX=000 C=1 B=1);
     * peripherals are shareable device memory (TEX=000 C=0 B=1 S=1). */
    uint32_t attrs = (perms & REGION_DEVICE) ? (RASR_B | RASR_S) : (RASR_C | RASR_B);
    if (!(perms & REGION_X)) {
        attrs |= RASR_XN;
    }
    *rasr = attrs | ((uint32_t)ap << RASR_AP_SHIFT);
    return 0;
}

int
region_pmsav7_encode(uint32_t base, unsigned size_log2, uint8_t srd, unsigned perms,
                     struct region_pmsav7 *out)
{
    uint32_t rasr;
    int err = pmsav7_attrs(perms, &rasr);
    if (err) {
        return err;
    }
    if (size_log2 < 5 || size_log2 > 32 || (size_log2 < 8 && srd != 0)) {
        return -EINVAL;
    }
    uint64_t size = (uint64_t)1 << size_log2;
    if ((base & (size - 1)) != 0) {
        return -EINVAL;
    }
    out->rbar = base;
    out->rasr = rasr | ((uint32_t)srd << RASR_SRD_SHIFT) |
                ((uint32_t)(size_log2 - 1) << RASR_SIZE_SHIFT) | RASR_ENABLE;
    return 0;
}

/* The longest piece starting at @s that one region can cover exactly: with
 * subregions of 2^j (2^j divides @s), the piece runs to the end of the
 * region of 2^(j+3) that holds @s, or to @end rounded down to 2^j. Taking
 * the longest is optimal: any cover of [s, end) whose first piece stops
 * earlier can be rearranged without more regions so that the first piece
 * ends at the farthest point, and a cover of [x, end) cut at a farther
 * candidate y is a cover of [y, end) (docs/user-space.md, "Memory regions").
 * Returns the end; *jp is the subregion exponent. */
static uint64_t
piece_end(uint64_t s, uint64_t end, unsigned *jp)
{
    uint64_t best = s;
    for (unsigned j = 5; j <= 29 && (s & (((uint64_t)1 << j) - 1)) == 0; j++) {
        uint64_t region = (uint64_t)1 << (j + 3);
        uint64_t e = (s & ~(region - 1)) + region;
        uint64_t limit = end & ~(((uint64_t)1 << j) - 1);
        if (limit < e) {
            e = limit;
        }
        if (e > best) {
            best = e;
            *jp = j;
        }
    }
    return best;
}

static bool
is_pow2(uint64_t x)
{
    return x != 0 && (x & (x - 1)) == 0;
}

static unsigned
log2_of(uint64_t x)
{
    unsigned n = 0;
    while (x > 1) {
        x >>= 1;
        n++;
    }
    return n;
}

/* The region for piece [s, e) with subregions of 2^j: the whole block when
 * the piece is an aligned power of two, else 2^(j+3) with the subregions
 * outside the piece disabled. */
static int
piece_encode(uint64_t s, uint64_t e, unsigned j, unsigned perms, struct region_pmsav7 *out)
{
    uint64_t len = e - s;
    if (is_pow2(len) && (s & (len - 1)) == 0) {
        return region_pmsav7_encode((uint32_t)s, log2_of(len), 0, perms, out);
    }
    uint64_t sub = (uint64_t)1 << j;
    uint64_t rbase = s & ~((sub << 3) - 1);
    unsigned srd = 0;
    for (unsigned i = 0; i < 8; i++) {
        uint64_t lo = rbase + i * sub;
        if (lo < s || lo + sub > e) {
            srd |= 1u << i;
        }
    }
    return region_pmsav7_encode((uint32_t)rbase, j + 3, (uint8_t)srd, perms, out);
}

int
region_pmsav7_cover(uint32_t base, uint32_t len, unsigned perms, struct region_pmsav7 out[],
                    int max)
{
    uint32_t rasr;
    uint64_t end = (uint64_t)base + len;
    if (len == 0 || base % REGION_PMSAV7_MIN_SIZE != 0 || len % REGION_PMSAV7_MIN_SIZE != 0 ||
        end > ((uint64_t)1 << 32) || pmsav7_attrs(perms, &rasr) != 0) {
        return -EINVAL;
    }
    /* Count first, so that a failure writes nothing. */
    int n = 0;
    unsigned j = 5;
    for (uint64_t s = base; s < end; s = piece_end(s, end, &j)) {
        n++;
    }
    if (n > max) {
        return -ENOSPC;
    }
    n = 0;
    for (uint64_t s = base, e; s < end; s = e) {
        e = piece_end(s, end, &j);
        int err = piece_encode(s, e, j, perms, &out[n++]);
        if (err) {
            return err; /* cannot happen: the pieces are valid regions */
        }
    }
    return n;
}

int
region_pmsav7_layout(uint32_t len, uint32_t *size, uint32_t *align)
{
    if (len == 0) {
        return -EINVAL;
    }
    if (len > (1u << 31)) {
        return -E2BIG;
    }
    /* Waste falls with the region size (finer subregions), except that
     * regions below 256 bytes have no subregions; try them all. */
    uint64_t best_waste = UINT64_MAX;
    for (unsigned k = 5; k <= 31; k++) {
        uint64_t region = (uint64_t)1 << k;
        if (len > region) {
            continue;
        }
        uint64_t sub = k < 8 ? region : region >> 3;
        uint64_t sz = (len + sub - 1) & ~(sub - 1);
        if (sz - len < best_waste) {
            best_waste = sz - len;
            *size = (uint32_t)sz;
            *align = (uint32_t)region;
        }
    }
    return (int)best_waste;
}
