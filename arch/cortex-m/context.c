/* SPDX-License-Identifier: MIT */
/* Thread frames and switch requests for Cortex-M. The frame built here is
 * the one arch_pendsv_isr (switch.S) restores; its layout is described
 * there. */
#include <pica/thread.h>
#include <stdint.h>

#include "arch.h"
#include "scb.h"

#define XPSR_THUMB (1u << 24)
#define EXC_RETURN_THREAD_PSP 0xFFFFFFFDu

extern char __arm32_tls_tcb_offset[]; /* cmake/sections.ld */
void arch_user_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top)
    __attribute__((weak)); /* user.c, linked with user space */

_Static_assert(ARCH_BASEPRI_KERNEL == ARCH_BASEPRI_KERNEL_VALUE, "switch.S uses the same mask");

void
arch_thread_init(struct pica_thread *t, void (*entry)(void *), void *arg, void *stack_top,
                 bool user)
{
    if (ARCH_HAS_USER && user) {
        arch_user_thread_init(t, entry, arg, stack_top);
        return;
    }
    /* AAPCS: 8-byte aligned stack at a public interface. */
    uint32_t *sp = (uint32_t *)((uintptr_t)stack_top & ~(uintptr_t)7u);
    *--sp = XPSR_THUMB;
    *--sp = (uint32_t)(uintptr_t)entry & ~1u; /* pc */
    *--sp = (uint32_t)(uintptr_t)thread_return; /* lr */
    *--sp = 0;                                /* r12 */
    *--sp = 0;                                /* r3 */
    *--sp = 0;                                /* r2 */
    *--sp = 0;                                /* r1 */
    *--sp = (uint32_t)(uintptr_t)arg;         /* r0 */
    *--sp = EXC_RETURN_THREAD_PSP;
    for (int r = 11; r >= 4; r--) {
        *--sp = 0;
    }
    t->sp = sp;
    /* picolibc's Arm TLS ABI (variant 1): the thread pointer is a TCB's
     * width below the block, as its _set_tls() computes it. */
    t->tls = (char *)t->tls - (uintptr_t)__arm32_tls_tcb_offset;
}
