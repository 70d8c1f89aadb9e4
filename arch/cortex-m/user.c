/* SPDX-License-Identifier: MIT */
/* Cortex-M user mode, C half (the entry points are in user.S): user thread
 * frames, system call entry and exit, the switch into and out of user
 * mode, the process's MPU regions, and decoding a user fault.
 *
 * MPU regions while a user thread runs (PMSAv7: the highest-numbered region
 * that matches an address decides; the privileged default map is the
 * background, so the kernel sees everything as before):
 *   0 .. 6  the process: its text (read + execute), its RAM (read + write,
 *           execute-never), its grants; a block may take two regions when
 *           subregions cannot trim it exactly (region_pmsav7_cover)
 *   7       the running thread's stack guard (mpu.c), no access: a user
 *           thread's user stack's, or its privileged stack's while it is in
 *           a system call
 * Unprivileged code matches nothing else, so the kernel, other processes,
 * peripherals, the vector table and the System Control Space fault. The
 * regions are rewritten only when a thread of another process enters user
 * mode; a kernel thread leaves them as they are (they grant user access
 * only, and privileged code runs on the default map where they do not
 * apply, or with the same rights where they do). */
#include <errno.h>
#include <pica/proc.h>
#include <pica/tap.h>
#include <pica/thread.h>
#include <stdint.h>
#include <string.h>

#include "arch.h"
#include "region.h"
#include "scb.h"
#include "sched.h"
#include "syscall_handlers.h"

#if ARCH_HAS_USER

/* t->user->arch[] */
#define USER_SP 0        /* PSP: the user stack, where the CPU stacked the frame */
#define USER_EXC_RETURN 1
#define USER_KSTACK_TOP 2 /* the top of its privileged stack, below its kernel TLS block */
#define USER_FP_SAVE 3    /* during a system call: where its s16-s31 are, or 0 */

#define EXC_RETURN_USER 0xFFFFFFEDu /* thread mode, PSP, bit 4 clear: FP frame */
#define EXC_RETURN_FP_NONE 0x10u
#define XPSR_THUMB (1u << 24)
#define RBAR_VALID (1u << 4)
#define PROC_REGIONS 7u /* 0..6; 7 is the stack guard */
#define FPCCR_LSPACT (1u << 0)

void arch_pendsv_isr(void);
void arch_pendsv_user(void);
void arch_user_resume(void);
void arch_set_pendsv(void (*isr)(void));

/* The process whose regions are in the MPU. */
static const struct pica_proc *mpu_loaded;

#ifdef __ARM_FP
/* What a user thread without an FP context finds in s0-s31 (arch_user_enter). */
static const uint32_t fp_zeros[32];
#endif

_Static_assert(PICA_PROC_ARCH_WORDS >= 1 + 2 * PROC_REGIONS, "room for seven region pairs");

int
arch_proc_regions(struct pica_proc *p)
{
    struct region_pmsav7 out[PROC_REGIONS];
    unsigned used = 0;
    for (unsigned i = 0; i < p->nregions; i++) {
        const struct pica_proc_region *r = &p->regions[i];
        int n = region_pmsav7_cover(r->base, r->len, r->perms, &out[used], (int)(PROC_REGIONS - used));
        if (n < 0) {
            return n;
        }
        used += (unsigned)n;
    }
    unsigned key = arch_irq_lock();
    p->arch_regions[0] = used;
    for (unsigned i = 0; i < used; i++) {
        p->arch_regions[1 + 2 * i] = out[i].rbar | RBAR_VALID | i;
        p->arch_regions[2 + 2 * i] = out[i].rasr;
    }
    /* The rest off, so that a load copies all seven pairs and decides
     * nothing. */
    for (unsigned i = used; i < PROC_REGIONS; i++) {
        p->arch_regions[1 + 2 * i] = RBAR_VALID | i;
        p->arch_regions[2 + 2 * i] = 0;
    }
    if (mpu_loaded == p) {
        mpu_loaded = NULL; /* reload at the next entry to user mode */
    }
    arch_irq_unlock(key);
    return 0;
}

/* user.S: the seven RBAR/RASR pairs at @pairs into regions 0..6. */
void arch_mpu_load_pairs(const uint32_t *pairs);

static void
mpu_load_proc(const struct pica_proc *p)
{
    arch_mpu_load_pairs(&p->arch_regions[1]);
    mpu_loaded = p;
}

