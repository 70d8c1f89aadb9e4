/* SPDX-License-Identifier: MIT */
/* A fault of a user thread in U-mode, decoded for user_fault() from the
 * full frame trap.S saved: the cause's name, the pc, and for access faults
 * the address (mtval) and what was tried. user_fault() ends the thread or
 * its process and asks for a switch, which trap.S takes on the way out.
 * Linked only into images with user space (cmake/pica.cmake). */
#include <stddef.h>
#include <stdint.h>

#include <pica/tap.h>
#include <pica/thread.h>

#include "arch.h"
#include "frame.h"
#include "riscv.h"
#include "sched.h"
#include "syscall_handlers.h"

_Static_assert(ARCH_IPC_RWAIT_BELOW == KTOP_SIZE + CF_SIZE, "arch_impl.h: the caller frame's end");
_Static_assert(SYS_REGS_FIRST == SYSCALL_NR_EP_CALLW, "frame.h: the first register IPC call");

/* An ecall of register IPC or a later number from U-mode (trap.S), in the
 * trap with interrupts off, @frame its caller frame. Returns 0 (done),
 * IPC_BLOCKED (1: switch away) or 3 (a later number, or a syscall tap is
 * set, which may block: the usual way). */
uint32_t arch_syscall_fast(uint32_t *frame);
uint32_t
arch_syscall_fast(uint32_t *frame)
{
    uint32_t nr = frame[CF_A7 / 4];
    if (nr > SYSCALL_NR_EP_RECVW || pica_taps.syscall != NULL) {
        return 3;
    }
    return (uint32_t)ipc_regs_trap(nr, &frame[CF_A0 / 4], frame[CF_A5 / 4]);
}

/* trap.S: a thread that waited in register IPC is on its way back. */
void arch_user_resumed(uint32_t *frame);
void
arch_user_resumed(uint32_t *frame)
{
    ipc_regs_resumed(&frame[CF_A0 / 4]);
}

/* The frame trap.S saved at the top of the privileged stack, below the
 * block mscratch points at: a0-a4 are contiguous there. */
uint32_t *
arch_user_regs(void)
{
    const struct pica_thread_user *u = sched.current->user;
    uintptr_t ktop = (uintptr_t)(u->kstack_base + u->kstack_size) & ~(uintptr_t)15u;
    return (uint32_t *)(ktop - KTOP_SIZE - CF_SIZE + CF_A0);
}

/* Register IPC's fast path (arch.h): the caller frame of @t, waiting in
 * the trap, and its way back once the outcome is there. Its switch frame
 * lies below the side below that frame. */
uint32_t *
arch_user_wait_regs(const struct pica_thread *t)
{
    const struct pica_thread_user *u = t->user;
    uintptr_t ktop = (uintptr_t)(u->kstack_base + u->kstack_size) & ~(uintptr_t)15u;
    return (uint32_t *)(ktop - KTOP_SIZE - CF_SIZE + CF_A0);
}

void trap_return_rwait(void);
void
arch_user_wait_over(struct pica_thread *t)
{
    ((uint32_t *)t->sp)[SF_RESUME / 4] = (uint32_t)(uintptr_t)trap_return_rwait;
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
