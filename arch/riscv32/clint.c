/* SPDX-License-Identifier: MIT */
/* The kernel's time source on RV32: the CLINT's 64-bit mtime and the hart's
 * mtimecmp (machine timer interrupt). Being a free-running 64-bit counter
 * with an absolute compare, it needs no software extension and never drifts;
 * a periodic tick is re-armed at deadline + period in the interrupt, so it
 * keeps the phase it was given. mtimecmp also serves one alarm beside the
 * kernel's deadline (clint.h, for the hardware-timer driver): it holds
 * whichever is earlier, and only while an alarm is set does the interrupt
 * take the longer path that sorts out which is due. */
#include <stddef.h>
#include <stdint.h>

#include "arch.h"
#include "clint.h"
#include "riscv.h"

#define MTIMECMP_LO RV_REG(PICA_CLINT_BASE + 0x4000u)
#define MTIMECMP_HI RV_REG(PICA_CLINT_BASE + 0x4004u)
#define MTIME_LO RV_REG(PICA_CLINT_BASE + 0xBFF8u)
#define MTIME_HI RV_REG(PICA_CLINT_BASE + 0xBFFCu)

static uint32_t timer_hz;
static uint64_t armed;     /* the kernel's deadline */
static uint32_t repeat;    /* period after it, 0 for one-shot */
static uint64_t alarm_at;  /* the alarm's deadline, while alarm_fn is set */
static void (*alarm_fn)(void *arg);
static void *alarm_arg;
/* The interrupt's path while an alarm is set (timer_isr_shared), NULL
 * otherwise: reached through this pointer, which only clint_alarm_set()
 * fills, so that images without an alarm do not link it. */
static void (*alarm_path)(void);

static void
mtimecmp_write(uint64_t v)
{
    /* Never let the compare value be briefly lower than both halves. */
    MTIMECMP_HI = 0xFFFFFFFFu;
    MTIMECMP_LO = (uint32_t)v;
    MTIMECMP_HI = (uint32_t)(v >> 32);
}

/* What mtimecmp must hold: the earlier of the two deadlines. */
static uint64_t
compare_value(void)
{
    return alarm_fn != NULL && alarm_at < armed ? alarm_at : armed;
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
    mtimecmp_write(compare_value());
    arch_irq_unlock(key);
}

void
arch_timer_oneshot(uint64_t deadline)
{
    unsigned key = arch_irq_lock();
    repeat = 0;
    armed = deadline;
    mtimecmp_write(compare_value());
    arch_irq_unlock(key);
}

static void timer_isr_shared(void);

void
clint_alarm_set(uint64_t at, void (*fn)(void *arg), void *arg)
{
    unsigned key = arch_irq_lock();
    alarm_at = at;
    alarm_arg = arg;
    alarm_fn = fn;
    alarm_path = timer_isr_shared;
    mtimecmp_write(compare_value());
    arch_irq_unlock(key);
}

void
clint_alarm_cancel(void)
{
    unsigned key = arch_irq_lock();
    alarm_fn = NULL;
    alarm_path = NULL;
    mtimecmp_write(armed); /* a pending interrupt of the alarm's drops */
    arch_irq_unlock(key);
}

/* The kernel's deadline has come: the next one, or none. */
static inline void
tick_advance(void)
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
    } else {
        armed = UINT64_MAX;
    }
}

/* The interrupt while an alarm is set: either deadline, or both, may be
 * due. The alarm runs first and may set itself again; a deadline that
 * passes meanwhile leaves mtimecmp in the past, so it interrupts again.
 * Out of line, so the tick's own path saves no more registers than it did
 * before there was an alarm. */
static void
timer_isr_shared(void)
{
    uint64_t now = arch_timer_cycles();
    if (alarm_at <= now) {
        void (*fn)(void *arg) = alarm_fn;
        void *arg = alarm_arg;
        alarm_fn = NULL;
        alarm_path = NULL;
        fn(arg);
    }
    bool tick = armed <= now;
    if (tick) {
        tick_advance();
    }
    mtimecmp_write(compare_value());
    if (tick) {
        sched_timer_isr();
    }
}

void
arch_timer_isr(void)
{
    void (*path)(void) = alarm_path;
    if (__builtin_expect(path != NULL, 0)) {
        path();
        return;
    }
    /* No alarm: this is the kernel's deadline. */
    tick_advance();
    mtimecmp_write(armed);
    sched_timer_isr();
}
