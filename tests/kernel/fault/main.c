/* SPDX-License-Identifier: MIT */
/* Deliberate faults. The faulting instruction carries a global label so the
 * app can print where the report must point; the runner compares the two.
 * FAULT_KIND_early faults in a constructor, before the kernel starts. */
#include <pica/pica.h>
#include <stdint.h>
#include <stdio.h>

/* An address with nothing behind it (no RAM, no device): a board whose
 * memory map has something there names another in its board.cmake. */
#ifdef PICA_BOARD_UNMAPPED_ADDR
#define UNMAPPED_ADDR PICA_BOARD_UNMAPPED_ADDR
#else
#define UNMAPPED_ADDR 0xF0000000u
#endif

extern const char fault_insn[];

static void
fault_now(void)
{
    printf("expect-fault pc=0x%08lx\n", (unsigned long)(uintptr_t)fault_insn);
    fflush(stdout);
#if defined(FAULT_KIND_load) || defined(FAULT_KIND_early)
    uint32_t value;
#if defined(__arm__)
    __asm volatile(".global fault_insn\nfault_insn: ldr %0, [%1]"
                   : "=r"(value)
                   : "r"(UNMAPPED_ADDR)
                   : "memory");
#else
    __asm volatile(".global fault_insn\nfault_insn: lw %0, 0(%1)"
                   : "=r"(value)
                   : "r"(UNMAPPED_ADDR)
                   : "memory");
#endif
    printf("not reached: read 0x%08lx\n", (unsigned long)value);
#elif defined(FAULT_KIND_undef)
#if defined(__arm__)
    __asm volatile(".global fault_insn\nfault_insn: udf #0" ::: "memory");
#else
    /* All-zero bits are defined to be an illegal instruction. */
    __asm volatile(".global fault_insn\nfault_insn: .2byte 0" ::: "memory");
#endif
    printf("not reached\n");
#endif
}

#if defined(FAULT_KIND_early)
/* Before the scheduler, before the console's interrupts: the report must
 * still reach the console. */
__attribute__((constructor)) static void
fault_in_constructor(void)
{
    fault_now();
}
#endif

int
main(void)
{
    fault_now();
    pica_exit(0);
}
