/* SPDX-License-Identifier: MIT */
/* The thread switch for RV32: save the callee-saved registers as a switch
 * frame (frame.h) on the outgoing stack, let sched_next() store that sp and
 * choose, load the incoming thread's switch frame and jump to its
 * SF_RESUME: back into its own arch_irq_unlock() if it switched itself out,
 * to trap_return (trap.S) if a trap switched it out or it has never run.
 * Interrupts are off throughout; sched_next() runs on the interrupt stack. */
#include "frame.h"

    .section .text.switch, "ax"
    .balign 4

    /* From arch_irq_unlock() in a thread that releases the kernel lock with
     * a switch pending, called through t0 (arch_impl.h): ra and the
     * a0-a3 and the callee-saved registers are saved, the rest the caller gave
 * up. */
    .globl  arch_switch_thread
arch_switch_thread:
    sw      zero, arch_trap_state, t1
    addi    sp, sp, -SF_SIZE
    sw      t0, SF_RESUME(sp)
    sw      ra, SF_RA(sp)
    sw      a0, SF_A0 + 0(sp)
    sw      a1, SF_A0 + 4(sp)
    sw      a2, SF_A0 + 8(sp)
    sw      a3, SF_A0 + 12(sp)
    sw      s0, SF_S0 + 0(sp)
    sw      s1, SF_S0 + 4(sp)
    sw      s2, SF_S0 + 8(sp)
    sw      s3, SF_S0 + 12(sp)
    sw      s4, SF_S0 + 16(sp)
    sw      s5, SF_S0 + 20(sp)
    sw      s6, SF_S0 + 24(sp)
    sw      s7, SF_S0 + 28(sp)
    sw      s8, SF_S0 + 32(sp)
    sw      s9, SF_S0 + 36(sp)
    sw      s10, SF_S0 + 40(sp)
    sw      s11, SF_S0 + 44(sp)
    sw      tp, SF_TP(sp)

    /* sp: the outgoing thread's switch frame. */
    .globl  switch_to_next
switch_to_next:
    mv      a0, sp
    la      sp, __boot_stack_top
    call    sched_next

    /* a0: the incoming thread's switch frame. */
    .globl  switch_in
switch_in:
    mv      sp, a0
    lw      t0, SF_RESUME(sp)
    lw      ra, SF_RA(sp)
    lw      a0, SF_A0 + 0(sp)
    lw      a1, SF_A0 + 4(sp)
    lw      a2, SF_A0 + 8(sp)
    lw      a3, SF_A0 + 12(sp)
    lw      s0, SF_S0 + 0(sp)
    lw      s1, SF_S0 + 4(sp)
    lw      s2, SF_S0 + 8(sp)
    lw      s3, SF_S0 + 12(sp)
    lw      s4, SF_S0 + 16(sp)
    lw      s5, SF_S0 + 20(sp)
    lw      s6, SF_S0 + 24(sp)
    lw      s7, SF_S0 + 28(sp)
    lw      s8, SF_S0 + 32(sp)
    lw      s9, SF_S0 + 36(sp)
    lw      s10, SF_S0 + 40(sp)
    lw      s11, SF_S0 + 44(sp)
    lw      tp, SF_TP(sp)
    addi    sp, sp, SF_SIZE
    jr      t0
