/* SPDX-License-Identifier: MIT */
/* Template port, out-of-line half: one commented stub for every function
 * arch/arch.h asks a port to provide. A real port spreads these over files
 * named after what they own (start, irq, switch, timer, mpu, fault: see
 * arch/cortex-m/ and arch/riscv32/). Inline half: arch_impl.h. The host build
 * compiles this file and checks that it defines everything arch.h declares
 * (tests/harness/check_arch_template.py). */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

struct pica_thread;

/* Reset, not part of arch.h but every port has one: the entry point named in
 * cmake/sections.ld. Set the stack pointer to __boot_stack_top, copy .data
 * from __data_load to __data_start..__data_end, zero __bss_start..__bss_end,
 * point the TLS register at __tls_base (_set_tls), then call pica_start(),
 * which never returns (it runs the constructors once the board's console
 * can report a fault in one). On Cortex-M the vector table does
 * the stack pointer; on RISC-V the first instructions do (start.S). */
void pica_reset(void);

void
pica_reset(void)
{
    pica_start();
}

/* Install the vector table or trap vector, give every exception and
 * interrupt its priority (the switch interrupt least urgent), enable
 * faults that are off at reset, turn the FPU on if there is one, and
 * finally let interrupts in. Called once by pica_start(). */
void
arch_init(void)
{
}

/* The number of external interrupt lines: the board's count (PICA_BOARD_IRQS
 * from board.cmake), which the kernel uses to size and check its table. */
unsigned
arch_irq_lines(void)
{
    return 0;
}

/* The first line the controller can raise and arch_irq_trigger() can pend:
 * 0 on the NVIC; 1 on the PLIC, whose source 0 means "no interrupt". */
unsigned
arch_irq_first_line(void)
{
    return ARCH_IRQ_FIRST_LINE;
}

/* Unmask line @irq in the interrupt controller (NVIC ISER, PLIC enable).
 * The controller's entry code calls irq_dispatch(irq) when it fires. */
void
arch_irq_enable(unsigned irq)
{
    (void)irq;
}

/* Mask line @irq; when this returns the handler no longer starts. */
void
arch_irq_disable(unsigned irq)
{
    (void)irq;
}

/* Drop the pend a level-sensitive line latched while its device asserted
 * it (a user driver's acknowledgement): clear the controller's pending
 * bit, or do nothing if the controller re-reads the level. */
void
arch_irq_clear_pending(unsigned irq)
{
    (void)irq;
}

/* Priority @prio of line @irq, 0 the most urgent. Lines at or above
 * PICA_CFG_IRQ_PRIO_ZERO_LATENCY in urgency are never masked by
 * arch_irq_lock() and so must not call the kernel. */
void
arch_irq_set_prio(unsigned irq, unsigned prio)
{
    (void)irq;
    (void)prio;
}

/* Point line @irq's vector at @isr (NULL: back to the entry that calls
 * irq_dispatch). Ports whose CPU jumps through a table in RAM (Cortex-M with
 * VTOR) write the entry; ports with one trap entry for everything (RISC-V)
 * return false and the kernel calls @isr from irq_dispatch. */
bool
arch_irq_set_vector(unsigned irq, void (*isr)(void))
{
    (void)irq;
    (void)isr;
    return false;
}

/* Lay out on the stack below @stack_top the frame the switch code pops, so
 * that the first switch to @t starts @entry(@arg) with a clean register set
 * and a return address of thread_return(); store the resulting stack
 * pointer in t->sp. @user: the thread runs unprivileged (CONTROL.nPRIV on
 * Cortex-M, MPP=U on RISC-V). Keep the stack 8-byte aligned (AAPCS) or
 * 16-byte aligned (RISC-V psABI). t->tls is @t's TLS block, above
 * @stack_top: put it in the frame's thread-pointer register if the CPU
 * has one (RISC-V tp), or leave in t->tls what arch_tls_load() stores. */
void
arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                 bool user)
{
    (void)t;
    (void)entry;
    (void)arg;
    (void)stack_top;
    (void)user;
}

/* Describe @t's stack guard in t->arch_guard: the words arch_mpu_load()
 * writes to cover the lowest PICA_STACK_GUARD_BYTES of the stack with a
 * no-access MPU region (Cortex-M: region 7, RBAR and RASR). A port that
 * cannot guard kernel threads leaves the words zero and sets
 * ARCH_HAS_STACK_GUARD to 0. */
