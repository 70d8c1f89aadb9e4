/* SPDX-License-Identifier: MIT */
/* pica_test_devtimer on the mps2 boards: CMSDK APB timer 0 (0x40000000,
 * line 8), a 32-bit down-counter at the 25 MHz peripheral clock that
 * reloads itself, so the rate never drifts. */
#include <errno.h>
#include <pica/irq.h>
#include <pica/test.h>
#include <stddef.h>
#include <stdint.h>

#define TIMER0 0x40000000u
#define REG(off) (*(volatile uint32_t *)(TIMER0 + (off)))
#define CTRL REG(0x00)
#define VALUE REG(0x04)
#define RELOAD REG(0x08)
#define INTCLEAR REG(0x0C)
#define CTRL_ENABLE (1u << 0)
#define CTRL_IRQ (1u << 3)
#define TIMER0_IRQ 8u
#define TIMER0_HZ 25000000u

static void (*devtimer_fn)(void);

static void
devtimer_isr(void *arg)
{
    (void)arg;
    INTCLEAR = 1u;
    devtimer_fn();
}

int
pica_test_devtimer_start(uint32_t period_ns, void (*fn)(void))
{
    uint64_t counts = (uint64_t)period_ns * TIMER0_HZ / 1000000000u;
    if (fn == NULL || counts < 2u || counts > UINT32_MAX) {
        return -EINVAL;
    }
    devtimer_fn = fn;
    CTRL = 0;
    INTCLEAR = 1u;
    RELOAD = (uint32_t)counts - 1u;
    VALUE = (uint32_t)counts - 1u;
    int err = pica_irq_attach(TIMER0_IRQ, devtimer_isr, NULL, 2);
    if (err == 0) {
        err = pica_irq_enable(TIMER0_IRQ);
    }
    if (err == 0) {
        CTRL = CTRL_ENABLE | CTRL_IRQ;
    }
    return err;
}

void
pica_test_devtimer_stop(void)
{
    CTRL = 0;
    INTCLEAR = 1u;
    pica_irq_detach(TIMER0_IRQ);
}
