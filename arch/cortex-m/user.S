/* SPDX-License-Identifier: MIT */
/* Cortex-M user mode: system call entry and exit (SVC), the switch away
 * from a thread running unprivileged code, and the way back into one.
 *
 * A thread in user mode runs in thread mode with CONTROL.nPRIV set, on its
 * user stack (PSP), which its process can write. The kernel never saves
 * its own state there, nor takes it back from there: while such a thread
 * runs, the PendSV vector is arch_pendsv_user, which keeps r4-r11 (and
 * s16-s31) on the thread's privileged stack and its PSP and EXC_RETURN in
 * the thread (user.c). The saved software frame's "EXC_RETURN" word is then
 * arch_user_resume, so the ordinary restore in switch.S branches there
 * instead of returning, and it re-enters user mode. Switches between
 * kernel threads never see any of this: their PendSV is unchanged.
 *
 * A system call (svc from user mode) moves the thread onto its privileged
 * stack in privileged thread mode, running arch_syscall_thread(); that
 * ends with svc from privileged thread mode, which returns to user mode
 * with the result in r0. */
#include "arch_impl.h"

/* The system calls user.c runs in the SVC handler: register IPC, numbers
 * SYS_REGS_FIRST to ep_recvw in kernel/proc/syscalls.def (checked in user.c);
 * one compare sends them and any later number there, and
 * arch_syscall_fast() sends the later ones back. */
#define SYS_REGS_FIRST 69   /* ep_callw */

    .syntax unified
    .thumb

    .section .text.arch_svc_isr, "ax"
    .global arch_svc_isr
    .type   arch_svc_isr, %function
arch_svc_isr:
    mrs     r0, control
    tst     r0, #1
    beq     1f
    /* From user mode: r4, r5 are arguments 4 and 5, r7 the number; the
     * rest is in the frame the CPU stacked on the user stack. */
    push    {r4, r5, r7, lr}
    cmp     r7, #SYS_REGS_FIRST     /* and up: arch_syscall_fast() tells */
    bhs     2f
0:  mov     r0, sp
    bl      arch_syscall_enter
    pop     {r4, r5, r7, lr}
    mvn     lr, #2                  /* 0xFFFFFFFD: thread mode, PSP, no FP frame */
    bx      lr
1:  /* From privileged thread mode: the end of a system call, or a kernel
     * thread's svc, which arch_syscall_leave() reports as a fault. */
    mrs     r0, psp
    push    {r4, lr}
    bl      arch_syscall_leave      /* r0: the user's EXC_RETURN */
    pop     {r4, lr}
    bx      r0
2:  /* Register IPC, run in this handler (user.c: arch_syscall_fast). */
    mov     r0, sp
    bl      arch_syscall_fast
    cmp     r0, #3
    beq     0b
    bhi     4f
    pop     {r4, r5, r7, lr}
    cbnz    r0, 3f
    bx      lr                      /* back to the caller, as it entered */
4:  /* The direct switch: the caller's r4-r11 to its software frame at r0,
     * with the way back a waiting call takes; the next thread's from r1,
     * and into user mode on the PSP arch_syscall_fast() loaded. */
    pop     {r4, r5, r7, lr}
    ldr     r12, =arch_user_resume_wait
    stmia   r0, {r4-r11, r12}
    ldmia   r1, {r4-r11}
    mvn     lr, #2                  /* 0xFFFFFFFD: thread mode, PSP, no FP frame */
    bx      lr
3:  /* Switch away from the caller, still in user mode, as
     * arch_pendsv_user does; a caller that waits comes back through
     * arch_user_resume_wait, which puts its outcome in its registers. */
    cmp     r0, #2
    ite     eq
    ldreq   r2, =arch_user_resume_wait
    ldrne   r2, =arch_user_resume
    push    {r2, lr}
    mrs     r0, psp
    mov     r1, lr
    bl      arch_user_leave         /* r0: the top of the thread's privileged stack */
    pop     {r2, lr}
#ifdef __ARM_FP
    tst     lr, #0x10
    it      eq
    vstmdbeq r0!, {s16-s31}
#endif
    mov     lr, r2
    stmdb   r0!, {r4-r11, lr}
    b       arch_pendsv_switch
    .size   arch_svc_isr, . - arch_svc_isr

/* PendSV while the running thread is in user mode. */
    .section .text.arch_pendsv_user, "ax"
    .global arch_pendsv_user
    .type   arch_pendsv_user, %function
arch_pendsv_user:
    push    {r4, lr}
    mrs     r0, psp
    mov     r1, lr
    bl      arch_user_leave         /* r0: the top of the thread's privileged stack */
    pop     {r4, lr}
#ifdef __ARM_FP
    tst     lr, #0x10
    it      eq
    vstmdbeq r0!, {s16-s31}
#endif
    /* An STM stores the lowest register lowest: the way back must be a
     * register above r11 to land where switch.S reloads lr from. */
    ldr     lr, =arch_user_resume
    stmdb   r0!, {r4-r11, lr}
    b       arch_pendsv_switch
    .size   arch_pendsv_user, . - arch_pendsv_user

/* Reached from switch.S's restore by "bx lr" with the address below in lr,
 * in handler mode, r4-r11 already restored and PSP just past them on the
 * privileged stack (where s16-s31 are, if the thread had an FP context).
 * switch.S restores s16-s31 itself when bit 4 of that word is clear, so
 * this address keeps bit 4 set. */
    .section .text.arch_user_resume, "ax"
    .balign 32
    .space  16
    .global arch_user_resume
    .type   arch_user_resume, %function
arch_user_resume:
    mrs     r0, psp
    push    {r0, lr}
    bl      arch_user_enter         /* r0: EXC_RETURN into user mode */
    pop     {r1, r2}
#ifdef __ARM_FP
    tst     r0, #0x10
    it      eq
    vldmiaeq r1!, {s16-s31}
#endif
    bx      r0
    .size   arch_user_resume, . - arch_user_resume

/* arch_user_resume for a thread that waited in register IPC (above) whose
 * outcome is not in its registers yet: it goes there first. The same
 * alignment, for the same reason. */
    .section .text.arch_user_resume_wait, "ax"
    .balign 32
    .space  16
    .global arch_user_resume_wait
    .type   arch_user_resume_wait, %function
arch_user_resume_wait:
    bl      arch_user_wait_resumed
    b       arch_user_resume
    .size   arch_user_resume_wait, . - arch_user_resume_wait

/* arch_mpu_load_pairs(pairs): regions 0..6 from seven RBAR/RASR pairs
 * (user.c: arch_proc_regions() lays them out, "off" for those unused).
 * RBAR with VALID selects its region, and RBAR and RASR have three aliases
 * after them (RBAR_A1, RASR_A1, ... RASR_A3): four pairs are eight
 * consecutive words, one load and one store multiple. */
    .section .text.arch_mpu_load_pairs, "ax"
    .global arch_mpu_load_pairs
    .type   arch_mpu_load_pairs, %function
arch_mpu_load_pairs:
    push    {r4-r9}
    ldr     r1, =0xE000ED9C         /* MPU_RBAR */
    ldmia   r0!, {r2-r9}
    stmia   r1, {r2-r9}
    ldmia   r0, {r2-r7}
    stmia   r1, {r2-r7}
    pop     {r4-r9}
    bx      lr
    .size   arch_mpu_load_pairs, . - arch_mpu_load_pairs
