/* SPDX-License-Identifier: MIT */
/* pica_test_devtimer on virt-rv32: the goldfish RTC's alarm (0x101000,
 * PLIC source 11), re-armed in its interrupt at the previous alarm plus
 * the period, so the rate never drifts. The RTC counts nanoseconds of
 * QEMU's rtc clock: the board runs QEMU with -rtc clock=vm so that, under
 * icount, it is virtual time like the CPU's. */
#include <errno.h>
#include <pica/irq.h>
#include <pica/test.h>
#include <stddef.h>
#include <stdint.h>

#define RTC 0x00101000u
#define REG(off) (*(volatile uint32_t *)(RTC + (off)))
#define TIME_LOW REG(0x00)
#define TIME_HIGH REG(0x04)
#define ALARM_LOW REG(0x08)
#define ALARM_HIGH REG(0x0C)
#define IRQ_ENABLED REG(0x10)
#define CLEAR_ALARM REG(0x14)
#define CLEAR_INTERRUPT REG(0x1C)
#define RTC_IRQ 11u

static void (*devtimer_fn)(void);
static uint64_t next_alarm;
static uint32_t period;

static void
alarm_set(uint64_t at)
{
    ALARM_HIGH = (uint32_t)(at >> 32);
    ALARM_LOW = (uint32_t)at; /* the low half arms it */
}

static void
devtimer_isr(void *arg)
{
    (void)arg;
    CLEAR_INTERRUPT = 1u;
    next_alarm += period;
    alarm_set(next_alarm);
    devtimer_fn();
}

int
pica_test_devtimer_start(uint32_t period_ns, void (*fn)(void))
{
    if (fn == NULL || period_ns < 1000u) {
        return -EINVAL;
    }
    devtimer_fn = fn;
    period = period_ns;
    int err = pica_irq_attach(RTC_IRQ, devtimer_isr, NULL, 2);
    if (err == 0) {
        err = pica_irq_enable(RTC_IRQ);
    }
    if (err == 0) {
        /* TIME_LOW latches the high half for TIME_HIGH. */
        uint64_t now = TIME_LOW;
        now |= (uint64_t)TIME_HIGH << 32;
        next_alarm = now + period;
        IRQ_ENABLED = 1u;
        alarm_set(next_alarm);
    }
    return err;
}

void
pica_test_devtimer_stop(void)
{
    IRQ_ENABLED = 0;
    CLEAR_ALARM = 1u;
    CLEAR_INTERRUPT = 1u;
    pica_irq_detach(RTC_IRQ);
}
