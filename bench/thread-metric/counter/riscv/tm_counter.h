/* SPDX-License-Identifier: MIT */
/* Instruction counter for tm_latency on RISC-V: minstret, which under QEMU
 * -icount shift=0 advances one per instruction (as mcycle does). */
#pragma once

#include <stdint.h>

#define TM_COUNTER_NAME "minstret"
#define TM_COUNT_INSNS 1u

static inline void
tm_counter_init(void)
{
}

static inline uint32_t
tm_count(void)
{
    uint32_t n;
    __asm volatile("csrr %0, minstret" : "=r"(n));
    return n;
}