void
arch_user_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top)
{
    /* The first user frame, as the CPU would have stacked it: returning
     * from @entry (lr 0) faults, and the SDK's thread start never does. */
    uint32_t *usp = (uint32_t *)((uintptr_t)stack_top & ~(uintptr_t)7u);
    *--usp = XPSR_THUMB;
    *--usp = (uint32_t)(uintptr_t)entry & ~1u;
    *--usp = 0; /* lr */
    *--usp = 0; /* r12 */
    *--usp = 0;
    *--usp = 0;
    *--usp = 0;
    *--usp = (uint32_t)(uintptr_t)arg;
    t->user->arch[USER_SP] = (uint32_t)(uintptr_t)usp;
    t->user->arch[USER_EXC_RETURN] = EXC_RETURN_USER | EXC_RETURN_FP_NONE;
    t->user->arch[USER_KSTACK_TOP] = ((uint32_t)(uintptr_t)t->user->kstack_base + t->user->kstack_size) & ~7u;
    /* On the privileged stack, the software frame arch_pendsv_user would
     * have left: r4-r11 and, for EXC_RETURN, the way back to user mode. */
    uint32_t *ksp = (uint32_t *)t->user->arch[USER_KSTACK_TOP];
    *--ksp = (uint32_t)(uintptr_t)arch_user_resume;
    for (int r = 11; r >= 4; r--) {
        *--ksp = 0;
    }
    t->sp = ksp;
}

/* PendSV from user mode (user.S): keep the user's PSP and EXC_RETURN in
 * the thread, make the next thread's mode privileged until it says
 * otherwise, and give the kernel's own PendSV back. */
__attribute__((used)) uint32_t
arch_user_leave(uint32_t psp, uint32_t exc_return)
{
    struct pica_thread *t = sched.current;
    t->user->arch[USER_SP] = psp;
    t->user->arch[USER_EXC_RETURN] = exc_return;
    __asm volatile("msr control, %0" ::"r"(0u) : "memory");
    arch_set_pendsv(arch_pendsv_isr);
    return t->user->arch[USER_KSTACK_TOP];
}

/* Into user mode for the running thread (a switch to it, or the end of its
 * system call): its process's regions, its thread pointer, its user stack,
 * unprivileged thread mode. Returns the EXC_RETURN to leave with; only its
 * FP bit comes from what was saved, so it always returns to thread mode on
 * PSP. */
__attribute__((used)) uint32_t
arch_user_enter(void)
{
    struct pica_thread *t = sched.current;
    const struct pica_proc *p = t->proc;
    if (p != mpu_loaded) {
        mpu_load_proc(p);
    }
    if (p->image->tp_word != 0) {
        *(volatile uint32_t *)p->image->tp_word = t->user->tls;
    }
    uint32_t exc_return = t->user->arch[USER_EXC_RETURN];
#ifdef __ARM_FP
    if (exc_return & EXC_RETURN_FP_NONE) {
        /* It has no FP context: its first FP instruction would start one
         * from whatever the registers hold, the last FP context's, which
         * may be another process's (or a kernel thread's). Zero them. The
         * state of any context stacked lazily is saved by now (its switch
         * or system call stored s16-s31 first, which made the CPU save
         * s0-s15), so this load triggers no save; and returning without an
         * FP frame leaves the thread with no FP context still. */
        __asm volatile("vldmia %0, {s0-s31}" ::"r"(fp_zeros) : "memory");
    }
#endif
    __asm volatile("msr psp, %0\n\t"
                   "msr control, %1" ::"r"(t->user->arch[USER_SP]),
                   "r"(1u)
                   : "memory");
    arch_set_pendsv(arch_pendsv_user);
    return EXC_RETURN_USER | (exc_return & EXC_RETURN_FP_NONE);
}

/* The kernel side of a system call: runs in the calling thread, privileged,
 * on its privileged stack, and ends with svc (user.S: arch_svc_isr). */
__attribute__((noreturn, used)) static void
arch_syscall_thread(struct syscall_args *args)
{
    register int32_t r0 __asm("r0") = syscall_dispatch(args);
    __asm volatile("svc #0" ::"r"(r0) : "memory");
    __builtin_unreachable();
}

