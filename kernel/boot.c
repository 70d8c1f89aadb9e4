/* SPDX-License-Identifier: MIT */
/* From reset to main(): the port's reset code calls pica_start(), which
 * brings up the board, the CPU's interrupt setup, the console, the heap and
 * the timer, prints the banner, creates the idle and main threads and
 * switches to main, which runs the application's main(). */
#include <pica/board.h>
#include <pica/pica.h>
#include <pica/thread.h>
#include <stdint.h>
#include <stdio.h>

#include "arch.h"
#include "kernel.h"
#include "sched.h"

extern char __flash_start[], __flash_end[], __flash_used_start[], __flash_used_end[];
extern char __ram_start[], __ram_end[], __data_start[], __bss_end[];
extern char __boot_stack_bottom[], __boot_stack_top[], __heap_start[], __heap_end[];

int main(void);
extern void (*__init_array_start[])(void), (*__init_array_end[])(void);

static unsigned long
kib(const char *from, const char *to)
{
    return (unsigned long)((to - from + 1023) / 1024);
}

static void
banner(void)
{
    const struct pica_board_info *b = board_info();
    if (b->cpu_hz != 0) {
        printf("\nPica " PICA_VERSION_STRING " on %s: %s at %lu.%03lu MHz (%s), timer %lu Hz\n",
               b->name, b->cpu, (unsigned long)(b->cpu_hz / 1000000u),
               (unsigned long)(b->cpu_hz % 1000000u / 1000u), b->clock_source,
               (unsigned long)b->timer_hz);
    } else {
        printf("\nPica " PICA_VERSION_STRING " on %s: %s (%s), timer %lu Hz\n", b->name, b->cpu,
               b->clock_source, (unsigned long)b->timer_hz);
    }
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
    if (in_isr) {
        return "an interrupt handler";
    }
    if (!sched_started) {
        return "boot";
    }
    static char buf[48];
    snprintf(buf, sizeof(buf), "thread '%s'", sched.current->name);
    return buf;
}

static struct pica_thread main_thread;
PICA_THREAD_STACK_DEFINE(main_stack, PICA_CFG_MAIN_STACK_SIZE);

/* kernel/proc/proc.c, in the image only when it has user processes. */
#pragma weak proc_start_all
void proc_start_all(void);

static void
main_entry(void *arg)
{
    (void)arg;
    /* Processes start from the first thread, where the heap they take
     * their threads from can be used. */
    if (proc_start_all != NULL) {
        proc_start_all();
    }
    /* Returning from main() ends only the main thread. */
    pica_thread_exit(main());
}

void
pica_start(void)
{
    /* The board first: its console's polled output is what a fault or
     * panic in anything after it (constructors included) is reported on. */
    board_init();
    for (void (**ctor)(void) = __init_array_start; ctor < __init_array_end; ctor++) {
        (*ctor)();
    }
    irq_init();
    arch_init();
    console_init();
    arch_timer_init(board_info()->timer_hz);
    if (PICA_CFG_BANNER) {
        banner();
    }
    sched_init();
    kernel_services_init();
    if (pica_thread_create(&main_thread, "main", main_entry, NULL, main_stack, sizeof(main_stack),
                           PICA_PRIO_MAIN, 0) != 0) {
        PICA_PANIC("main thread");
    }
    sched_start();
}

/* Weak references do not make the linker take an archive member: a service
 * the image never calls is not linked, and its thread is not started. */
#pragma weak timer_service_init
#pragma weak log_service_init

void
kernel_services_init(void)
{
    if (timer_service_init != NULL) {
        timer_service_init();
    }
    if (log_service_init != NULL) {
        log_service_init();
    }
}
