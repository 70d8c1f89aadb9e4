/* SPDX-License-Identifier: MIT */
/* RISC-V PMP entry arithmetic: one range as NAPOT, NA4 or TOR entries, and a
 * list of ranges packed into the entries a hart has. The declarations are in
 * lib/region.h; the Cortex-M counterpart is lib/region_pmsav7.c. */
#include "region.h"

#include <pica/errno.h>
#include <stdbool.h>

#define PERMS_ALL (REGION_R | REGION_W | REGION_X | REGION_PRIV | REGION_DEVICE)

/* The R/W/X bits for user code. M-mode is never restricted (L stays clear),
 * so a privileged-only range grants the user nothing. */
static int
pmp_perms(unsigned perms, uint8_t *cfg)
{
    bool priv = (perms & REGION_PRIV) != 0;
    if ((perms & ~PERMS_ALL) != 0 || ((perms & REGION_W) && !(perms & REGION_R)) ||
        (priv && (perms & (REGION_R | REGION_W)))) {
        return -EINVAL; /* R=0 W=1 is reserved */
    }
    *cfg = 0;
    if (!priv) {
        *cfg = (uint8_t)(((perms & REGION_R) ? REGION_PMP_R : 0) |
                         ((perms & REGION_W) ? REGION_PMP_W : 0) |
                         ((perms & REGION_X) ? REGION_PMP_X : 0));
    }
    return 0;
}

/* Encode one range into @e (room for two). Returns the entry count or
 * -EINVAL. */
static int
pmp_encode_one(uint32_t base, uint32_t len, unsigned perms, uint32_t prev_addr,
               struct region_pmp_entry e[2])
{
    uint8_t rwx;
    uint64_t end = (uint64_t)base + len;
    if (len == 0 || base % 4 != 0 || len % 4 != 0 || end > ((uint64_t)1 << 32) ||
        pmp_perms(perms, &rwx) != 0) {
        return -EINVAL;
    }
    if (len == 4) {
        e[0] = (struct region_pmp_entry){ .cfg = rwx | REGION_PMP_NA4, .addr = base >> 2 };
        return 1;
    }
    if ((len & (len - 1)) == 0 && (base & (len - 1)) == 0) {
        /* NAPOT: the address, then ones for each doubling beyond 8 bytes. */
        e[0] = (struct region_pmp_entry){ .cfg = rwx | REGION_PMP_NAPOT,
                                          .addr = (base >> 2) | ((len >> 3) - 1) };
        return 1;
    }
    /* TOR matches pmpaddr[i-1] <= addr >> 2 < pmpaddr[i]; the top of a range
     * ending at 4 GB is 2^30, which still fits. */
    struct region_pmp_entry tor = { .cfg = rwx | REGION_PMP_TOR, .addr = (uint32_t)(end >> 2) };
    if (prev_addr == base >> 2) {
        e[0] = tor;
        return 1;
    }
    e[0] = (struct region_pmp_entry){ .cfg = REGION_PMP_OFF, .addr = base >> 2 };
    e[1] = tor;
    return 2;
}

int
region_pmp_encode(uint32_t base, uint32_t len, unsigned perms, uint32_t prev_addr,
                  struct region_pmp_entry out[], int max)
{
    struct region_pmp_entry e[2];
    int n = pmp_encode_one(base, len, perms, prev_addr, e);
    if (n < 0) {
        return n;
    }
    if (n > max) {
        return -ENOSPC;
    }
    for (int i = 0; i < n; i++) {
        out[i] = e[i];
    }
    return n;
}

int
region_pmp_pack(const struct region_range ranges[], int n, struct region_pmp_entry out[], int max)
{
    /* Two passes so that a failure writes nothing: count, then write. */
    for (int pass = 0; pass < 2; pass++) {
        struct region_pmp_entry e[2];
        uint32_t prev = 0; /* entry 0's TOR bottom is address 0 */
        int used = 0;
        for (int i = 0; i < n; i++) {
            int k = pmp_encode_one(ranges[i].base, ranges[i].len, ranges[i].perms, prev, e);
            if (k < 0) {
                return k;
            }
            for (int m = 0; m < k; m++, used++) {
                if (pass == 1) {
                    out[used] = e[m];
                }
            }
            prev = e[k - 1].addr;
        }
        if (used > max) {
            return -ENOSPC;
        }
        if (pass == 1) {
            return used;
        }
    }
    return -EINVAL; /* not reached */
}
