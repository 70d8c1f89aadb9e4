/* SPDX-License-Identifier: MIT */
/* Stand-ins for the kernel files the host core tests do not build
 * (kernel/panic.c, boot.c, tls.c): how the system stops, and no TLS blocks
 * (the host's own thread-locals serve every fiber). A panic ends the process
 * with PICA_EXIT_PANIC, which a test can expect from a child process. */
#include <pica/panic.h>

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "arch.h"
#include "thread_priv.h"

void
pica_panic(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fflush(stdout);
    fprintf(stderr, "\n*** PANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s\n", arch_in_isr() ? " (in an interrupt handler)" : "");
    _exit(PICA_EXIT_PANIC);
}

void
pica_exit(int code)
{
    fflush(stdout);
    _exit(code);
}

size_t
thread_tls_reserve(void)
{
    return 0;
}

void *
thread_tls_init(struct pica_thread *t, void *stack_top, bool boot_block)
{
    (void)boot_block;
    t->tls = stack_top;
    return stack_top;
}
