/* SPDX-License-Identifier: MIT */
/* From reset to main(): the port's reset code calls pica_start(), which
 * brings up the board, the CPU's interrupt setup and the console, prints the
 * banner and runs the application's main(). */
#include <pica/board.h>
#include <pica/pica.h>
#include <stdint.h>
#include <stdio.h>

#include "arch.h"
#include "kernel.h"

extern char __flash_start[], __flash_end[], __flash_used_start[], __flash_used_end[];
extern char __ram_start[], __ram_end[], __data_start[], __bss_end[];
extern char __boot_stack_bottom[], __boot_stack_top[], __heap_start[], __heap_end[];

int main(void);

static unsigned long
kib(const char *from, const char *to)
{
    return (unsigned long)((to - from + 1023) / 1024);
}

static void
banner(void)
{
    const struct pica_board_info *b = board_info();
    printf("\nPica " PICA_VERSION_STRING " on %s: %s at %lu.%03lu MHz (%s)\n", b->name, b->cpu,
           (unsigned long)(b->cpu_hz / 1000000u), (unsigned long)(b->cpu_hz % 1000000u / 1000u),
           b->clock_source);
    printf("  flash 0x%08lx-0x%08lx %5lu KB, image %lu KB\n", (unsigned long)__flash_start,
           (unsigned long)((uintptr_t)__flash_end - 1u), kib(__flash_start, __flash_end),
           kib(__flash_used_start, __flash_used_end));
    printf("  ram   0x%08lx-0x%08lx %5lu KB, static %lu KB, boot stack %lu KB, heap %lu KB\n",
           (unsigned long)__ram_start, (unsigned long)((uintptr_t)__ram_end - 1u), kib(__ram_start, __ram_end),
           kib(__data_start, __bss_end), kib(__boot_stack_bottom, __boot_stack_top),
           kib(__heap_start, __heap_end));
}

const char *
kernel_context_name(bool in_isr)
{
    return in_isr ? "an interrupt handler" : "main (no threads running)";
}

void
pica_start(void)
{
    board_init();
    arch_init();
    console_init();
    if (PICA_CFG_BANNER) {
        banner();
    }
    main();
    /* Returning from main() leaves the rest of the system running. */
    for (;;) {
        arch_idle();
    }
}
