/* SPDX-License-Identifier: MIT */
/* Fault entry for Cortex-M: HardFault, MemManage, BusFault and UsageFault all
 * land here, find the stacked frame, name the fault from CFSR/HFSR and hand
 * it to the kernel's fault_handle() (kernel/panic.c). */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "arch.h"
#include "scb.h"

/* EXC_RETURN of the faulting exception: tells which stack held the frame and
 * whether an FP frame was stacked, which arch_frame_print needs for SP. */
static uint32_t fault_exc_return;

__attribute__((naked)) void
arch_fault_entry(void)
{
    __asm volatile("tst   lr, #4\n\t"
                   "ite   eq\n\t"
                   "mrseq r0, msp\n\t"
                   "mrsne r0, psp\n\t"
                   "mov   r1, lr\n\t"
                   "b     arch_fault_dispatch\n\t");
}

static const char *
fault_kind(uint32_t ipsr, uint32_t cfsr, uint32_t hfsr)
{
    if (!PICA_CFG_FAULT_TEXT) {
        /* The class from CFSR's three fields (one escalated to HardFault
         * keeps its bits); cfsr and hfsr follow in the report. */
        return (cfsr & 0xffu)     ? "memory management fault"
               : (cfsr & 0xff00u) ? "bus fault"
               : cfsr             ? "usage fault"
                                  : "hard fault";
    }
    static const struct {
        uint32_t bit;
        const char *text;
    } causes[] = {
        {1u << 0, "memory management fault: instruction access violation"},
        {1u << 1, "memory management fault: data access violation"},
        {1u << 3, "memory management fault: on exception return unstacking"},
        {1u << 4, "memory management fault: on exception entry stacking"},
        {1u << 5, "memory management fault: during lazy FP state preservation"},
        {1u << 8, "bus fault: instruction fetch"},
        {1u << 9, "bus fault: precise data access"},
        {1u << 10, "bus fault: imprecise data access"},
        {1u << 11, "bus fault: on exception return unstacking"},
        {1u << 12, "bus fault: on exception entry stacking"},
        {1u << 13, "bus fault: during lazy FP state preservation"},
        {1u << 16, "usage fault: undefined instruction"},
        {1u << 17, "usage fault: invalid state (Thumb bit clear)"},
        {1u << 18, "usage fault: invalid exception return"},
        {1u << 19, "usage fault: coprocessor access (FPU off?)"},
        {1u << 24, "usage fault: unaligned access"},
        {1u << 25, "usage fault: divide by zero"},
    };
    for (unsigned i = 0; i < sizeof(causes) / sizeof(causes[0]); i++) {
        if (cfsr & causes[i].bit) {
            return causes[i].text;
        }
    }
    if (hfsr & (1u << 1)) {
        return "hard fault: vector table read";
    }
    return ipsr == 3 ? "hard fault" : "fault with no cause recorded";
}

/* Where PendSV saves the context of a thread stopped by its stack guard:
 * its own stack pointer points into the guard. */
static uint64_t abandoned_stack[16];

#define CFSR_MM_DACCVIOL (1u << 1)
#define CFSR_MM_MSTKERR (1u << 4)
#define CFSR_MM_MLSPERR (1u << 5)
#define CFSR_MM_MMARVALID (1u << 7)
#define HFSR_FORCED (1u << 30)
#define EXC_RETURN_THREAD_PSP 0x4u
#define IPSR_HARDFAULT 3u
#define IPSR_MEMMANAGE 4u

extern const char arch_pendsv_isr[], arch_pendsv_isr_end[];
void arch_user_fault(struct arch_frame *f, const char *kind) __attribute__((weak)); /* user.c */

/* A thread ran into its stack guard: stop it and leave through PendSV.
 * Three ways in: the thread's own access (MemManage, or the HardFault it
 * escalates to when the thread masked every interrupt with PRIMASK), the
 * CPU stacking an exception frame onto it, or PendSV saving the rest of
 * its context there. Returns false if the fault is something else. */
