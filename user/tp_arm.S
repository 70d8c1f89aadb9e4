/* SPDX-License-Identifier: MIT */
/* Cortex-M: the thread pointer of a user thread, for compiled code's TLS
 * accesses (picolibc's errno). There is no register for it: the kernel
 * keeps the running thread's value in the process's word __pica_user_tp
 * (user/tls.c). Only r0 may change here (the run-time ABI's rule). */
    .syntax unified
    .thumb

    .section .text.__aeabi_read_tp, "ax"
    .global __aeabi_read_tp
    .type   __aeabi_read_tp, %function
__aeabi_read_tp:
    ldr     r0, =__pica_user_tp
    ldr     r0, [r0]
    bx      lr
    .size   __aeabi_read_tp, . - __aeabi_read_tp
