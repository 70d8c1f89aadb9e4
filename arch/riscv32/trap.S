/* SPDX-License-Identifier: MIT */
/* Machine-mode trap entry and exit for RV32 (mtvec direct mode). Frames:
 * frame.h. An interrupt saves the caller frame only and calls its handler
 * (msip_dispatch, timer_dispatch, plic_dispatch) on the interrupt stack;
 * the callee-saved registers are saved only when the outermost trap leaves
 * with a switch pending. A fault saves everything (struct arch_frame) for
 * the report. An ecall from U-mode runs syscall_dispatch() on the thread's
 * privileged stack as thread code: interrupts on, not in an ISR, free to
 * block. The switch itself: switch.S.
 *
 * mscratch is 0 while the hart runs M-mode code and the top of the running
 * user thread's privileged stack while it runs U-mode code, so the first
 * instruction tells the two apart and swaps to a stack the kernel owns. */
#include "frame.h"

    /* User space's halves (kernel/syscall*.c, user_pmp.c) are linked only
     * into images that have processes; only a trap from U-mode, which no
     * other image sees, calls them. */
    .weak   syscall_dispatch
    .weak   pmp_thread_load
    .weak   arch_syscall_fast
    .weak   arch_user_resumed

    .macro SAVE_CALLER
    sw      ra, CF_RA(sp)
    sw      t0, CF_T0(sp)
    sw      t1, CF_T1(sp)
    sw      t2, CF_T2(sp)
    sw      a0, CF_A0(sp)
    sw      a1, CF_A1(sp)
    sw      a2, CF_A2(sp)
    sw      a3, CF_A3(sp)
    sw      a4, CF_A4(sp)
    sw      a5, CF_A5(sp)
    sw      a6, CF_A6(sp)
    sw      a7, CF_A7(sp)
    sw      t3, CF_T3(sp)
    sw      t4, CF_T4(sp)
    sw      t5, CF_T5(sp)
    sw      t6, CF_T6(sp)
    .endm

    .macro RESTORE_CALLER
    lw      ra, CF_RA(sp)
    lw      t0, CF_T0(sp)
    lw      t1, CF_T1(sp)
    lw      t2, CF_T2(sp)
    lw      a0, CF_A0(sp)
    lw      a1, CF_A1(sp)
    lw      a2, CF_A2(sp)
    lw      a3, CF_A3(sp)
    lw      a4, CF_A4(sp)
    lw      a5, CF_A5(sp)
    lw      a6, CF_A6(sp)
    lw      a7, CF_A7(sp)
    lw      t3, CF_T3(sp)
    lw      t4, CF_T4(sp)
    lw      t5, CF_T5(sp)
    lw      t6, CF_T6(sp)
    .endm

    /* Count one more trap level and call \handler (a register) with a0 as
     * it is, on the interrupt stack unless a trap is already running on it
     * (or the scheduler has not started: arch_irq_stack is 0 and the boot
     * stack is the current one). The frame's address goes with the call and
     * sp returns to it. Clobbers t0-t3 and everything a C call may. */
    .macro CALL_IN_TRAP handler
    lw      t1, arch_trap_state
    addi    t0, t1, TRAP_DEPTH_ONE
    sw      t0, arch_trap_state, t3
    mv      t3, sp
    srli    t1, t1, 1
    bnez    t1, 1f
    lw      t0, arch_irq_stack
    beqz    t0, 1f
    mv      sp, t0
1:  addi    sp, sp, -16
    sw      t3, 0(sp)
    jalr    \handler
    lw      sp, 0(sp)
    .endm

    .section .text.trap, "ax"
    .balign 4
    .globl  trap_entry
trap_entry:
    csrrw   sp, mscratch, sp
    bnez    sp, trap_from_user
    csrrw   sp, mscratch, zero          /* from M-mode: sp back, mscratch 0 */
    addi    sp, sp, -CF_SIZE
    SAVE_CALLER
    csrr    t0, mepc
    csrr    t1, mstatus
    csrr    t2, mcause
    sw      t0, CF_MEPC(sp)
    sw      t1, CF_MSTATUS(sp)
    bgez    t2, trap_exception

    /* An interrupt (t2 = mcause): its handler, the least rare first. */
trap_interrupt:
    slli    t2, t2, 1                   /* drop the interrupt bit */
    li      t0, 2 * 3                   /* machine software: lines and switches */
    la      a2, msip_dispatch
    beq     t2, t0, 1f
    li      t0, 2 * 7                   /* machine timer */
    la      a2, timer_dispatch
    beq     t2, t0, 1f
    li      t0, 2 * 11                  /* machine external: the PLIC */
    la      a2, plic_dispatch
    bne     t2, t0, trap_unexpected
1:  CALL_IN_TRAP a2

    /* Leave a trap whose caller frame is at sp: one level less, and the
     * switch if this was the outermost trap and one is pending. */
trap_leave:
    lw      t1, arch_trap_state
    addi    t1, t1, -TRAP_DEPTH_ONE
    sw      t1, arch_trap_state, t0
trap_check:                             /* t1 = arch_trap_state */
    addi    t1, t1, -TRAP_PENDING
    beqz    t1, trap_switch

    /* Restore the caller frame at sp and return where the trap came from
     * (a thread starts here too, switch.S). mstatus brings MPP and MPIE. */
    .globl  trap_return
trap_return:
    lw      t0, CF_MEPC(sp)
    lw      t1, CF_MSTATUS(sp)
    csrw    mepc, t0
    csrw    mstatus, t1
    slli    t1, t1, 19                  /* MPP's upper bit: 0 for U-mode */
    bgez    t1, trap_return_user
    RESTORE_CALLER
    addi    sp, sp, CF_SIZE
    mret

    /* Save the callee-saved registers below the caller frame; the thread
     * resumes at trap_return. */