static bool
stack_guard_fault(struct arch_frame *f, uint32_t ipsr, uint32_t exc_return)
{
    uint32_t cfsr = SCB_CFSR;
    bool escalated = ipsr == IPSR_HARDFAULT && (SCB_HFSR & HFSR_FORCED);
    if (ipsr != IPSR_MEMMANAGE && !escalated) {
        return false;
    }
    bool in_thread = (exc_return & EXC_RETURN_THREAD_PSP) != 0;
    bool in_switch = !in_thread && f->pc - (uint32_t)arch_pendsv_isr <
                                       (uint32_t)(arch_pendsv_isr_end - arch_pendsv_isr);
    if (!in_thread && !in_switch) {
        return false;
    }
    uint32_t addr;
    if (in_thread && (cfsr & (CFSR_MM_MSTKERR | CFSR_MM_MLSPERR))) {
        /* Stacking failed, so no address: the frame went just below PSP. */
        uint32_t psp;
        __asm volatile("mrs %0, psp" : "=r"(psp));
        addr = psp - 4u;
    } else if ((cfsr & (CFSR_MM_DACCVIOL | CFSR_MM_MMARVALID)) ==
               (CFSR_MM_DACCVIOL | CFSR_MM_MMARVALID)) {
        addr = SCB_MMFAR;
    } else {
        return false;
    }
    if (!thread_stack_fault(addr)) {
        return false;
    }
    SCB_CFSR = cfsr & 0xffu; /* the MemManage bits are write-one-to-clear */
    if (escalated) {
        SCB_HFSR = HFSR_FORCED;
    }
    /* The thread's interrupt masks (pica_irq_lock's BASEPRI, PRIMASK) are
     * not part of any other thread's state: they end with it, and the
     * switch it needs must not stay masked. */
    __asm volatile("msr basepri, %0\n\t"
                   "cpsie i" ::"r"(0u)
                   : "memory");
    /* PendSV is pending now and tail-chains from this return before the
     * thread's frame would be unstacked; it saves into the spare area. */
    __asm volatile("msr psp, %0" ::"r"(&abandoned_stack[16]) : "memory");
    if (in_switch) {
        /* PendSV itself hit the guard saving the thread: run it again from
         * its start, which now saves into the spare area. */
        f->pc = (uint32_t)arch_pendsv_isr & ~1u;
    }
    return true;
}

__attribute__((used)) void
arch_fault_dispatch(struct arch_frame *f, uint32_t exc_return)
{
    uint32_t ipsr;
    __asm volatile("mrs %0, ipsr" : "=r"(ipsr));
    ipsr &= 0x1ffu;
    uint32_t control;
    __asm volatile("mrs %0, control" : "=r"(control));
    if (ARCH_HAS_USER && arch_user_fault != NULL && (exc_return & EXC_RETURN_THREAD_PSP) &&
        (control & 1u)) {
        /* Thread mode without privilege: a user thread's own doing. */
        arch_user_fault(f, fault_kind(ipsr, SCB_CFSR, SCB_HFSR));
        return;
    }
    if (stack_guard_fault(f, ipsr, exc_return)) {
        return;
    }
    fault_exc_return = exc_return;
    fault_handle(f, fault_kind(ipsr, SCB_CFSR, SCB_HFSR));
}

void
arch_frame_print(const struct arch_frame *f)
{
    uint32_t cfsr = SCB_CFSR;
    if (f != NULL) {
        /* The frame is 8 words, 26 with an FP frame, plus one word of
         * padding when the CPU realigned the stack (xPSR bit 9). */
        uint32_t sp = (uint32_t)f + ((fault_exc_return & 0x10u) ? 32u : 104u);
        sp += (f->xpsr & (1u << 9)) ? 4u : 0u;
        printf("  pc=0x%08lx lr=0x%08lx sp=0x%08lx xpsr=0x%08lx (%s stack)\n",
               (unsigned long)f->pc, (unsigned long)f->lr, (unsigned long)sp,
               (unsigned long)f->xpsr, (fault_exc_return & 4u) ? "process" : "main");
        printf("  r0=0x%08lx r1=0x%08lx r2=0x%08lx r3=0x%08lx r12=0x%08lx\n",
               (unsigned long)f->r0, (unsigned long)f->r1, (unsigned long)f->r2,
               (unsigned long)f->r3, (unsigned long)f->r12);
    }
    printf("  cfsr=0x%08lx hfsr=0x%08lx", (unsigned long)cfsr, (unsigned long)SCB_HFSR);
    if (cfsr & (1u << 7)) {
        printf(" mmfar=0x%08lx", (unsigned long)SCB_MMFAR);
    }
    if (cfsr & (1u << 15)) {
        printf(" bfar=0x%08lx", (unsigned long)SCB_BFAR);
    }
    printf("\n");
}

bool
arch_frame_in_isr(const struct arch_frame *f)
{
    return (f->xpsr & 0x1ffu) != 0;
}
