/* SPDX-License-Identifier: MIT */
/* A fault of a user thread in U-mode, decoded for user_fault() from the
 * full frame trap.S saved: the cause's name, the pc, and for access faults
 * the address (mtval) and what was tried. user_fault() ends the thread or
 * its process and asks for a switch, which trap.S takes on the way out.
 * Linked only into images with user space (cmake/pica.cmake). */
#include <stddef.h>
#include <stdint.h>

#include <pica/thread.h>

#include "arch.h"
#include "frame.h"
#include "riscv.h"
#include "sched.h"

/* The frame trap.S saved at the top of the privileged stack, below the
 * block mscratch points at: a0-a4 are contiguous there. */
uint32_t *
arch_user_regs(void)
{
    const struct pica_thread_user *u = sched.current->user;
    uintptr_t ktop = (uintptr_t)(u->kstack_base + u->kstack_size) & ~(uintptr_t)15u;
    return (uint32_t *)(ktop - KTOP_SIZE - CF_SIZE + CF_A0);
}

void arch_user_fault(struct arch_frame *f);
void
arch_user_fault(struct arch_frame *f)
{
    struct user_fault uf = {
        .kind = exception_name(f->mcause),
        .pc = f->mepc,
        .addr = f->mtval,
    };
    switch (f->mcause) {
    case 0: /* instruction address misaligned */
    case 1: /* instruction access fault */
        uf.access = 'x';
        uf.addr_known = true;
        break;
    case 4: /* load address misaligned */
    case 5: /* load access fault */
        uf.access = 'r';
        uf.addr_known = true;
        break;
    case 6: /* store/AMO address misaligned */
    case 7: /* store/AMO access fault */
        uf.access = 'w';
        uf.addr_known = true;
        break;
    default: /* illegal instruction (a CSR, mret), breakpoint, ...: mtval is no address */
        break;
    }
    user_fault(&uf, f);
}