/* svc from user mode. @saved: r4, r5, r7 and EXC_RETURN as user.S pushed
 * them. The CPU stacked r0-r3 on the user stack with the user's own
 * access rights, so reading them there is safe; nothing else is read from
 * user memory. */
__attribute__((used)) void
arch_syscall_enter(const uint32_t saved[4])
{
    struct pica_thread *t = sched.current;
    const uint32_t *uf;
    __asm volatile("mrs %0, psp" : "=r"(uf));
    t->user->arch[USER_SP] = (uint32_t)(uintptr_t)uf;
    t->user->arch[USER_EXC_RETURN] = saved[3];

    uint32_t *ktop = (uint32_t *)t->user->arch[USER_KSTACK_TOP];
    t->user->arch[USER_FP_SAVE] = 0;
#ifdef __ARM_FP
    if (!(saved[3] & EXC_RETURN_FP_NONE)) {
        /* The thread has an FP context. Its s0-s15 are due in the frame on
         * its user stack (lazy stacking): the first FP instruction here, the
         * store below, puts them there now, so that no later one writes them
         * anywhere else. Its s16-s31 are live in the registers, and the
         * kernel side may be switched out without saving them (it has no FP
         * context of its own yet): they wait on the privileged stack. */
        ktop -= 16;
        __asm volatile("vstmia %0, {s16-s31}" ::"r"(ktop) : "memory");
        t->user->arch[USER_FP_SAVE] = (uint32_t)(uintptr_t)ktop;
    }
#endif
    if (t->arch_guard[1] != 0) {
        /* Region 7 guards the stack in use: the privileged one now. */
        t->arch_guard[0] = (uint32_t)(uintptr_t)t->user->kstack_base | RBAR_VALID | 7u;
        arch_mpu_load(t);
    }
    struct syscall_args *a = (struct syscall_args *)(ktop - 8); /* 32 bytes, 8-aligned */
    a->a[0] = uf[0];
    a->a[1] = uf[1];
    a->a[2] = uf[2];
    a->a[3] = uf[3];
    a->a[4] = saved[0];
    a->a[5] = saved[1];
    a->nr = saved[2];
    uint32_t *f = (uint32_t *)a - 8;
    f[0] = (uint32_t)(uintptr_t)a; /* r0 */
    f[1] = f[2] = f[3] = f[4] = 0;
    f[5] = 0;                                                /* lr */
    f[6] = (uint32_t)(uintptr_t)arch_syscall_thread & ~1u; /* pc */
    f[7] = XPSR_THUMB;
    __asm volatile("msr psp, %0\n\t"
                   "msr control, %1" ::"r"(f),
                   "r"(0u)
                   : "memory");
    arch_set_pendsv(arch_pendsv_isr);
}

uint32_t *
arch_user_regs(void)
{
    return (uint32_t *)sched.current->user->arch[USER_SP];
}

/* svc from user mode with a register IPC number (user.S): run it here, in
 * the handler, on the main stack, never entering the privileged thread
 * context (kernel/proc/syscall_ipc_regs.c). @saved: r4, r5, r7 and EXC_RETURN as user.S
 * pushed them. Returns what user.S does next, in r0 (and r1):
 *   0  return to the caller, the outcome in its frame;
 *   1  the same, but a more urgent thread is ready: switch first;
 *   2  the caller waits: switch away, its way back arch_user_resume_wait;
 *   3  not here (a later number, or a syscall tap is set, which may
 *      block): the usual entry;
 *   an address: the caller waits, and the thread to run next was itself
 *      switched out in user mode with nothing left to do on its way back
 *      (a partner whose wait the call ended, arch_user_wait_over()): the
 *      switch is made here and user.S only moves r4-r11, the caller's to
 *      r0 (its software frame, the way back in the word above them), the
 *      next thread's from r1. Its MPU regions, thread pointer and PSP are
 *      loaded already.
 * The direct switch leaves out threads with an FP context, whose s16-s31
 * would move too, and is the scheduler's own choice (sched_top_locked()). */
_Static_assert(SYSCALL_NR_EP_CALLW == 69 && SYSCALL_NR_EP_REPLY_RECVW == 70 && SYSCALL_NR_EP_RECVW == 71,
               "user.S: SYS_REGS_FIRST");

