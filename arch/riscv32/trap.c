/* SPDX-License-Identifier: MIT */
/* C side of the RV32 machine-mode port: the first C code after reset, the
 * fault path (kernel faults to fault_handle(), user faults to user_fault())
 * and the register dump of a fault report. Interrupts go from trap.S
 * straight to their handlers. Entry assembly: start.S, trap.S. */
#include <pica/config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arch.h"
#include "riscv.h"

_Static_assert(sizeof(struct arch_frame) == ARCH_FRAME_WORDS * 4, "frame.h");

volatile uint32_t arch_trap_state;

extern uint32_t __tls_base[];
extern void _set_tls(void *tls);

__attribute__((noreturn)) void
arch_start(void)
{
    _set_tls(__tls_base);
    pica_start();
}

const char *
exception_name(uint32_t code)
{
    if (!PICA_CFG_FAULT_TEXT) {
        return "exception (see mcause)";
    }
    static const char *const names[] = {
        "instruction address misaligned", "instruction access fault",
        "illegal instruction",            "breakpoint",
        "load address misaligned",        "load access fault",
        "store/AMO address misaligned",   "store/AMO access fault",
        "environment call from U-mode",   "environment call from S-mode",
        "reserved exception",             "environment call from M-mode",
        "instruction page fault",         "load page fault",
        "reserved exception",             "store/AMO page fault",
    };
    return code < sizeof(names) / sizeof(names[0]) ? names[code] : "unknown exception";
}

#define MSTATUS_MPP (3u << 11)

/* A fault in U-mode (user.c, linked with user space). */
void arch_user_fault(struct arch_frame *f) __attribute__((weak));

/* An exception, or an interrupt no handler claims, with every register in
 * @f (trap.S). A user thread's fault ends it and returns, the switch
 * pending; anything else stops the system. */
void
trap_fault(struct arch_frame *f)
{
    bool interrupt = (f->mcause & MCAUSE_INTERRUPT) != 0;
    if (!interrupt && (f->mstatus & MSTATUS_MPP) == 0 && arch_user_fault != NULL) {
        arch_user_fault(f);
        return;
    }
    fault_handle(f, interrupt ? "unexpected interrupt" : exception_name(f->mcause));
}

void
arch_frame_print(const struct arch_frame *f)
{
    if (f == NULL) {
        return;
    }
    printf("  pc=0x%08lx ra=0x%08lx sp=0x%08lx gp=0x%08lx tp=0x%08lx\n",
           (unsigned long)f->mepc, (unsigned long)f->ra, (unsigned long)f->sp,
           (unsigned long)f->gp, (unsigned long)f->tp);
    printf("  mcause=0x%08lx mtval=0x%08lx mstatus=0x%08lx\n", (unsigned long)f->mcause,
           (unsigned long)f->mtval, (unsigned long)f->mstatus);
    printf("  a0=0x%08lx a1=0x%08lx a2=0x%08lx a3=0x%08lx s0=0x%08lx s1=0x%08lx\n",
           (unsigned long)f->a0, (unsigned long)f->a1, (unsigned long)f->a2,
           (unsigned long)f->a3, (unsigned long)f->s0, (unsigned long)f->s1);
}

bool
arch_frame_in_isr(const struct arch_frame *f)
{
    /* The trap being reported is one level; any more means it hit a handler. */
    (void)f;
    return arch_trap_state >> 1 > 1u;
}

void
arch_halt(void)
{
    __asm volatile("csrci mstatus, 8" ::: "memory");
    for (;;) {
        __asm volatile("wfi");
    }
}

void pica_reset(void);

void
arch_reboot(void)
{
    __asm volatile("csrci mstatus, 8\n\tcsrw mie, zero" ::: "memory");
    CLINT_MSIP = 0;
    pica_reset();
    for (;;) {
    }
}