trap_switch:
    sw      zero, arch_trap_state, t0
    addi    sp, sp, -SF_SIZE
    SAVE_CALLEE
    la      t0, trap_return
    sw      t0, SF_RESUME(sp)
    j       switch_to_next

    /* Back to a user thread: its caller frame lies right below the block
     * at the top of its privileged stack. The process's PMP entries and the
     * thread's stack guard are written only when the thread is not the one
     * they were last loaded for. */
trap_return_user:
    lw      a0, CF_SIZE + KTOP_THREAD(sp)
    lw      t0, arch_pmp_thread
    beq     a0, t0, 1f
    call    pmp_thread_load
1:  addi    t0, sp, CF_SIZE
    csrw    mscratch, t0
    RESTORE_CALLER
    lw      gp, CF_GP(sp)
    lw      tp, CF_TP(sp)
    lw      sp, CF_SP(sp)
    mret

    /* From U-mode: sp is the privileged stack's top block, mscratch the
     * user's sp. Save the user's sp, gp and tp too, and give kernel code
     * its own. */
trap_from_user:
    addi    sp, sp, -CF_SIZE
    SAVE_CALLER
    csrrw   t0, mscratch, zero
    sw      t0, CF_SP(sp)
    sw      gp, CF_GP(sp)
    sw      tp, CF_TP(sp)
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    lw      tp, CF_SIZE + KTOP_TP(sp)
    csrr    t0, mepc
    csrr    t1, mstatus
    csrr    t2, mcause
    sw      t0, CF_MEPC(sp)
    sw      t1, CF_MSTATUS(sp)
    bltz    t2, trap_interrupt
    li      t3, 8                       /* environment call from U-mode */
    bne     t2, t3, trap_exception

    /* A system call: arguments a0-a5, number a7, result in a0, resuming
     * after the ecall. It runs as the calling thread, at depth 0 with
     * interrupts on, on the privileged stack; register IPC (and later
     * numbers, which user.c sends back) first here, interrupts off. */
    addi    t0, t0, 4
    sw      t0, CF_MEPC(sp)
    li      t3, SYS_REGS_FIRST
    bgeu    a7, t3, trap_regs
trap_syscall:
    addi    sp, sp, -32                 /* struct syscall_args */
    sw      a0, 0(sp)
    sw      a1, 4(sp)
    sw      a2, 8(sp)
    sw      a3, 12(sp)
    sw      a4, 16(sp)
    sw      a5, 20(sp)
    sw      a7, 24(sp)
    mv      a0, sp
    csrsi   mstatus, MSTATUS_MIE_BIT
    call    syscall_dispatch
    csrci   mstatus, MSTATUS_MIE_BIT
    addi    sp, sp, 32
    sw      a0, CF_A0(sp)
    lw      t1, arch_trap_state
    j       trap_check

    /* Register IPC in the trap (user.c: arch_syscall_fast): its side below
     * the caller frame. 0: done, the outcome in the frame; 1: the thread
     * waits: switch away, to come back through trap_return_wait; 3: not
     * here, the arguments back from the frame for the usual way. */
trap_regs:
    addi    sp, sp, -RWAIT_SIZE
    addi    a0, sp, RWAIT_SIZE
    call    arch_syscall_fast
    bnez    a0, 1f
    addi    sp, sp, RWAIT_SIZE
    lw      t1, arch_trap_state
    j       trap_check
1:  li      t0, 3
    beq     a0, t0, 2f
    sw      zero, arch_trap_state, t0
    addi    sp, sp, -SF_SIZE
    SAVE_CALLEE
    la      t0, trap_return_wait
    sw      t0, SF_RESUME(sp)
    j       switch_to_next
2:  addi    sp, sp, RWAIT_SIZE
    lw      a0, CF_A0(sp)
    lw      a1, CF_A1(sp)
    lw      a2, CF_A2(sp)
    lw      a3, CF_A3(sp)
    lw      a4, CF_A4(sp)
    lw      a5, CF_A5(sp)
    lw      a7, CF_A7(sp)
    j       trap_syscall

    /* A thread that waited in register IPC runs again: its outcome into
     * its caller frame, then back to U-mode as from any trap. */
trap_return_wait:
    addi    a0, sp, RWAIT_SIZE
    call    arch_user_resumed
    /* Here directly where the outcome is in the frame already (user.c:
     * arch_user_wait_over). */
    .global trap_return_rwait
trap_return_rwait:
    addi    sp, sp, RWAIT_SIZE
    j       trap_return

    /* An exception (t2 = mcause, t1 = mstatus), or an interrupt no one
     * handles: save the rest, so the report has every register, and let
     * trap_fault() decide. It returns only when the faulting thread has
     * been ended and a switch asked for. */
trap_unexpected:
    csrr    t2, mcause
trap_exception:
    sw      t2, CF_MCAUSE(sp)
    csrr    t0, mtval
    sw      t0, CF_MTVAL(sp)
    lw      t1, CF_MSTATUS(sp)
    slli    t1, t1, 19
    bgez    t1, 1f                      /* U-mode: sp, gp, tp saved already */
    addi    t0, sp, CF_SIZE
    sw      t0, CF_SP(sp)
    sw      gp, CF_GP(sp)
    sw      tp, CF_TP(sp)
1:  addi    sp, sp, -SF_SIZE
    SAVE_CALLEE
    sw      zero, SF_RESUME(sp)
    mv      a0, sp
    la      a2, trap_fault
    CALL_IN_TRAP a2
    addi    sp, sp, SF_SIZE
    j       trap_leave