__attribute__((used)) uint64_t
arch_syscall_fast(const uint32_t saved[4])
{
    if (saved[2] > SYSCALL_NR_EP_RECVW || pica_taps.syscall != NULL) {
        return 3;
    }
    struct pica_thread *t = sched.current;
    uint32_t *uf;
    __asm volatile("mrs %0, psp" : "=r"(uf));
    t->user->arch[USER_SP] = (uint32_t)(uintptr_t)uf;
    /* The fourth word in (r4) beside the other three, in the r12 slot the
     * call returns it through. The handler runs at the kernel lock's
     * level: no interrupt that may touch the kernel preempts it, and so no
     * other lock is needed. */
    uf[4] = saved[0];
    /* A switch is made on the way out, choosing as PendSV would: a PendSV
     * still pending would only choose the same again. */
    if (!ipc_regs_trap(saved[2], uf, saved[1])) {
        if (!(SCB_ICSR & ICSR_PENDSVSET)) {
            return 0;
        }
        SCB_ICSR = ICSR_PENDSVCLR;
        return 1;
    }
    SCB_ICSR = ICSR_PENDSVCLR;
    struct pica_thread *next = sched_top_locked();
    uint32_t *next_sf = next->sp;
    if (next_sf[8] != (uint32_t)(uintptr_t)arch_user_resume ||
        ((saved[3] & next->user->arch[USER_EXC_RETURN]) & EXC_RETURN_FP_NONE) == 0 ||
        !sched_switch_direct_locked(t, next)) {
        return 2;
    }
    /* The caller's software frame goes where arch_user_leave() would put
     * it, with the same way back. */
    uint32_t *sf = (uint32_t *)t->user->arch[USER_KSTACK_TOP] - 9;
    t->sp = sf;
    t->user->arch[USER_EXC_RETURN] = saved[3];
    /* arch_user_enter() without what stays as it is: CONTROL still says
     * unprivileged, PendSV is still arch_pendsv_user. */
    const struct pica_proc *p = next->proc;
    if (p != mpu_loaded) {
        mpu_load_proc(p);
    }
    if (p->image->tp_word != 0) {
        *(volatile uint32_t *)p->image->tp_word = next->user->tls;
    }
    __asm volatile("msr psp, %0" ::"r"(next->user->arch[USER_SP]) : "memory");
    return (uint64_t)(uintptr_t)next_sf << 32 | (uint32_t)(uintptr_t)sf;
}

/* The way back to user mode of a thread that waited in register IPC and
 * was woken other than by the fast path (user.S: arch_user_resume_wait):
 * its outcome into the frame on its user stack, before arch_user_resume. */
__attribute__((used)) void
arch_user_wait_resumed(void)
{
    ipc_regs_resumed(arch_user_regs());
}

/* svc from privileged thread mode: the end of the running thread's system
 * call, result in the r0 of @kframe. */
__attribute__((used)) uint32_t
arch_syscall_leave(const uint32_t *kframe)
{
    struct pica_thread *t = sched.current;
    if (t->proc == NULL) {
        fault_handle((struct arch_frame *)kframe, "svc in a kernel thread");
    }
    /* The user stack where the CPU stacked the call's frame: the result
     * replaces r0 there. */
    uint32_t *uf = (uint32_t *)t->user->arch[USER_SP];
    uf[0] = kframe[0];
    if (t->arch_guard[1] != 0) {
        t->arch_guard[0] = (uint32_t)(uintptr_t)t->stack_base | RBAR_VALID | 7u;
        arch_mpu_load(t);
    }
#ifdef __ARM_FP
    /* A lazy FP state pending now is the kernel side's (this svc stacked
     * it), whose work is done: dropped, or the user thread's first FP
     * instruction would write it out into the privileged stack, and a
     * return to an FP frame would not take s0-s15 from it. */
    FPU_FPCCR &= ~FPCCR_LSPACT;
    if (t->user->arch[USER_FP_SAVE] != 0) {
        /* s16-s31 come back from where the entry left them. */
        __asm volatile("vldmia %0, {s16-s31}" ::"r"(t->user->arch[USER_FP_SAVE]) : "memory");
    }
#endif
    return arch_user_enter();
}

/* ---- user faults ---- */

/* Whether the Thumb instruction at @pc stores (a load otherwise), for a
 * data access fault, which PMSAv7 does not describe. @pc lies in the
 * process's text, so reading it has no side effect. */
