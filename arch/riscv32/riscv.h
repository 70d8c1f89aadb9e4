/* SPDX-License-Identifier: MIT */
/* RV32 machine-mode constants and the port's private functions. */
#pragma once

#include <stdint.h>

#define MCAUSE_INTERRUPT 0x80000000u
#define IRQ_M_SOFT 3u
#define IRQ_M_TIMER 7u
#define IRQ_M_EXT 11u
#define MIE_MSIE (1u << IRQ_M_SOFT)
#define MIE_MTIE (1u << IRQ_M_TIMER)
#define MIE_MEIE (1u << IRQ_M_EXT)

#define RV_REG(addr) (*(volatile uint32_t *)(addr))

#ifndef PICA_PLIC_BASE
#error "board.cmake must define PICA_PLIC_BASE"
#endif
#ifndef PICA_CLINT_BASE
#error "board.cmake must define PICA_CLINT_BASE"
#endif

#define CLINT_MSIP RV_REG(PICA_CLINT_BASE + 0x0u)

void plic_dispatch(void);
void msip_dispatch(void);
void timer_dispatch(void);
/* The machine timer interrupt's work (clint.c), run by timer_dispatch(). */
void arch_timer_isr(void);

/* The user thread whose PMP entries are loaded (pmp.c); NULL forces a load. */
struct pica_thread;
extern const struct pica_thread *arch_pmp_thread;

/* The name of exception cause @code, for reports (trap.c). */
const char *exception_name(uint32_t code);
