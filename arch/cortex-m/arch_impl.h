/* SPDX-License-Identifier: MIT */
/* Inline half of the Cortex-M (v7-M / v7E-M) port: the BASEPRI critical
 * section, ISR detection and idle. Register map: arch/cortex-m/scb.h. */
#pragma once

/* switch.S needs the kernel's BASEPRI as a literal (checked in context.c). */
#define ARCH_BASEPRI_KERNEL_VALUE 0x20

#ifndef __ASSEMBLER__
#include <stdbool.h>
#include <stdint.h>

#include <pica/config.h>
#include <pica/thread.h>


/* External lines handed to the kernel (see arch_irq_lines()). */
#define ARCH_IRQ_LINES                                                                            \
    (PICA_BOARD_IRQS < PICA_CFG_IRQ_MAX ? PICA_BOARD_IRQS : PICA_CFG_IRQ_MAX)

/* Priorities use the top three bits of the 8-bit field, which every v7-M
 * part implements; logical priority p (0 = most urgent) is p << 5. */
#define ARCH_PRIO_SHIFT 5u
#define ARCH_PRIO_HW(p) ((uint32_t)(p) << ARCH_PRIO_SHIFT)
/* BASEPRI while the kernel holds its lock: masks every interrupt less urgent
 * than PICA_CFG_IRQ_PRIO_ZERO_LATENCY, which therefore never waits for the
 * kernel (and so must never call it). */
#define ARCH_BASEPRI_KERNEL ARCH_PRIO_HW(PICA_CFG_IRQ_PRIO_ZERO_LATENCY + 1)

#ifdef __ARM_FP
#define PICA_ARCH_HAS_FPU 1
#else
#define PICA_ARCH_HAS_FPU 0
#endif

struct arch_frame {
    /* The basic frame the CPU stacks on exception entry. */
    uint32_t r0, r1, r2, r3, r12, lr, pc, xpsr;
};

static inline unsigned
arch_irq_lock(void)
{
    unsigned key;
    __asm volatile("mrs %0, basepri" : "=r"(key));
    /* basepri_max only ever raises the mask, so nested locks are free. */
    __asm volatile("msr basepri_max, %0" ::"r"(ARCH_BASEPRI_KERNEL) : "memory");
    return key;
}

static inline void
arch_irq_unlock(unsigned key)
{
    __asm volatile("msr basepri, %0" ::"r"(key) : "memory");
}

/* Whether @key (from arch_irq_lock) means "was not locked". */
static inline bool
arch_irq_key_unlocked(unsigned key)
{
    return key == 0;
}

static inline bool
arch_in_isr(void)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    return ipsr != 0;
}

static inline void
arch_idle(void)
{
    __asm volatile("dsb\n\twfi" ::: "memory");
}

/* PMSAv7 MPU: every thread's stack guard is region 7 (the highest number
 * wins where regions overlap), loaded at each switch; see mpu.c. */
#define ARCH_HAS_STACK_GUARD 1

static inline void
arch_mpu_load(const struct pica_thread *next)
{
    /* RBAR with VALID set also selects the region, so two stores do it. */
    *(volatile uint32_t *)0xE000ED9Cu = next->arch_guard[0];
    *(volatile uint32_t *)0xE000EDA0u = next->arch_guard[1];
}

/* Pend an external line from software (NVIC STIR). */
static inline void
arch_irq_trigger(unsigned irq)
{
    *(volatile uint32_t *)0xE000EF00u = irq;
}

/* Pend PendSV (ICSR.PENDSVSET); inline since every wake-up may ask. */
static inline void
arch_switch_request(void)
{
    *(volatile uint32_t *)0xE000ED04u = 1u << 28;
}

static inline void
arch_barrier(void)
{
    __asm volatile("dsb\n\tisb" ::: "memory");
}
#endif /* __ASSEMBLER__ */
