/* SPDX-License-Identifier: MIT */
/* Cortex-M context switch in PendSV (the least urgent exception, so it runs
 * only when no other handler is active). The CPU has already stacked the
 * hardware frame on the thread's PSP; this saves the rest below it:
 *
 *   high  xPSR PC LR R12 R3 R2 R1 R0      hardware frame (8 words)
 *         [S16-S31]                       only if the thread used the FPU
 *         EXC_RETURN R11..R4              software frame (9 words)
 *   low   <- thread->sp
 *
 * EXC_RETURN bit 4 clear means the thread has an FP context: its S0-S15 are
 * stacked lazily by the CPU and S16-S31 here, so threads that never touch the
 * FPU pay nothing (lazy FPU context). The choice of thread is sched_next()'s. */
#include "arch_impl.h"

    .syntax unified
    .thumb

    .section .text.arch_pendsv_isr, "ax"
    .global arch_pendsv_isr
    .type   arch_pendsv_isr, %function
arch_pendsv_isr:
    mrs     r0, psp
#ifdef __ARM_FP
    tst     lr, #0x10
    it      eq
    vstmdbeq r0!, {s16-s31}
#endif
    stmdb   r0!, {r4-r11, lr}
    /* user.S's PendSV for a thread in user mode joins here with the
     * outgoing context saved on that thread's privileged stack */
    .global arch_pendsv_switch
arch_pendsv_switch:
    /* the kernel lock, as arch_irq_lock() takes it */
    movs    r1, #ARCH_BASEPRI_KERNEL_VALUE
    msr     basepri, r1
    bl      sched_next              /* r0: outgoing sp in, incoming sp out */
    movs    r1, #0
    msr     basepri, r1
    ldmia   r0!, {r4-r11, lr}
#ifdef __ARM_FP
    tst     lr, #0x10
    it      eq
    vldmiaeq r0!, {s16-s31}
#endif
    msr     psp, r0
    bx      lr
    /* fault.c tells a stack overflow during the save by this range */
    .global arch_pendsv_isr_end
arch_pendsv_isr_end:
    .size   arch_pendsv_isr, . - arch_pendsv_isr

/* arch_sched_start(first_sp): leave the boot context for the first thread.
 * MSP is reset to the top of the boot stack (it serves interrupts from now
 * on), thread mode moves to PSP, and the first thread's frame is unstacked
 * by hand since there is no exception to return from. */
    .section .text.arch_sched_start, "ax"
    .global arch_sched_start
    .type   arch_sched_start, %function
arch_sched_start:
    ldr     r1, =__boot_stack_top
    msr     msp, r1
    ldmia   r0!, {r4-r11, lr}       /* initial software frame; lr unused */
    msr     psp, r0
    movs    r1, #2                  /* SPSEL=1: thread mode on PSP; FPCA=0 */
    msr     control, r1
    isb
    ldr     r0, [sp, #0]            /* r0: the entry's argument */
    ldr     lr, [sp, #20]           /* lr: thread_return */
    ldr     r1, [sp, #24]           /* entry point */
    orr     r1, r1, #1              /* the frame holds it without the Thumb bit */
    add     sp, sp, #32
    movs    r2, #0                  /* drop the lock sched_start took */
    msr     basepri, r2
    cpsie   i
    bx      r1
    .size   arch_sched_start, . - arch_sched_start

/* arch_call_on_stack(fn, arg, stack_top): fn(arg) on another stack. r4
 * keeps the caller's sp across the call (callee-saved, so fn preserves it);
 * pushing it with lr keeps the caller's stack 8-byte aligned. */
    .section .text.arch_call_on_stack, "ax"
    .global arch_call_on_stack
    .type   arch_call_on_stack, %function
arch_call_on_stack:
    push    {r4, lr}
    mov     r4, sp
    mov     sp, r2
    mov     r3, r0
    mov     r0, r1
    blx     r3
    mov     sp, r4
    pop     {r4, pc}
    .size   arch_call_on_stack, . - arch_call_on_stack
