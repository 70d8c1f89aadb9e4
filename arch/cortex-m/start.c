/* SPDX-License-Identifier: MIT */
/* Reset and vector table for Cortex-M: the CPU loads SP and PC from the table
 * at VTOR; pica_reset() prepares memory and calls the kernel's pica_start().
 * Faults enter arch/cortex-m/fault.c, external interrupts kernel/irq.c. */
#include <stdint.h>

#include "arch.h"
#include "scb.h"

#ifndef PICA_BOARD_IRQS
#error "board.cmake must define PICA_BOARD_IRQS (external interrupt lines)"
#endif

extern uint32_t __data_start[], __data_end[], __data_load[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __boot_stack_top[], __tls_base[];
extern uint32_t __flash_used_start[];
extern void _set_tls(void *tls); /* picolibc: errno and friends live in TLS */

void pica_reset(void);
void arch_fault_entry(void);
void arch_irq_entry(void);

/* Handlers the kernel overrides once it has threads and system calls. */
static void
unexpected_exception(void)
{
    fault_handle(0, "unexpected exception");
}
void arch_nmi_isr(void) __attribute__((weak, alias("unexpected_exception")));
void arch_svc_isr(void) __attribute__((weak, alias("unexpected_exception")));
void arch_pendsv_isr(void) __attribute__((weak, alias("unexpected_exception")));
void arch_systick_isr(void) __attribute__((weak, alias("unexpected_exception")));

typedef void (*vector_t)(void);

__attribute__((section(".vectors"), used)) const vector_t arch_vectors[16 + PICA_BOARD_IRQS] = {
    [0] = (vector_t)__boot_stack_top,
    [1] = pica_reset,
    [2] = arch_nmi_isr,
    [3] = arch_fault_entry, /* HardFault */
    [4] = arch_fault_entry, /* MemManage */
    [5] = arch_fault_entry, /* BusFault */
    [6] = arch_fault_entry, /* UsageFault */
    [11] = arch_svc_isr,
    [12] = unexpected_exception, /* DebugMonitor */
    [14] = arch_pendsv_isr,
    [15] = arch_systick_isr,
    [16 ... 16 + ARCH_IRQ_LINES - 1] = arch_irq_entry,
#if PICA_BOARD_IRQS > ARCH_IRQ_LINES
    /* Lines the kernel's table cannot hold (PICA_CFG_IRQ_MAX). */
    [16 + ARCH_IRQ_LINES... 16 + PICA_BOARD_IRQS - 1] = unexpected_exception,
#endif
};

/* Runs on the boot stack with nothing initialised: no library calls and no
 * floating point until the FPU is on. */
__attribute__((section(".text.reset"), noreturn)) void
pica_reset(void)
{
    if (PICA_ARCH_HAS_FPU) {
        /* Full access to CP10/CP11; lazy stacking (the reset default) stays on. */
        SCB_CPACR |= 0xFu << 20;
        arch_barrier();
    }
    SCB_VTOR = (uint32_t)arch_vectors;

    for (uint32_t *src = __data_load, *dst = __data_start; dst < __data_end;) {
        *dst++ = *src++;
    }
    for (uint32_t *dst = __bss_start; dst < __bss_end;) {
        *dst++ = 0;
    }
    _set_tls(__tls_base);
    pica_start();
}

void
arch_reboot(void)
{
    /* AIRCR: the key in the upper half, SYSRESETREQ. */
    __asm volatile("cpsid i\n\tdsb" ::: "memory");
    *(volatile uint32_t *)0xE000ED0Cu = 0x05FA0004u;
    __asm volatile("dsb" ::: "memory");
    for (;;) {
    }
}
