/* SPDX-License-Identifier: MIT */
/* Reset for RV32 in machine mode. QEMU's MROM jumps here with a0 = hart id.
 * Hart 0 sets gp, the boot stack and the trap vector, copies .data, zeroes
 * .bss and calls arch_start() (arch/riscv32/trap.c); other harts park. */
    .section .text.reset, "ax"
    .globl pica_reset
pica_reset:
    .option push
    .option norelax
    la      gp, __global_pointer$
    .option pop
    csrw    mie, zero
    csrci   mstatus, 8
    csrr    t0, mhartid
    bnez    t0, park
    la      sp, __boot_stack_top
    la      t0, trap_entry
    csrw    mtvec, t0

    /* .data (with .tdata) from its load address */
    la      t0, __data_load
    la      t1, __data_start
    la      t2, __data_end
1:  bgeu    t1, t2, 2f
    lw      t3, 0(t0)
    sw      t3, 0(t1)
    addi    t0, t0, 4
    addi    t1, t1, 4
    j       1b
    /* .bss (with .tbss) */
2:  la      t1, __bss_start
    la      t2, __bss_end
3:  bgeu    t1, t2, 4f
    sw      zero, 0(t1)
    addi    t1, t1, 4
    j       3b
4:  call    arch_start
park:
    wfi
    j       park
