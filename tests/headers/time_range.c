/* SPDX-License-Identifier: MIT */
/* Compiled once for each PICA_CFG_TICK_HZ tests/headers lists: PICA_MS()
 * and PICA_US() are exact up to the last count that fits and saturate at
 * PICA_TIMEOUT_MAX past it, never wrapping to PICA_FOREVER or a short wait
 * (tests/kernel/time checks the run-time path at the board's rate). */
#include <pica/time.h>

#define MS_EXACT_MAX (((uint64_t)INT32_MAX - 1u) * 1000u / PICA_CFG_TICK_HZ)
#define US_EXACT_MAX (((uint64_t)INT32_MAX - 1u) * 1000000u / PICA_CFG_TICK_HZ)

_Static_assert(PICA_MS(0) == 1 && PICA_US(0) == 1, "zero is one tick boundary away");
_Static_assert(PICA_MS(1000) == PICA_CFG_TICK_HZ + 1, "a second");
_Static_assert(PICA_US(1000000) == PICA_CFG_TICK_HZ + 1, "a second");
_Static_assert(PICA_MS(MS_EXACT_MAX) == (MS_EXACT_MAX * PICA_CFG_TICK_HZ + 999u) / 1000u + 1u,
               "exact up to the limit");
_Static_assert(PICA_MS(MS_EXACT_MAX) > 0 && PICA_US(US_EXACT_MAX) > 0, "positive at the limit");
_Static_assert(PICA_MS(MS_EXACT_MAX + 1u) == PICA_TIMEOUT_MAX, "saturates past it");
_Static_assert(PICA_US(US_EXACT_MAX + 1u) == PICA_TIMEOUT_MAX, "saturates past it");
_Static_assert(PICA_MS(4294967294u) > 0 && PICA_MS(UINT32_MAX) > 0, "not PICA_FOREVER");
_Static_assert(PICA_MS(UINT64_MAX) == PICA_TIMEOUT_MAX, "no 64-bit overflow");
_Static_assert(PICA_US(UINT64_MAX) == PICA_TIMEOUT_MAX, "no 64-bit overflow");
_Static_assert(PICA_US(UINT64_MAX / PICA_CFG_TICK_HZ + 1u) == PICA_TIMEOUT_MAX,
               "no 64-bit overflow");
