/* SPDX-License-Identifier: MIT */
/* C side of the RV32 machine-mode port: the first C code after reset, trap
 * decoding (interrupts to kernel/irq.c, exceptions to fault_handle()) and the
 * register dump of a fault report. Entry assembly: start.S, trap.S. */
#include <pica/config.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "arch.h"
#include "riscv.h"

void arch_timer_isr(void);

_Static_assert(sizeof(struct arch_frame) == ARCH_FRAME_WORDS * 4, "trap.S frame layout");
_Static_assert(offsetof(struct arch_frame, mepc) == 124, "trap.S frame layout");

volatile uint32_t arch_trap_depth;

extern uint32_t __tls_base[];
extern void _set_tls(void *tls);

__attribute__((noreturn)) void
arch_start(void)
{
    _set_tls(__tls_base);
    pica_start();
}

static const char *
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

void
trap_dispatch(struct arch_frame *f)
{
    if (f->mcause & MCAUSE_INTERRUPT) {
        switch (f->mcause & ~MCAUSE_INTERRUPT) {
        case IRQ_M_EXT:
            plic_dispatch();
            return;
        case IRQ_M_SOFT:
            msip_dispatch();
            return;
        case IRQ_M_TIMER:
            arch_timer_isr();
            return;
        default:
            fault_handle(f, "unexpected interrupt");
        }
    }
    fault_handle(f, exception_name(f->mcause));
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
    return arch_trap_depth > 1;
}

void
arch_halt(void)
{
    __asm volatile("csrci mstatus, 8" ::: "memory");
    for (;;) {
        __asm volatile("wfi");
    }
}
