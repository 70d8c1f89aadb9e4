/* SPDX-License-Identifier: MIT */
/* RISC-V semihosting: the call, and the exit path of boards that have no
 * finisher device (sifive_e). The call is an ebreak between two marker instructions
 * (slli x0,x0,0x1f / srai x0,x0,7), all three uncompressed and in one
 * page, with the operation in a0 and its argument block in a1. */
#include <stdint.h>

#include "semihost.h"

#define SYS_EXIT_EXTENDED 0x20u
#define ADP_STOPPED_APPLICATION_EXIT 0x20026u

uint32_t
arch_semihost_call(uint32_t op, void *arg)
{
    register uint32_t a0 __asm("a0") = op;
    register void *a1 __asm("a1") = arg;
    __asm volatile(".option push\n\t"
                   ".option norvc\n\t"
                   ".balign 16\n\t"
                   "slli x0, x0, 0x1f\n\t"
                   "ebreak\n\t"
                   "srai x0, x0, 7\n\t"
                   ".option pop"
                   : "+r"(a0)
                   : "r"(a1)
                   : "memory");
    return a0;
}

void
arch_semihost_exit(int code)
{
    /* Without a semihosting host the ebreak traps (a breakpoint fault) and
     * the fault report calls board_exit() again: try only once. */
    static volatile int tried;
    __asm volatile("csrci mstatus, 8");
    if (!tried) {
        tried = 1;
        uint32_t block[2] = {ADP_STOPPED_APPLICATION_EXIT, (uint32_t)code};
        arch_semihost_call(SYS_EXIT_EXTENDED, block);
    }
    for (;;) {
        __asm volatile("wfi");
    }
}
