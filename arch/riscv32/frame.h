/* SPDX-License-Identifier: MIT */
/* Byte offsets of the RV32 port's stack frames, shared by trap.S, switch.S
 * and the C side (struct arch_frame in arch_impl.h is checked against them
 * in trap.c). Two frames, so that a trap saves only what it must:
 *   the caller frame (CF_*): what a C call may clobber (ra, t0-t6, a0-a7)
 *     and the trap CSRs; every trap saves it. The words from CF_SP on are
 *     filled only where they are needed: a trap from U-mode (its sp, gp, tp)
 *     and the fault path (all of them).
 *   the switch frame (SF_*): the callee-saved registers, the thread pointer
 *     and the address the switch resumes at (SF_RESUME); pushed only to switch
 *     threads, just below the caller frame when a trap switches, alone when
 *     a thread switches in arch_switch_thread(). A switched-out thread's
 *     saved sp always points at its switch frame.
 * A fault pushes the switch frame below the caller frame too, so the two
 * together are a struct arch_frame holding every register. */
#pragma once

#define CF_RA 0
#define CF_T0 4
#define CF_T1 8
#define CF_T2 12
#define CF_A0 16
#define CF_A1 20
#define CF_A2 24
#define CF_A3 28
#define CF_A4 32
#define CF_A5 36
#define CF_A6 40
#define CF_A7 44
#define CF_T3 48
#define CF_T4 52
#define CF_T5 56
#define CF_T6 60
#define CF_MEPC 64
#define CF_MSTATUS 68
#define CF_SP 72
#define CF_GP 76
#define CF_TP 80
#define CF_MCAUSE 84
#define CF_MTVAL 88
#define CF_SIZE 96 /* a multiple of 16: the psABI's stack alignment */

#define SF_RESUME 0
#define SF_S0 4 /* s0 .. s11 at SF_S0 + 4 * n */
#define SF_TP 52
#define SF_RA 56 /* a thread that switched itself out: its ra and a0-a3 */
#define SF_A0 64 /* a0 .. a3 at SF_A0 + 4 * n */
#define SF_SIZE 80

/* (SF_RA and SF_A0-3 let the code around arch_irq_unlock() keep its return
 * address and its first four argument registers across a switch, so that
 * it rarely needs callee-saved registers and a stack frame for them; the
 * switch from a trap leaves them unused.) */

/* A user thread's privileged stack starts with this block at its top, the
 * caller frame of its trap from U-mode right below; mscratch points at the
 * block while the thread runs in U-mode (0 while in M-mode). */
#define KTOP_TP 0     /* the thread pointer of kernel code in its traps */
#define KTOP_THREAD 4 /* its struct pica_thread */
#define KTOP_SIZE 16

/* arch_trap_state: bit 0 a switch is pending, the rest twice the depth of
 * trap nesting, so that "outermost trap with a switch pending" and "thread
 * with a switch pending" are each one compare. */
#define TRAP_PENDING 1
#define TRAP_DEPTH_ONE 2

#define MSTATUS_MIE_BIT 8

/* Register IPC run in the trap (trap.S, kernel/proc/syscall_ipc_regs.c):
 * its side of the exchange lies right below the caller frame while it
 * runs and while the thread waits in it (the switch frame below that). */
#define RWAIT_SIZE 64 /* IPC_RWAIT_ROOM (kernel/ipc_priv.h) */
#define SYS_REGS_FIRST 69 /* ep_callw: it and later numbers try the trap first */

#ifdef __ASSEMBLER__
/* The switch frame's registers (sp at the frame), stored by trap.S and
 * switch.S, loaded by switch.S: one list, so the two cannot disagree. */
    .macro SAVE_CALLEE
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
    .endm

    .macro LOAD_CALLEE
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
    .endm
#endif
