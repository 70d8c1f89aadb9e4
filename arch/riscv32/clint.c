/* SPDX-License-Identifier: MIT */
/* The kernel's time source on RV32: the CLINT's 64-bit mtime and the hart's
 * mtimecmp (machine timer interrupt). Being a free-running 64-bit counter
 * with an absolute compare, it needs no software extension and never drifts;
 * a periodic tick is re-armed at deadline + period in the interrupt, so it
 * keeps the phase it was given. */
#include <stdint.h>

#include "arch.h"
#include "riscv.h"

#define MTIMECMP_LO RV_REG(PICA_CLINT_BASE + 0x4000u)
#define MTIMECMP_HI RV_REG(PICA_CLINT_BASE + 0x4004u)
#define MTIME_LO RV_REG(PICA_CLINT_BASE + 0xBFF8u)
#define MTIME_HI RV_REG(PICA_CLINT_BASE + 0xBFFCu)

static uint32_t timer_hz;
static uint64_t armed;     /* the deadline mtimecmp holds */
static uint32_t repeat;    /* period after it, 0 for one-shot */

static void
mtimecmp_write(uint64_t v)
{
    /* Never let the compare value be briefly lower than both halves. */
    MTIMECMP_HI = 0xFFFFFFFFu;
    MTIMECMP_LO = (uint32_t)v;
    MTIMECMP_HI = (uint32_t)(v >> 32);
}

void
arch_timer_init(uint32_t hz)
{
    timer_hz = hz;
    armed = UINT64_MAX;
    mtimecmp_write(UINT64_MAX);
    __asm volatile("csrs mie, %0" ::"r"(MIE_MTIE));
}

uint32_t
arch_timer_hz(void)
{
    return timer_hz;
}

uint64_t
arch_timer_cycles(void)
{
    uint32_t hi, lo;
    do {
        hi = MTIME_HI;
        lo = MTIME_LO;
    } while (hi != MTIME_HI);
    return ((uint64_t)hi << 32) | lo;
}

void
arch_timer_periodic(uint64_t first, uint32_t period)
{
    unsigned key = arch_irq_lock();
    repeat = period;
    armed = first; /* already past: the interrupt comes at once */
    mtimecmp_write(armed);
    arch_irq_unlock(key);
}

void
arch_timer_oneshot(uint64_t deadline)
{
    unsigned key = arch_irq_lock();
    repeat = 0;
    armed = deadline;
    mtimecmp_write(deadline);
    arch_irq_unlock(key);
}

void
arch_timer_isr(void)
{
    if (repeat != 0) {
        armed += repeat;
        /* Behind by more than a period (a first long past, a long masked
         * stretch): skip to the next boundary ahead, keeping the phase,
         * rather than take one interrupt per missed period. */
        uint64_t now = arch_timer_cycles();
        if (__builtin_expect(armed <= now, 0)) {
            armed += ((now - armed) / repeat + 1u) * repeat;
        }
        mtimecmp_write(armed);
    } else {
        armed = UINT64_MAX;
        mtimecmp_write(UINT64_MAX);
    }
    sched_timer_isr();
}
