/* SPDX-License-Identifier: MIT */
/* pica_test_devtimer on the Stellaris boards: general-purpose timer 0
 * (0x40030000, Timer A on line 19) as one 32-bit periodic down-counter at
 * the 12.5 MHz system clock; it reloads itself, so the rate never drifts. */
#include <errno.h>
#include <pica/irq.h>
#include <pica/test.h>
#include <stddef.h>
#include <stdint.h>

#define GPTM0 0x40030000u
#define REG(off) (*(volatile uint32_t *)(GPTM0 + (off)))
#define CFG REG(0x000)
#define TAMR REG(0x004)
#define CTL REG(0x00C)
#define IMR REG(0x018)
#define ICR REG(0x024)
#define TAILR REG(0x028)
#define CFG_32BIT 0u
#define TAMR_PERIODIC 2u
#define CTL_TAEN (1u << 0)
#define INT_TATO (1u << 0)
#define SYSCTL_RCGC1 (*(volatile uint32_t *)0x400FE104u)
#define RCGC1_TIMER0 (1u << 16)
#define GPTM0_IRQ 19u
#define GPTM0_HZ 12500000u

static void (*devtimer_fn)(void);

static void
devtimer_isr(void *arg)
{
    (void)arg;
    ICR = INT_TATO;
    devtimer_fn();
}

int
pica_test_devtimer_start(uint32_t period_ns, void (*fn)(void))
{
    uint64_t counts = (uint64_t)period_ns * GPTM0_HZ / 1000000000u;
    if (fn == NULL || counts < 2u || counts > UINT32_MAX) {
        return -EINVAL;
    }
    devtimer_fn = fn;
    SYSCTL_RCGC1 |= RCGC1_TIMER0;
    CTL = 0;
    CFG = CFG_32BIT;
    TAMR = TAMR_PERIODIC;
    TAILR = (uint32_t)counts - 1u;
    ICR = INT_TATO;
    IMR = INT_TATO;
    int err = pica_irq_attach(GPTM0_IRQ, devtimer_isr, NULL, 2);
    if (err == 0) {
        err = pica_irq_enable(GPTM0_IRQ);
    }
    if (err == 0) {
        CTL = CTL_TAEN;
    }
    return err;
}

void
pica_test_devtimer_stop(void)
{
    CTL = 0;
    IMR = 0;
    ICR = INT_TATO;
    pica_irq_detach(GPTM0_IRQ);
}
