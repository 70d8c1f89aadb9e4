/* SPDX-License-Identifier: MIT */
/* Arm semihosting (BKPT 0xAB): the call itself, and the exit path that ends
 * a QEMU run with a status code. Boards call arch_semihost_exit() from
 * board_exit(); drivers/blk/semihost_blk.c keeps a host file as a disk. */
#include <stdint.h>

#include "semihost.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

uint32_t
arch_semihost_call(uint32_t op, void *arg)
{
    register uint32_t r0 __asm("r0") = op;
    register void *r1 __asm("r1") = arg;
    __asm volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

void
arch_semihost_exit(int code)
{
    uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
    arch_semihost_call(SYS_EXIT_EXTENDED, block);
    for (;;) {
        /* Not under a debugger or QEMU: nothing to return to. */
        __asm volatile("cpsid i\n\twfi");
    }
}
