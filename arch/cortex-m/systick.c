/* SPDX-License-Identifier: MIT */
/* The kernel's time source on Cortex-M: SysTick on the core clock, extended
 * to a 64-bit count in software. SysTick is a 24-bit down-counter that
 * reloads from RVR when it passes zero. `base` is the count at which the
 * running period began and `period` its length, so
 * now = base + period - 1 - CVR, plus one period if a wrap is pending but
 * not yet handled.
 *
 * Every setting restarts the counter (CVR = 0 reloads it from RVR at once)
 * with a first period that ends exactly where asked and, once the reload
 * has happened, RVR set to the period after it; RVR never changes while it
 * could be reloaded unseen, so the software view cannot disagree with the
 * hardware. A periodic tick so set never drifts and keeps the phase the
 * kernel gave it; only the few cycles between reading the count and the
 * restart are lost, at a mode change around tickless idle. */
#include <stdbool.h>
#include <stdint.h>

#include "arch.h"
#include "scb.h"

#define SYST_CSR ARCH_REG(0xE000E010u)
#define SYST_RVR ARCH_REG(0xE000E014u)
#define SYST_CVR ARCH_REG(0xE000E018u)
#define CSR_ENABLE (1u << 0)
#define CSR_TICKINT (1u << 1)
#define CSR_CLKSOURCE_CPU (1u << 2)
#define ICSR_PENDSTSET (1u << 26)
#define ICSR_PENDSTCLR (1u << 25)
#define PERIOD_MAX 0x01000000u /* 24-bit counter */
#define PERIOD_MIN 64u         /* shorter one-shots are rounded up to this */

static uint32_t timer_hz;
static uint64_t base;    /* count at the start of the running period */
static uint32_t period;  /* the running period's length */
static uint32_t reload;  /* RVR + 1: the length of each period after it */
/* The counter sits at 0 for one clock after passing zero or being written,
 * then reloads. While base already counts the new period, a CVR of 0 means
 * "not reloaded yet" (no time elapsed), not "end of the period". */
static bool reload_pending;
/* A periodic setting whose first interrupt could not be armed exactly (past,
 * too near or too far): the next interrupt re-arms to the next count
 * phase + k * phase_every. 0: nothing to realign. */
static uint64_t phase;
static uint32_t phase_every;

void
arch_timer_init(uint32_t hz)
{
    timer_hz = hz;
    base = 0;
    period = reload = PERIOD_MAX;
    SYST_RVR = PERIOD_MAX - 1u;
    SYST_CVR = 0;
    SYST_CSR = CSR_ENABLE | CSR_TICKINT | CSR_CLKSOURCE_CPU;
}

uint32_t
arch_timer_hz(void)
{
    return timer_hz;
}

/* The count now. Lock held: the ISR moves base. */
static uint64_t
cycles_locked(void)
{
    uint32_t val = SYST_CVR;
    uint64_t start = base;
    uint32_t len = period;
    bool fresh = reload_pending;
    if (SCB_ICSR & ICSR_PENDSTSET) {
        /* Wrapped and not yet handled: VAL may predate the wrap, re-read;
         * it is 0 until the reload, then counts the next period. */
        val = SYST_CVR;
        start += period;
        len = reload;
        fresh = true;
    }
    if (val == 0 && fresh) {
        return start;
    }
    if (val != 0) {
        reload_pending = false;
    }
    if (val > len - 1u) {
        val = len - 1u;
    }
    return start + (len - 1u - val);
}

uint64_t
arch_timer_cycles(void)
{
    unsigned key = arch_irq_lock();
    uint64_t now = cycles_locked();
    arch_irq_unlock(key);
    return now;
}

static uint32_t
clamp_len(uint64_t len)
{
    return len < PERIOD_MIN ? PERIOD_MIN : (len > PERIOD_MAX ? PERIOD_MAX : (uint32_t)len);
}

/* Restart the counter at @now (just read): a period of @first, then
 * periods of @next. */
static void
restart_locked(uint64_t now, uint32_t first, uint32_t next)
{
    /* A pending wrap is already counted in now: drop it before the restart,
     * never after, or an expiry of the new period could be lost. */
    SCB_ICSR = ICSR_PENDSTCLR;
    base = now;
    period = reload = first;
    SYST_RVR = first - 1u;
    SYST_CVR = 0;
    reload_pending = true;
    if (next != first) {
        /* The counter takes RVR at the clock after the CVR write; only
         * then may RVR hold the length of the periods after the first.
         * One clock of the timer: a few instructions. */
        while (SYST_CVR == 0) {
        }
        SYST_RVR = next - 1u;
        reload = next;
    }
}

/* Arm the next interrupt at phase + k * phase_every, the first such count
 * far enough ahead to arm; if it is beyond the counter's range, come back
 * at the range's end and try again. */
static void
realign_locked(void)
{
    uint64_t now = cycles_locked();
    uint64_t at = phase;
    if (at < now + PERIOD_MIN) {
        at += ((now + PERIOD_MIN - at) / phase_every + 1u) * phase_every;
    }
    if (at - now <= PERIOD_MAX) {
        restart_locked(now, (uint32_t)(at - now), phase_every);
        phase_every = 0;
    } else {
        restart_locked(now, PERIOD_MAX, PERIOD_MAX);
    }
}

void
arch_timer_periodic(uint64_t first, uint32_t every)
{
    every = clamp_len(every);
    unsigned key = arch_irq_lock();
    uint64_t now = cycles_locked();
    if (first >= now + PERIOD_MIN && first - now <= PERIOD_MAX) {
        restart_locked(now, (uint32_t)(first - now), every);
        phase_every = 0;
    } else {
        /* Past, too near or too far: an interrupt as soon as the counter
         * allows (or at its range's end), which realigns to the phase. */
        phase = first;
        phase_every = every;
        restart_locked(now, first > now ? clamp_len(first - now) : PERIOD_MIN, PERIOD_MAX);
    }
    arch_irq_unlock(key);
}

void
arch_timer_oneshot(uint64_t deadline)
{
    unsigned key = arch_irq_lock();
    uint64_t now = cycles_locked();
    uint32_t len = clamp_len(deadline > now ? deadline - now : 0);
    /* It repeats until re-armed, which the kernel does in the interrupt. */
    phase_every = 0;
    restart_locked(now, len, len);
    arch_irq_unlock(key);
}

void
arch_systick_isr(void)
{
    unsigned key = arch_irq_lock();
    base += period;
    period = reload;
    reload_pending = true;
    if (__builtin_expect(phase_every != 0, 0)) {
        realign_locked();
    }
    arch_irq_unlock(key);
    sched_timer_isr();
}
