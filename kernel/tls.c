/* SPDX-License-Identifier: MIT */
/* Per-thread TLS blocks: errno and every _Thread_local, in picolibc's
 * layout. Each thread's block comes out of the top of its own stack and
 * starts as a copy of the image's template (.tdata copied, .tbss zeroed,
 * cmake/sections.ld); the boot context keeps the static block at
 * __tls_base. Which register or variable points at the running thread's
 * block is the port's business (arch_thread_init, arch_tls_load). */
#include <stdbool.h>
#include <stdint.h>

#include "thread_priv.h"

/* picolibc's TLS interface (its picotls.h): the linker script gives the
 * block's size and alignment as symbol addresses. */
extern char __tls_size[], __tls_align[], __tls_base[];
void _init_tls(void *tls);

static size_t
tls_align(void)
{
    /* An image without TLS may report 0; the ports' ABIs want at least 8. */
    size_t align = (size_t)(uintptr_t)__tls_align;
    return align > 8u ? align : 8u;
}

size_t
thread_tls_reserve(void)
{
    size_t size = (size_t)(uintptr_t)__tls_size;
    return size == 0 ? 0 : size + tls_align() - 1u;
}

void *
thread_tls_init(struct pica_thread *t, void *stack_top, bool boot_block)
{
    size_t size = (size_t)(uintptr_t)__tls_size;
    if (boot_block) {
        /* The boot context's block, free once the scheduler has started
         * (the idle thread's, so that the smallest idle stack stays whole). */
        t->tls = __tls_base;
        return stack_top;
    }
    if (size == 0) {
        /* Nothing to hold: the stack keeps every byte. */
        t->tls = stack_top;
        return stack_top;
    }
    uintptr_t block = ((uintptr_t)stack_top - size) & ~(uintptr_t)(tls_align() - 1u);
    _init_tls((void *)block);
    t->tls = (void *)block;
    return (void *)block;
}
