/* SPDX-License-Identifier: MIT */
/* The port's timer taken from the kernel for a test (port.h). The image is
 * linked with --wrap=sched_timer_isr, so the port's interrupt handler calls
 * __wrap_sched_timer_isr() here, which times the interrupt and, unless the
 * timer is taken, passes it on to the kernel. */
#include <pica/config.h>
#include <stddef.h>

#include "arch.h"
#include "port.h"

void __real_sched_timer_isr(void);
void __wrap_sched_timer_isr(void);

struct port_timer_log port_timer_log;
static volatile bool taken;
static void (*volatile hook)(void);

void
__wrap_sched_timer_isr(void)
{
    if (!taken) {
        __real_sched_timer_isr();
        return;
    }
    uint64_t now = arch_timer_cycles();
    unsigned n = port_timer_log.n;
    if (n < PORT_LOG_MAX) {
        port_timer_log.at[n] = now;
    }
    port_timer_log.n = n + 1u;
    void (*fn)(void) = hook;
    if (fn != NULL) {
        fn();
    }
}

void
port_timer_take_locked(void (*on_interrupt)(void))
{
    hook = on_interrupt;
    port_timer_log.n = 0;
    taken = true;
}

void
port_timer_give_back(void)
{
    unsigned key = arch_irq_lock();
    uint32_t cpt = arch_timer_hz() / PICA_CFG_TICK_HZ;
    uint64_t now = arch_timer_cycles();
    /* The kernel derives its tick count from the cycle count, so ticks
     * that passed while the timer was taken are counted at the next one. */
    arch_timer_periodic((now / cpt + 1u) * cpt, cpt);
    taken = false;
    hook = NULL;
    arch_irq_unlock(key);
}

unsigned
port_timer_wait(unsigned n, uint64_t until)
{
    while (port_timer_log.n < n && arch_timer_cycles() < until) {
    }
    return port_timer_log.n;
}
