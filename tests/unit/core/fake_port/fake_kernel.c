/* SPDX-License-Identifier: MIT */
/* Stand-ins for the kernel files the host core tests do not build
 * (kernel/panic.c, boot.c): how the system stops. A panic ends the process
 * with PICA_EXIT_PANIC, which a test can expect from a child process. */
#include <pica/panic.h>

#include <stdarg.h>
#include <stdio.h>
#include <unistd.h>

#include "arch.h"

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
