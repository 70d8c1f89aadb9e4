/* SPDX-License-Identifier: MIT */
/* Thread frames, first switch and switch requests for RV32 machine mode.
 * A switched-out thread's context is a struct arch_frame on its own stack,
 * exactly as trap.S saves it, so starting a thread means building one. */
#include <pica/thread.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "riscv.h"

#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP_M (3u << 11)


/* Set by arch_switch_request(), consumed on the way out of a trap. */
volatile uint32_t arch_switch_pending;

void trap_restore(void);

void
arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                 bool user)
{
    (void)user;
    /* The psABI keeps sp 16-byte aligned; the frame is 144 bytes. */
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15u;
    struct arch_frame *f = (struct arch_frame *)(top - sizeof(struct arch_frame));
    memset(f, 0, sizeof(*f));
    f->mepc = (uint32_t)(uintptr_t)entry;
    f->a0 = (uint32_t)(uintptr_t)arg;
    f->ra = (uint32_t)(uintptr_t)thread_return;
    f->sp = (uint32_t)top;
    /* Threads share the global pointer; tp is the thread's own TLS block
     * (picolibc's RISC-V ABI points it at the block's start), restored
     * with the rest of the frame at every switch. */
    __asm volatile("mv %0, gp" : "=r"(f->gp));
    f->tp = (uint32_t)(uintptr_t)t->tls;
    /* mret to machine mode with interrupts on. */
    f->mstatus = MSTATUS_MPP_M | MSTATUS_MPIE;
    t->sp = f;
}

void
arch_sched_start(void *first_sp)
{
    __asm volatile("csrci mstatus, 8\n\t"
                   "mv    sp, %0\n\t"
                   "j     trap_restore" ::"r"(first_sp)
                   : "memory");
    __builtin_unreachable();
}

void
arch_thread_guard(struct pica_thread *t)
{
    t->arch_guard[0] = 0;
    t->arch_guard[1] = 0;
}

bool
arch_guard_hit(const struct pica_thread *t, uint32_t addr)
{
    (void)t;
    (void)addr;
    return false;
}