static bool
insn_is_store(uint32_t pc)
{
    const uint16_t *ip = (const uint16_t *)(uintptr_t)(pc & ~1u);
    uint16_t h = ip[0];
    if ((h & 0xe000u) == 0xe000u && (h & 0x1800u) != 0) {
        /* 32-bit: load/store multiple, dual, exclusive (1110 100x) and
         * single (1111 100x), coprocessor incl. VFP (111x 110x): bit 20 L */
        return (h & (1u << 4)) == 0;
    }
    switch (h >> 12) {
    case 0x5: /* register offset: STR, STRH, STRB (000-010) and STRB-less forms */
        return ((h >> 9) & 7u) <= 2u;
    case 0x6: /* STR/LDR imm */
    case 0x7: /* STRB/LDRB imm */
    case 0x8: /* STRH/LDRH imm */
    case 0x9: /* STR/LDR SP-relative */
    case 0xc: /* STM/LDM */
        return (h & (1u << 11)) == 0;
    case 0xb: /* PUSH (1011 010x) stores, POP (1011 110x) loads */
        return (h & 0x0e00u) == 0x0400u;
    default:
        return false;
    }
}

#define CFSR_IACCVIOL (1u << 0)
#define CFSR_DACCVIOL (1u << 1)
#define CFSR_MUNSTKERR (1u << 3)
#define CFSR_MSTKERR (1u << 4)
#define CFSR_MLSPERR (1u << 5)
#define CFSR_MMARVALID (1u << 7)
#define CFSR_IBUSERR (1u << 8)
#define CFSR_PRECISERR (1u << 9)
#define CFSR_UNSTKERR (1u << 11)
#define CFSR_STKERR (1u << 12)
#define CFSR_LSPERR (1u << 13)
#define CFSR_BFARVALID (1u << 15)

/* A fault taken from user mode: describe it for user_fault(), which stops
 * the thread (or its process) and asks for a switch; the switch then
 * happens as the fault handler returns (PendSV tail-chains), so the thread
 * never runs again. */
void
arch_user_fault(struct arch_frame *f, const char *kind)
{
    uint32_t cfsr = SCB_CFSR;
    struct pica_thread *t = sched.current;
    struct user_fault uf = {.kind = kind};
    bool stacking = (cfsr & (CFSR_MSTKERR | CFSR_STKERR | CFSR_MLSPERR | CFSR_LSPERR)) != 0;
    bool unstacking = (cfsr & (CFSR_MUNSTKERR | CFSR_UNSTKERR)) != 0;
    /* Where stacking failed, the frame was not written: no pc. */
    uf.pc = stacking ? 0u : f->pc;
    if (stacking) {
        f = NULL; /* PSP points where nothing was stacked: not to be read */
    }
    if (cfsr & CFSR_MMARVALID) {
        uf.addr = SCB_MMFAR;
        uf.addr_known = true;
    } else if (cfsr & CFSR_BFARVALID) {
        uf.addr = SCB_BFAR;
        uf.addr_known = true;
    } else if (stacking) {
        /* The frame was going just below PSP. */
        __asm volatile("mrs %0, psp" : "=r"(uf.addr));
        uf.addr -= 4u;
        uf.addr_known = true;
    }
    if (cfsr & (CFSR_IACCVIOL | CFSR_IBUSERR)) {
        uf.access = 'x';
        uf.addr = f->pc;
        uf.addr_known = true;
    } else if (stacking) {
        uf.access = 'w';
    } else if (unstacking) {
        uf.access = 'r';
    } else if (cfsr & (CFSR_DACCVIOL | CFSR_PRECISERR)) {
        const struct pica_proc_region *text = &t->proc->regions[0];
        if (uf.pc - text->base < text->len && text->len - (uf.pc - text->base) >= 4u) {
            uf.access = insn_is_store(uf.pc) ? 'w' : 'r';
        }
    }
    SCB_CFSR = cfsr; /* write-one-to-clear: the next fault starts clean */
#ifdef __ARM_FP
    /* The thread's lazy FP state, if pending, is due on a stack that may
     * be the fault itself: dropped with the thread. */
    FPU_FPCCR &= ~FPCCR_LSPACT;
#endif
    SCB_HFSR = SCB_HFSR;
    user_fault(&uf, f);
}

#endif /* ARCH_HAS_USER */
