/* SPDX-License-Identifier: MIT */
/* The ways the system stops: PICA_PANIC (broken invariant), a CPU fault the
 * port hands to fault_handle(), and pica_exit(). Each first turns the
 * console to polled output (console_panic_mode()), which sends what was
 * queued before, so they print with interrupts off and lose nothing. */
#include <pica/panic.h>

#include <pica/board.h>
#include <pica/log.h>
#include <stdarg.h>
#include <stdio.h>

#include "arch.h"
#include "console_priv.h"
#include "kernel.h"

/* Weak: the log is linked only into images that log (see kernel.h). */
#pragma weak pica_log_flush

static void
flush_log(void)
{
    if (pica_log_flush != NULL) {
        pica_log_flush();
    }
}

void
pica_exit(int code)
{
    arch_irq_lock();
    console_panic_mode();
    flush_log(); /* polled with interrupts masked: nothing logged is lost */
    fflush(stdout);
    board_exit(code);
}

void
pica_panic(const char *file, int line, const char *fmt, ...)
{
    arch_irq_lock();
    console_panic_mode();
    flush_log();
    va_list ap;
    printf("\n*** PANIC at %s:%d: ", file, line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\n  in %s\n*** system halted (exit %d)\n", kernel_context_name(arch_in_isr()),
           PICA_EXIT_PANIC);
    pica_exit(PICA_EXIT_PANIC);
}

void
fault_handle(struct arch_frame *f, const char *kind)
{
    arch_irq_lock();
    console_panic_mode();
    flush_log();
    printf("\n*** FAULT: %s\n", kind);
    arch_frame_print(f);
    printf("  in %s\n*** system halted (exit %d)\n",
           kernel_context_name(f != NULL && arch_frame_in_isr(f)), PICA_EXIT_FAULT);
    pica_exit(PICA_EXIT_FAULT);
}
