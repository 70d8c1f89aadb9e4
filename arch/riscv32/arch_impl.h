/* SPDX-License-Identifier: MIT */
/* Inline half of the RV32 port (machine mode): mstatus.MIE as the critical
 * section, ISR detection and idle. Trap frame layout: arch/riscv32/trap.S. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MSTATUS_MIE (1u << 3)
#define MIP_MSIP (1u << 3) /* machine software interrupt pending */

/* Saved by trap.S on every trap, lowest address first. */
struct arch_frame {
    uint32_t ra, sp, gp, tp, t0, t1, t2, s0, s1, a0, a1, a2, a3, a4, a5, a6, a7;
    uint32_t s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, t3, t4, t5, t6;
    uint32_t mepc, mstatus, mcause, mtval;
    uint32_t pad; /* keeps the frame a multiple of 16 bytes (ABI stack alignment) */
};
#define ARCH_FRAME_WORDS 36

/* Depth of trap nesting; non-zero while a handler runs. */
extern volatile uint32_t arch_trap_depth;

static inline unsigned
arch_irq_lock(void)
{
    unsigned old;
    __asm volatile("csrrci %0, mstatus, %1" : "=r"(old) : "i"(MSTATUS_MIE) : "memory");
    return old & MSTATUS_MIE;
}

static inline void
arch_irq_unlock(unsigned key)
{
    __asm volatile("csrs mstatus, %0" ::"r"(key) : "memory");
}

/* Whether @key (from arch_irq_lock) means "was not locked". */
static inline bool
arch_irq_key_unlocked(unsigned key)
{
    return key != 0;
}

static inline bool
arch_in_isr(void)
{
    return arch_trap_depth != 0;
}

static inline void
arch_idle(void)
{
    __asm volatile("wfi" ::: "memory");
}

/* PMP does not bind machine mode unless entries are locked for good, so
 * kernel threads get the canary check instead (user threads: PMP). */
/* arch_irq_first_line() as a constant (PLIC source 0 means "no interrupt"), so the kernel's line
 * check is one compare where it is 0. */
#define ARCH_IRQ_FIRST_LINE 1u

#define ARCH_HAS_STACK_GUARD 0

struct pica_thread;
static inline void
arch_mpu_load(const struct pica_thread *next)
{
    (void)next;
}

/* tp is saved and restored with every context, and arch_thread_init() sets
 * it in the first frame: a switch has nothing more to do. */
static inline void
arch_tls_load(const struct pica_thread *next)
{
    (void)next;
}

/* Lines are pended in software and delivered through MSIP (plic.c). */
void plic_soft_trigger(unsigned irq);
static inline void
arch_irq_trigger(unsigned irq)
{
    plic_soft_trigger(irq);
}

extern volatile uint32_t arch_switch_pending;

/* Ask for a switch on the way out of the outermost trap; from a thread,
 * raise the machine software interrupt to get there. Inline since every
 * wake-up may ask.
 * The store to MSIP travels to the CLINT and back as mip.MSIP, and may be
 * posted. Setting mstatus.MIE makes the hart look at mip at once (privileged
 * spec, mip/mie: an explicit write to mstatus re-evaluates the interrupt
 * conditions), so once mip shows the request, the unlock that follows takes
 * the switch before it returns, as arch.h promises. With interrupts enabled
 * the trap may come first: the switch clears arch_switch_pending, and MSIP
 * may be clear again when this thread resumes, so stop waiting then. */
static inline void
arch_switch_request(void)
{
    arch_switch_pending = 1;
    if (arch_trap_depth == 0) {
        *(volatile uint32_t *)(PICA_CLINT_BASE + 0x0u) = 1; /* MSIP */
        uint32_t mip;
        __asm volatile("csrr %0, mip" : "=r"(mip)::"memory");
        while (__builtin_expect((mip & MIP_MSIP) == 0, 0) && arch_switch_pending != 0) {
            __asm volatile("csrr %0, mip" : "=r"(mip)::"memory");
        }
    }
}

static inline void
arch_barrier(void)
{
    __asm volatile("fence iorw, iorw" ::: "memory");
}
