/* SPDX-License-Identifier: MIT */
/* Memory-protection regions: the arithmetic behind the Cortex-M MPU (PMSAv7,
 * lib/region_pmsav7.c) and the RISC-V PMP (lib/region_pmp.c). Pure functions
 * of their arguments, no hardware access and no kernel dependency, so the
 * ports, the linker-script generator and the host tests share them.
 * Errors are negative errno values; on error nothing was written.
 *
 * Permissions are those of unprivileged (user) code, as REGION_* flags:
 *   0                  no access for anyone (PMSAv7 AP=000; on RISC-V the
 *                      M-mode kernel is never restricted, as L is never set)
 *   REGION_PRIV        privileged read-write, user nothing (AP=001)
 *   REGION_R           read-only for all (AP=110)
 *   REGION_R|REGION_W  read-write for all (AP=011)
 * plus REGION_X to allow execution (without it the region is execute-never)
 * and REGION_DEVICE for peripheral registers (PMSAv7 memory type only).
 * W without R is invalid (PMP reserves it); so is PRIV with R or W. X without
 * R is fine for PMP (execute-only) but cannot be expressed by PMSAv7.
 *
 * PMSAv7 waste. region_pmsav7_layout() reserves, for a block of len bytes,
 * n subregions of the smallest region 2^k that holds it (len <= 2^k, the
 * subregion is 2^k/8, n = ceil(len / subregion)), aligned to 2^k; the
 * disabled subregions after the block stay free for other sections. Regions
 * of 32-128 bytes have no subregions and are used whole when that wastes
 * less. Waste is size - len: under one subregion, so under 1/4 of len for
 * len > 128 (one whole power-of-two region wastes up to len):
 *
 *   len       size    align   waste   (whole power of two: size, waste)
 *   1 KB      1 KB    1 KB    0       1 KB     0
 *   3 KB      3 KB    4 KB    0       4 KB     1 KB
 *   5 KB      5 KB    8 KB    0       8 KB     3 KB
 *   12 KB     12 KB   16 KB   0       16 KB    4 KB
 *   20 KB     20 KB   32 KB   0       32 KB    12 KB
 *   100 KB    112 KB  128 KB  12 KB   128 KB   28 KB
 *   5000 B    5120 B  8 KB    120 B   8 KB     3192 B
 */
#pragma once

#include <stdint.h>

enum region_perm {
    REGION_R = 1u << 0,
    REGION_W = 1u << 1,
    REGION_X = 1u << 2,
    REGION_PRIV = 1u << 3,
    REGION_DEVICE = 1u << 4,
};

/* One range to protect: [base, base + len) with REGION_* perms. */
struct region_range {
    uint32_t base;
    uint32_t len;
    unsigned perms;
};

/* ---- PMSAv7 (Cortex-M MPU) ---- */

#define REGION_PMSAV7_MIN_SIZE 32u

/* One MPU region, ready to write: rbar holds ADDR only (the caller adds
 * VALID and REGION), rasr holds XN, AP, TEX/S/C/B, SRD, SIZE and ENABLE. */
struct region_pmsav7 {
    uint32_t rbar;
    uint32_t rasr;
};

/* Encode the region of 2^@size_log2 bytes (5..32) at @base (aligned to its
 * size) with subregion-disable mask @srd (bit i disables the i-th eighth;
 * must be 0 below 256 bytes).
 * Context: any. Returns: 0, -EINVAL (bad size, alignment, srd or perms). */
int region_pmsav7_encode(uint32_t base, unsigned size_log2, uint8_t srd, unsigned perms,
                         struct region_pmsav7 *out);

/* Cover exactly [base, base + len) with the fewest regions, trimming their
 * ends with subregion disables. The regions do not overlap.
 * Context: any. Returns: the number of regions written to @out, -ENOSPC (more
 * than @max needed), -EINVAL (len 0, base or len not a multiple of 32, a range
 * past 4 GB, bad perms). */
int region_pmsav7_cover(uint32_t base, uint32_t len, unsigned perms, struct region_pmsav7 out[],
                        int max);

/* The block a linker should reserve for @len bytes so that one region with
 * subregion disables covers exactly that block: *size bytes (>= len) at an
 * address aligned to *align (the region's size; the block starts at the
 * region's base). Least waste first, then least alignment.
 * Context: any. Returns: the waste (*size - len), -EINVAL (len 0), -E2BIG
 * (len over 2 GB: the region would be 4 GB). */
int region_pmsav7_layout(uint32_t len, uint32_t *size, uint32_t *align);

/* ---- PMP (RISC-V) ---- */

/* pmpcfg fields (L, bit 7, is never set here). */
#define REGION_PMP_R 0x01u
#define REGION_PMP_W 0x02u
#define REGION_PMP_X 0x04u
#define REGION_PMP_A_SHIFT 3
#define REGION_PMP_A_MASK (3u << REGION_PMP_A_SHIFT)
#define REGION_PMP_OFF (0u << REGION_PMP_A_SHIFT)
#define REGION_PMP_TOR (1u << REGION_PMP_A_SHIFT)
#define REGION_PMP_NA4 (2u << REGION_PMP_A_SHIFT)
#define REGION_PMP_NAPOT (3u << REGION_PMP_A_SHIFT)

/* One PMP entry: its pmpcfg byte and its pmpaddr value (address >> 2). */
struct region_pmp_entry {
    uint8_t cfg;
    uint32_t addr;
};

/* Encode [base, base + len): one NAPOT entry for a naturally aligned power
 * of two of 8 bytes or more, one NA4 entry for 4 bytes, otherwise TOR. A TOR
 * entry takes its bottom from the preceding pmpaddr: when @prev_addr (the
 * value of that pmpaddr; 0 for entry 0, whose bottom is 0) equals base >> 2
 * one TOR entry is enough, otherwise an OFF entry holding the bottom comes
 * first. (A pmpaddr value rather than a byte address, because a preceding
 * top of 4 GB does not fit in 32 bits.)
 * Context: any. Returns: entries written (1 or 2), -ENOSPC (more than @max),
 * -EINVAL (len 0, base or len not a multiple of 4, a range past 4 GB, bad
 * perms). */
int region_pmp_encode(uint32_t base, uint32_t len, unsigned perms, uint32_t prev_addr,
                      struct region_pmp_entry out[], int max);

/* Encode @n ranges in order into entries 0.. (earlier ranges win where they
 * overlap, as the lowest-numbered matching entry decides), sharing a TOR
 * bottom with the previous entry where they meet. @max is the number of
 * entries available (8 on the FE310, 16 in QEMU).
 * Context: any. Returns: entries used, -ENOSPC, -EINVAL (a bad range). */
int region_pmp_pack(const struct region_range ranges[], int n, struct region_pmp_entry out[],
                    int max);
