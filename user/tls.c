/* SPDX-License-Identifier: MIT */
/* Each user thread's TLS block, where picolibc keeps errno. Compiled code
 * reaches a thread-local variable at a fixed offset from the thread
 * pointer, offsets the final link assigns in the image's TLS template
 * (cmake/sections.ld), so every block has the template's size (the image's
 * __tls_size) and alignment. A process may not initialise thread-locals
 * (the template's .tdata lies in kernel flash; the build refuses a process
 * with any), so a block starts zeroed.
 * RISC-V: the thread pointer is tp, a register the thread owns. Cortex-M:
 * compiled code asks __aeabi_read_tp (tp_arm.S), which reads
 * __pica_user_tp; the kernel stores the running thread's value there at
 * each switch (struct pica_proc_image.tp_word), once told it. */
#include <stdint.h>
#include <string.h>

#include "sdk.h"

extern char __tls_size[], __tls_align[];

#if defined(__arm__)
extern char __arm32_tls_tcb_offset[];
/* First in the process's .bss (user/process.ld): the image's tp_word. */
__attribute__((section(".bss.pica_user_tp"), used)) void *__pica_user_tp;
#endif

static uintptr_t
tls_align(void)
{
    uintptr_t align = (uintptr_t)__tls_align;
    return align > 8u ? align : 8u;
}

size_t
user_tls_reserve(void)
{
    return (size_t)(uintptr_t)__tls_size + tls_align() - 1u;
}

void
user_tls_start(void *area)
{
    uintptr_t block = ((uintptr_t)area + tls_align() - 1u) & ~(tls_align() - 1u);
    memset((void *)block, 0, (size_t)(uintptr_t)__tls_size);
#if defined(__arm__)
    /* Variant 1: the thread pointer is a TCB's width below the block. */
    void *tp = (void *)(block - (uintptr_t)__arm32_tls_tcb_offset);
    (void)pica_sys_tls_set((uint32_t)(uintptr_t)tp);
    __pica_user_tp = tp;
#else
    __asm__ volatile("mv tp, %0" : : "r"(block) : "memory");
#endif
}
