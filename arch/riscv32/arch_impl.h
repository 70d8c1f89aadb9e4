/* SPDX-License-Identifier: MIT */
/* Inline half of the RV32 port (machine mode): mstatus.MIE as the critical
 * section, ISR detection, switch requests and idle. Frames: frame.h. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define MSTATUS_MIE (1u << 3)

/* Every register of a trapped context, as the fault path saves it
 * (frame.h): the switch frame, then the caller frame above it. */
struct arch_frame {
    uint32_t resume, s0, s1, s2, s3, s4, s5, s6, s7, s8, s9, s10, s11, switch_tp, switch_ra, pad0;
    uint32_t switch_a[4];
    uint32_t ra, t0, t1, t2, a0, a1, a2, a3, a4, a5, a6, a7, t3, t4, t5, t6;
    uint32_t mepc, mstatus, sp, gp, tp, mcause, mtval, pad2;
};
#define ARCH_FRAME_WORDS 44

/* Bit 0: a switch is pending; the rest: twice the depth of trap nesting
 * (non-zero while a handler runs). trap.S keeps it. */
extern volatile uint32_t arch_trap_state;

static inline unsigned
arch_irq_lock(void)
{
    unsigned old;
    __asm volatile("csrrci %0, mstatus, %1" : "=r"(old) : "i"(MSTATUS_MIE) : "memory");
    return old & MSTATUS_MIE;
}

/* A thread that releases the lock with a switch pending switches here,
 * before interrupts are back on (switch.S). The switch is entered with t0
 * as its link register and keeps ra and a0-a3 itself, and the key is known
 * to be MSTATUS_MIE after it, so the code around a lock seldom needs a
 * callee-saved register across it: it stays a leaf without a frame. */
static inline void
arch_irq_unlock(unsigned key)
{
    if (key != 0 && __builtin_expect(arch_trap_state == 1u, 0)) {
        __asm volatile("call t0, arch_switch_thread\n\t"
                       "csrsi mstatus, %0"
                       :: "i"(MSTATUS_MIE)
                       : "t0", "t1", "t2", "t3", "t4", "t5", "t6", "a4", "a5", "a6", "a7",
                         "memory");
    } else {
        __asm volatile("csrs mstatus, %0" ::"r"(key) : "memory");
    }
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
    return arch_trap_state > 1u;
}

static inline void
arch_idle(void)
{
    __asm volatile("wfi" ::: "memory");
}

/* arch_irq_first_line() as a constant (PLIC source 0 means "no interrupt"), so the kernel's line
 * check is one compare where it is 0. */
#define ARCH_IRQ_FIRST_LINE 1u

/* PMP does not bind machine mode unless entries are locked for good, so
 * kernel threads get the canary check instead. A user thread's PMP entries
 * (its process's regions and its stack guard) are written on its way back
 * to U-mode (trap.S, pmp.c), so kernel threads' switches pay nothing. */
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

/* Ask for a switch: on the way out of the outermost trap in a handler, in
 * the arch_irq_unlock() that releases the kernel lock in a thread (the
 * kernel always asks with it held). One atomic OR, as a handler that opened
 * interrupts to more urgent ones may be interrupted in between. */
static inline void
arch_switch_request(void)
{
    __atomic_fetch_or(&arch_trap_state, 1u, __ATOMIC_RELAXED);
}

/* User threads run in U-mode with PMP (user_pmp.c, trap.S). */
#define ARCH_HAS_USER 1
/* Register IPC runs in the ecall trap (trap.S); a waiting call's side lies
 * this far below the top of the privileged stack: the top block and the
 * caller frame (frame.h: KTOP_SIZE + CF_SIZE, checked in user.c). */
#define ARCH_HAS_IPC_TRAP 1
#define ARCH_IPC_RWAIT_BELOW 112
struct pica_thread;
uint32_t *arch_user_wait_regs(const struct pica_thread *t);
void arch_user_wait_over(struct pica_thread *t);

/* RV32IMAC has no count-trailing-zeros instruction; Zbb brings one. */
#ifdef __riscv_zbb
#define ARCH_HAS_CTZ 1
#else
#define ARCH_HAS_CTZ 0
#endif

static inline void
arch_barrier(void)
{
    __asm volatile("fence iorw, iorw" ::: "memory");
}
