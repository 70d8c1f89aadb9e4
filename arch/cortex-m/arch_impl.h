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
    /* Lowering BASEPRI lets a pending exception in only at the next context
     * synchronisation (ARMv7-M: raising needs none, lowering does), and the
     * core may have issued the following instructions already: the ISB
     * makes a switch requested under the lock happen before this returns,
     * as arch.h promises. */
    __asm volatile("msr basepri, %0\n\tisb" ::"r"(key) : "memory");
}

/* Whether @key (from arch_irq_lock) means "was not locked", and nothing
 * else masks the switch either: a thread may also have set PRIMASK. */
static inline bool
arch_irq_key_unlocked(unsigned key)
{
    uint32_t primask;
    __asm volatile("mrs %0, primask" : "=r"(primask));
    return key == 0 && primask == 0;
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
/* arch_irq_first_line() as a constant (NVIC lines start at 0), so the kernel's line
 * check is one compare where it is 0. */
#define ARCH_IRQ_FIRST_LINE 0u

#define ARCH_HAS_STACK_GUARD 1

/* User mode needs the vector table in RAM: PendSV's handler changes with
 * the running thread's mode (user.S). */
#define ARCH_HAS_USER PICA_CFG_IRQ_DIRECT
#define ARCH_HAS_IPC_TRAP ARCH_HAS_USER /* user.S: register IPC in the SVC handler */

#if ARCH_HAS_USER
/* Register IPC's fast path (arch.h): a thread waiting in the SVC handler
 * has its registers in the frame on its user stack (t->user->arch[0], the
 * stacked PSP, user.c), and its way back in the software frame at t->sp:
 * r4-r11, then the address its switch returns to (user.S). */
void arch_user_resume(void);
static inline uint32_t *
arch_user_wait_regs(const struct pica_thread *t)
{
    return (uint32_t *)(uintptr_t)t->user->arch[0];
}

static inline void
arch_user_wait_over(struct pica_thread *t)
{
    ((uint32_t *)t->sp)[8] = (uint32_t)(uintptr_t)arch_user_resume;
}
#endif

static inline void
arch_mpu_load(const struct pica_thread *next)
{
    /* RBAR with VALID set also selects the region, so RBAR then RASR (next
     * to it) in one store pair do it. */
    __asm volatile("strd %0, %1, [%2]" ::"r"(next->arch_guard[0]), "r"(next->arch_guard[1]),
                   "r"(0xE000ED9Cu)
                   : "memory");
}

/* picolibc's thread pointer on Arm M-profile: a variable, which its
 * __aeabi_read_tp returns (there is no TLS register), so it follows the
 * running thread. t->tls already holds the value to store. */
extern void *__tls;
static inline void
arch_tls_load(const struct pica_thread *next)
{
    __tls = next->tls;
}

/* Pend an external line from software (NVIC STIR). */
static inline void
arch_irq_trigger(unsigned irq)
{
    *(volatile uint32_t *)0xE000EF00u = irq;
}

/* Pend PendSV (ICSR.PENDSVSET); inline since every wake-up may ask. The
 * store may sit in a write buffer (Cortex-M7 has one): the DSB completes it,
 * so PendSV is pending by the time the unlock's ISB, or an exception return,
 * looks for it. */
static inline void
arch_switch_request(void)
{
    *(volatile uint32_t *)0xE000ED04u = 1u << 28;
    __asm volatile("dsb" ::: "memory");
}

#if defined(__ARM_FEATURE_LDREX) && (__ARM_FEATURE_LDREX & 4)
/* The fast paths' atomic operations without the interrupt mask: an
 * exclusive load/store pair, which fails and retries if any exception came
 * between the two (M profile clears the local monitor on exception entry
 * and return), so no interrupt or switch can interleave. Nothing but loads
 * between the pair. Every case these refuse is left to the caller, which
 * takes the kernel lock. Compiler barriers, like the lock. */
#define ARCH_HAS_ATOMIC_OPS 1

static inline uint32_t
arch_ldrex(uint32_t *p)
{
    uint32_t v;
    __asm volatile("ldrex %0, [%1]" : "=r"(v) : "r"(p) : "memory");
    return v;
}

/* 0 if the store happened, 1 if the reservation was lost. */
static inline uint32_t
arch_strex(uint32_t v, uint32_t *p)
{
    uint32_t failed;
    __asm volatile("strex %0, %1, [%2]" : "=&r"(failed) : "r"(v), "r"(p) : "memory");
    return failed;
}

static inline bool
arch_count_take(uint32_t *count)
{
    for (;;) {
        int32_t left = (int32_t)arch_ldrex(count) - 1;
        if (left < 0) {
            __asm volatile("clrex" ::: "memory");
            return false;
        }
        if (__builtin_expect(arch_strex((uint32_t)left, count) == 0, 1)) {
            return true;
        }
    }
}

static inline bool
arch_count_give(uint32_t *count, uint32_t max)
{
    for (;;) {
        uint32_t v = arch_ldrex(count);
        if (v >= max) {
            __asm volatile("clrex" ::: "memory");
            return false;
        }
        if (__builtin_expect(arch_strex(v + 1u, count) == 0, 1)) {
            return true;
        }
    }
}

static inline void *
arch_list_pop(void **head)
{
    for (;;) {
        void *node = (void *)arch_ldrex((uint32_t *)head);
        if (node == NULL) {
            __asm volatile("clrex" ::: "memory");
            return NULL;
        }
        /* Still on the list: any change to it would have taken an
         * exception, which makes the store below fail. */
        void *next = *(void *volatile *)node;
        if (__builtin_expect(arch_strex((uint32_t)next, (uint32_t *)head) == 0, 1)) {
            return node;
        }
    }
}
#endif

static inline void
arch_barrier(void)
{
    __asm volatile("dsb\n\tisb" ::: "memory");
}
#endif /* __ASSEMBLER__ */
