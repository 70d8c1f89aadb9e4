/* SPDX-License-Identifier: MIT */
/* The kernel's time source on Cortex-M: SysTick on the core clock, extended
 * to a 64-bit count in software. SysTick is a 24-bit down-counter that
 * reloads from RVR when it passes zero. `base` is the count at which the
 * current period began and `period` the period length (RVR + 1), so
 * now = base + period - 1 - CVR, plus one period if a wrap is pending but
 * not yet handled.
 *
 * Both modes restart the counter (CVR = 0 reloads it from RVR at once) and
 * never touch RVR while it runs, so the software view cannot disagree with
 * the hardware. A periodic tick is set up once and never drifts; the few
 * cycles between reading the count and restarting are lost only when the
 * mode changes, around tickless idle. */
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
static uint64_t base;   /* count at the start of the current period */
static uint32_t period; /* RVR + 1 */
/* The counter sits at 0 for one clock after passing zero or being written,
 * then reloads. While base already counts the new period, a CVR of 0 means
 * "not reloaded yet" (no time elapsed), not "end of the period". */
static bool reload_pending;

void
arch_timer_init(uint32_t hz)
{
    timer_hz = hz;
    base = 0;
    period = PERIOD_MAX;
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
    bool fresh = reload_pending;
    if (SCB_ICSR & ICSR_PENDSTSET) {
        /* Wrapped and not yet handled: VAL may predate the wrap, re-read;
         * it is 0 until the reload. */
        val = SYST_CVR;
        start += period;
        fresh = true;
    }
    if (val == 0 && fresh) {
        return start;
    }
    if (val != 0) {
        reload_pending = false;
    }
    if (val > period - 1u) {
        val = period - 1u;
    }
    return start + (period - 1u - val);
}
uint64_t
arch_timer_cycles(void)
{
    unsigned key = arch_irq_lock();
    uint64_t now = cycles_locked();
    arch_irq_unlock(key);
    return now;
}

/* Restart the counter with periods of @len from now; returns now. */
static uint64_t
restart_locked(uint32_t len)
{
    uint64_t now = cycles_locked();
    /* A pending wrap is already counted in now: drop it before the restart,
     * never after, or an expiry of the new period could be lost. */
    SCB_ICSR = ICSR_PENDSTCLR;
    base = now;
    period = len;
    SYST_RVR = len - 1u;
    SYST_CVR = 0;
    reload_pending = true;
    return now;
}

uint64_t
arch_timer_periodic(uint32_t every)
{
    every = every < PERIOD_MIN ? PERIOD_MIN : (every > PERIOD_MAX ? PERIOD_MAX : every);
    unsigned key = arch_irq_lock();
    uint64_t now = restart_locked(every);
    arch_irq_unlock(key);
    return now;
}

void
arch_timer_oneshot(uint64_t deadline)
{
    unsigned key = arch_irq_lock();
    uint64_t now = cycles_locked();
    uint64_t delta = deadline > now ? deadline - now : 0;
    delta = delta < PERIOD_MIN ? PERIOD_MIN : (delta > PERIOD_MAX ? PERIOD_MAX : delta);
    /* It repeats until re-armed, which the kernel does in the interrupt. */
    restart_locked((uint32_t)delta);
    arch_irq_unlock(key);
}

void
arch_systick_isr(void)
{
    unsigned key = arch_irq_lock();
    base += period;
    reload_pending = true;
    arch_irq_unlock(key);
    sched_timer_isr();
}
