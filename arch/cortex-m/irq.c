/* SPDX-License-Identifier: MIT */
/* NVIC side of the Cortex-M port: exception priorities at boot, line enable,
 * priority and software trigger, and the common entry that turns the active
 * vector into a line number for kernel/irq.c. */
#include <stdint.h>

#include "arch.h"
#include "scb.h"

void arch_mpu_init(void);
void arch_vectors_to_ram(void);

void
arch_irq_entry(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    irq_dispatch((ipsr & 0x1ffu) - 16u);
}

/* Every NVIC line from 0 up is real, and STIR pends any of them. */
unsigned
arch_irq_first_line(void)
{
    return ARCH_IRQ_FIRST_LINE;
}

unsigned
arch_irq_lines(void)
{
    return ARCH_IRQ_LINES;
}

void
arch_irq_enable(unsigned irq)
{
    NVIC_ISER(irq / 32u) = 1u << (irq % 32u);
}

void
arch_irq_disable(unsigned irq)
{
    NVIC_ICER(irq / 32u) = 1u << (irq % 32u);
    arch_barrier();
}

void
arch_irq_clear_pending(unsigned irq)
{
    /* The NVIC latches a level line's pend while it is disabled. */
    NVIC_ICPR(irq / 32u) = 1u << (irq % 32u);
    arch_barrier();
}

void
arch_irq_set_prio(unsigned irq, unsigned prio)
{
    NVIC_IPR8(irq) = (uint8_t)ARCH_PRIO_HW(prio);
}


void
arch_init(void)
{
    /* Faults get their own handlers so CFSR names the cause instead of
     * everything escalating to HardFault; integer division by zero traps. */
    SCB_SHCSR |= SHCSR_FAULTS_ENA;
    SCB_CCR |= CCR_DIV_0_TRP | CCR_STKALIGN;
    /* SVC just above kernel interrupts; PendSV and SysTick least urgent, so
     * a context switch never preempts an interrupt handler. */
    SCB_SHPR2 = ARCH_PRIO_HW(PICA_CFG_IRQ_PRIO_ZERO_LATENCY + 1) << 24;
    SCB_SHPR3 = (ARCH_PRIO_HW(7) << 16) | (ARCH_PRIO_HW(7) << 24);
    for (unsigned irq = 0; irq < PICA_BOARD_IRQS; irq++) {
        NVIC_IPR8(irq) = (uint8_t)ARCH_PRIO_HW(PICA_CFG_IRQ_PRIO_DEFAULT);
    }
    arch_vectors_to_ram();
    arch_mpu_init();
    __asm volatile("cpsie i" ::: "memory");
}

void
arch_halt(void)
{
    __asm volatile("cpsid i" ::: "memory");
    for (;;) {
        __asm volatile("wfi");
    }
}
