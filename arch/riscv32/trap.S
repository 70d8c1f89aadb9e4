/* SPDX-License-Identifier: MIT */
/* Machine-mode trap entry for RV32 (mtvec direct mode). Every trap saves the
 * whole integer state as a struct arch_frame on the current stack, so a fault
 * report can show any register, then calls trap_dispatch(frame) in trap.c.
 * The same frame is a switched-out thread's saved context: a context switch
 * happens on the way out of the outermost trap (see arch_switch_request).
 *
 *   sp+0   ra  sp  gp  tp  t0  t1  t2  s0  s1        (words 0-8)
 *   sp+36  a0 .. a7                                  (words 9-16)
 *   sp+68  s2 .. s11  t3 .. t6                       (words 17-30)
 *   sp+124 mepc mstatus mcause mtval                 (words 31-34, 35 pad)
 */
    .equ    FRAME, 144

    .section .text.trap, "ax"
    .balign 4
    .globl  trap_entry
trap_entry:
    addi    sp, sp, -FRAME
    sw      ra, 0(sp)
    sw      gp, 8(sp)
    sw      tp, 12(sp)
    sw      t0, 16(sp)
    sw      t1, 20(sp)
    sw      t2, 24(sp)
    sw      s0, 28(sp)
    sw      s1, 32(sp)
    sw      a0, 36(sp)
    sw      a1, 40(sp)
    sw      a2, 44(sp)
    sw      a3, 48(sp)
    sw      a4, 52(sp)
    sw      a5, 56(sp)
    sw      a6, 60(sp)
    sw      a7, 64(sp)
    sw      s2, 68(sp)
    sw      s3, 72(sp)
    sw      s4, 76(sp)
    sw      s5, 80(sp)
    sw      s6, 84(sp)
    sw      s7, 88(sp)
    sw      s8, 92(sp)
    sw      s9, 96(sp)
    sw      s10, 100(sp)
    sw      s11, 104(sp)
    sw      t3, 108(sp)
    sw      t4, 112(sp)
    sw      t5, 116(sp)
    sw      t6, 120(sp)
    /* the interrupted sp, and the trap CSRs */
    addi    t0, sp, FRAME
    sw      t0, 4(sp)
    csrr    t0, mepc
    sw      t0, 124(sp)
    csrr    t0, mstatus
    sw      t0, 128(sp)
    csrr    t0, mcause
    sw      t0, 132(sp)
    csrr    t0, mtval
    sw      t0, 136(sp)

    /* Interrupts and exceptions run on the interrupt stack (the boot
     * stack's top), so thread stacks only need room for this frame. */
    la      t0, arch_trap_depth
    lw      t1, 0(t0)
    addi    t2, t1, 1
    sw      t2, 0(t0)
    mv      a0, sp
    mv      s0, sp
    bnez    t1, 1f
    /* Before the first thread runs, the trap came from the boot stack
     * itself: stay below the frame just saved. */
    la      t0, __boot_stack_bottom
    bltu    sp, t0, 2f
    la      t0, __boot_stack_top
    bltu    sp, t0, 1f
2:  la      sp, __boot_stack_top
1:  call    trap_dispatch
    mv      sp, s0
    la      t0, arch_trap_depth
    lw      t1, 0(t0)
    addi    t1, t1, -1
    sw      t1, 0(t0)

    /* Leaving the outermost trap with a switch requested: the frame just
     * saved is the outgoing thread's context; sched_next() stores its sp and
     * returns the incoming thread's, whose frame is restored below. */
    bnez    t1, trap_restore
    la      t0, arch_switch_pending
    lw      t1, 0(t0)
    beqz    t1, trap_restore
    sw      zero, 0(t0)
    mv      a0, sp
    la      sp, __boot_stack_top
    call    sched_next
    mv      sp, a0

    .globl  trap_restore
trap_restore:
    /* mstatus carries MPIE/MPP, so mret restores the interrupted state */
    lw      t0, 124(sp)
    csrw    mepc, t0
    lw      t0, 128(sp)
    csrw    mstatus, t0
    lw      ra, 0(sp)
    lw      gp, 8(sp)
    lw      tp, 12(sp)
    lw      t0, 16(sp)
    lw      t1, 20(sp)
    lw      t2, 24(sp)
    lw      s0, 28(sp)
    lw      s1, 32(sp)
    lw      a0, 36(sp)
    lw      a1, 40(sp)
    lw      a2, 44(sp)
    lw      a3, 48(sp)
    lw      a4, 52(sp)
    lw      a5, 56(sp)
    lw      a6, 60(sp)
    lw      a7, 64(sp)
    lw      s2, 68(sp)
    lw      s3, 72(sp)
    lw      s4, 76(sp)
    lw      s5, 80(sp)
    lw      s6, 84(sp)
    lw      s7, 88(sp)
    lw      s8, 92(sp)
    lw      s9, 96(sp)
    lw      s10, 100(sp)
    lw      s11, 104(sp)
    lw      t3, 108(sp)
    lw      t4, 112(sp)
    lw      t5, 116(sp)
    lw      t6, 120(sp)
    addi    sp, sp, FRAME
    mret
