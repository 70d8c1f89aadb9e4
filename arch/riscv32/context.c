/* SPDX-License-Identifier: MIT */
/* Thread frames and the first switch for RV32. A switched-out thread's sp
 * points at a switch frame (frame.h) whose SF_RESUME says where it resumes, so
 * a new thread is a switch frame resuming at trap_return over a caller
 * frame that "returns" to its entry: in M-mode for a kernel thread, in
 * U-mode on its user stack for a user thread, whose frames go on its
 * privileged stack instead. The switch itself: switch.S. */
#include <pica/proc.h>
#include <pica/thread.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "frame.h"
#include "riscv.h"

#define MSTATUS_MPIE (1u << 7)
#define MSTATUS_MPP_M (3u << 11)

/* Where trap.S runs handlers once the scheduler has started (the boot
 * stack's top; 0 before: a trap then stays on the boot stack it came from). */
uint32_t arch_irq_stack;
extern char __boot_stack_top[];

/* The user thread whose PMP entries are loaded (user_pmp.c, trap.S). */
const struct pica_thread *arch_pmp_thread;

void trap_return(void);
__attribute__((noreturn)) void switch_in(void *sp);

_Static_assert(sizeof(struct arch_frame) == SF_SIZE + CF_SIZE, "frame.h");
_Static_assert(offsetof(struct arch_frame, ra) == SF_SIZE + CF_RA, "frame.h");
_Static_assert(offsetof(struct arch_frame, a0) == SF_SIZE + CF_A0, "frame.h");
_Static_assert(offsetof(struct arch_frame, t3) == SF_SIZE + CF_T3, "frame.h");
_Static_assert(offsetof(struct arch_frame, mepc) == SF_SIZE + CF_MEPC, "frame.h");
_Static_assert(offsetof(struct arch_frame, sp) == SF_SIZE + CF_SP, "frame.h");
_Static_assert(offsetof(struct arch_frame, mtval) == SF_SIZE + CF_MTVAL, "frame.h");
_Static_assert(offsetof(struct arch_frame, s0) == SF_S0, "frame.h");
_Static_assert(offsetof(struct arch_frame, switch_tp) == SF_TP, "frame.h");

static uint32_t
kernel_gp(void)
{
    uint32_t gp;
    __asm volatile("mv %0, gp" : "=r"(gp));
    return gp;
}

void
arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                 bool user)
{
    /* The psABI keeps sp 16-byte aligned. */
    uintptr_t top = (uintptr_t)stack_top & ~(uintptr_t)15u;
    uintptr_t frames = top;
    if (user) {
        /* The block trap.S finds through mscratch, at the privileged
         * stack's top, then the frames below it. */
        const struct pica_thread_user *u = t->user;
        uintptr_t ktop = (uintptr_t)(u->kstack_base + u->kstack_size) & ~(uintptr_t)15u;
        uint32_t *block = (uint32_t *)(ktop - KTOP_SIZE);
        memset(block, 0, KTOP_SIZE);
        block[KTOP_TP / 4] = (uint32_t)(uintptr_t)t->tls;
        block[KTOP_THREAD / 4] = (uint32_t)(uintptr_t)t;
        frames = (uintptr_t)block;
        if (arch_pmp_thread == t) {
            arch_pmp_thread = NULL; /* made again: its guard may have moved */
        }
    }
    struct arch_frame *f = (struct arch_frame *)(frames - sizeof(struct arch_frame));
    memset(f, 0, sizeof(*f));
    f->resume = (uint32_t)(uintptr_t)trap_return;
    /* tp is the thread's own TLS block (picolibc's RISC-V ABI points it at
     * the block's start); for a user thread, that of kernel code in its
     * traps, as its user code keeps tp for itself. */
    f->switch_tp = (uint32_t)(uintptr_t)t->tls;
    f->mepc = (uint32_t)(uintptr_t)entry;
    f->a0 = (uint32_t)(uintptr_t)arg;
    if (user) {
        /* U-mode with interrupts on. Returning from @entry jumps to 0, a
         * fault: user code ends its threads by system call. gp is the
         * kernel's (harmless: it grants no access) and tp the user TLS
         * block if the kernel set one; user code may set tp itself. */
        f->mstatus = MSTATUS_MPIE;
        f->sp = (uint32_t)top;
        f->gp = kernel_gp();
        f->tp = t->user->tls;
    } else {
        /* M-mode with interrupts on; sp is the frame's top again once
         * trap_return pops it. */
        f->mstatus = MSTATUS_MPP_M | MSTATUS_MPIE;
        f->ra = (uint32_t)(uintptr_t)thread_return;
    }
    t->sp = f;
}

void
arch_sched_start(void *first_sp)
{
    __asm volatile("csrci mstatus, 8" ::: "memory");
    arch_irq_stack = (uint32_t)(uintptr_t)__boot_stack_top;
    switch_in(first_sp);
}

void
arch_thread_guard(struct pica_thread *t)
{
    uintptr_t g = ((uintptr_t)t->stack_base + PICA_STACK_GUARD_BYTES - 1u) &
                  ~(uintptr_t)(PICA_STACK_GUARD_BYTES - 1u);
    t->arch_guard[0] = (uint32_t)(g >> 2) | (PICA_STACK_GUARD_BYTES / 8u - 1u);
    t->arch_guard[1] = (uint32_t)g;
}

/* Only user threads have a guard the hardware enforces (user_pmp.c);
 * kernel threads' overflows are found by the canary check. */
bool
arch_guard_hit(const struct pica_thread *t, uint32_t addr)
{
    return t->proc != NULL && addr - t->arch_guard[1] < PICA_STACK_GUARD_BYTES;
}
