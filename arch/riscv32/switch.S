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
    SAVE_CALLEE

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
    LOAD_CALLEE
    addi    sp, sp, SF_SIZE
    jr      t0

/* arch_call_on_stack(fn, arg, stack_top): fn(arg) on another stack. s0
 * keeps the caller's sp across the call (callee-saved, so fn preserves it). */
    .section .text.arch_call_on_stack, "ax"
    .globl  arch_call_on_stack
arch_call_on_stack:
    addi    sp, sp, -16
    sw      ra, 12(sp)
    sw      s0, 8(sp)
    mv      s0, sp
    mv      sp, a2
    mv      t0, a0
    mv      a0, a1
    jalr    t0
    mv      sp, s0
    lw      s0, 8(sp)
    lw      ra, 12(sp)
    addi    sp, sp, 16
    ret