void
arch_call_on_stack(void (*fn)(void *), void *arg, void *stack_top)
{
    /* The port switches its stack pointer to @stack_top around the call;
     * this sketch, like a port that never needs the room, calls in place. */
    (void)stack_top;
    fn(arg);
}

void
arch_thread_guard(struct pica_thread *t)
{
    (void)t;
}

/* Whether @addr, the address of a memory fault, lies in @t's guard: the
 * fault path asks the kernel (thread_stack_fault) to stop such a thread. */
bool
arch_guard_hit(const struct pica_thread *t, uint32_t addr)
{
    (void)t;
    (void)addr;
    return false;
}

/* User space (ports that define ARCH_HAS_USER 1; arch.h says what the
 * kernel expects of them): encode the process's regions
 * p->regions[0 .. p->nregions) into p->arch_regions, in whatever form the
 * switch into user mode writes fastest (Cortex-M: RBAR/RASR pairs from
 * lib/region_pmsav7.c; RISC-V: pmpaddr/pmpcfg values from
 * lib/region_pmp.c). A port without user mode refuses every process. */
int
arch_proc_regions(struct pica_proc *p)
{
    (void)p;
    return -ENOTSUP;
}

/* The running user thread's saved registers, as its system call will
 * return them: r0 then the four words register IPC answers with
 * (Cortex-M: r0-r3 and r12 of the frame on its user stack; RISC-V: a0-a4
 * of its trap frame). A port without user mode has none. */
uint32_t *
arch_user_regs(void)
{
    return NULL;
}

/* Leave the boot context for good: load @first_sp, pop the frame that
 * arch_thread_init() built and run that thread. The boot stack becomes the
 * interrupt stack (MSP on Cortex-M, mscratch on RISC-V). */
void
arch_sched_start(void *first_sp)
{
    (void)first_sp;
    for (;;) {
    }
}

/* Start the free-running counter behind arch_timer_cycles() and leave its
 * compare interrupt off until arch_timer_periodic() or arch_timer_oneshot().
 * @hz: the counter's input clock as the board states it
 * (board_info()->timer_hz); arch_timer_hz() reports it back. */
void
arch_timer_init(uint32_t hz)
{
    (void)hz;
}

/* The rate of arch_timer_cycles(), in counts per second. */
uint32_t
arch_timer_hz(void)
{
    return 1;
}

/* A 64-bit count that never wraps in practice and never goes backwards,
 * read consistently even when the hardware counter is 32 bits wide (read
 * high, low, high again; or extend in the overflow interrupt). */
uint64_t
arch_timer_cycles(void)
{
    return 0;
}

/* Make the timer interrupt, which calls sched_timer_isr(), fire at the
 * absolute counts @first, @first + @period, @first + 2 * @period, ...
 * without drift (reload, or advance the compare value by @period in the
 * interrupt). A @first already past, or too near to arm, fires as soon as
 * the hardware can, and the later interrupts keep @first's phase: the
 * kernel derives its tick boundaries from @first and relies on it.
 * Replaces any earlier periodic or one-shot setting. */
void
arch_timer_periodic(uint64_t first, uint32_t period)
{
    (void)first;
    (void)period;
}

/* Make the timer interrupt fire once, at or after the absolute count
 * @deadline; a deadline already past fires at once, one beyond the
 * hardware's range may fire early (the kernel sets it again). Replaces any
 * earlier periodic or one-shot setting. */
void
arch_timer_oneshot(uint64_t deadline)
{
    (void)deadline;
}

/* Print @f for a fault report: pc, return address, stack pointer and the
 * cause registers (CFSR/MMFAR/BFAR, mcause/mtval), one line each, through
 * printf (fault_handle() has turned the console to polled output, which
 * works in any context). */
void
arch_frame_print(const struct arch_frame *f)
{
    (void)f;
}

/* Whether @f was itself taken inside an interrupt handler (from the saved
 * EXC_RETURN / trap depth): the fault report says so instead of naming a
 * thread. */
bool
arch_frame_in_isr(const struct arch_frame *f)
{
    (void)f;
    return false;
}

/* Mask every interrupt and wait forever; the end of a panic or fault on
 * hardware (under QEMU the board's exit runs first). */
void
arch_halt(void)
{
    for (;;) {
        arch_idle();
    }
}

/* Start the image again from reset: a system reset where the CPU has one,
 * or a jump to the reset code with interrupts masked. */
void
arch_reboot(void)
{
    for (;;) {
        arch_idle();
    }
}
