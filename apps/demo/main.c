/* SPDX-License-Identifier: MIT */
/* The default `make run` image: a producer/consumer pipeline over a queue,
 * five dining philosophers with mutexes, a ps-like table every five seconds,
 * and a console echo (typed lines come back through the RX interrupt). It
 * grows into the shell. */
#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/thread.h>
#include <stdio.h>

#include "demo.h"

static struct pica_thread ps_thread;
static uint64_t ps_stack[1536 / 8];

static void
ps_every_five_seconds(void *arg)
{
    (void)arg;
    pica_tick_t next = pica_tick_now();
    for (;;) {
        pica_sleep_until(&next, 5 * PICA_CFG_TICK_HZ);
        demo_ps_print();
    }
}

static bool
demo_processes_running(void)
{
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        if (pica_proc_at(i)->state == PICA_PROC_RUNNING) {
            return true;
        }
    }
    return false;
}

static void
echo_loop(void)
{
    for (;;) {
        char line[80];
        size_t n = 0;
        printf("pica> ");
        fflush(stdout);
        for (;;) {
            int c = pica_console_getc();
            if (c == '\r' || c == '\n') {
                break;
            }
            if ((c == 0x7f || c == '\b') && n > 0) {
                n--;
                printf("\b \b");
            } else if (c >= ' ' && c < 0x7f && n < sizeof(line) - 1) {
                line[n++] = (char)c;
                putchar(c);
            }
            fflush(stdout);
        }
        line[n] = '\0';
        struct pica_console_stats st;
        pica_console_stats(&st);
        printf("\necho: %s  (%lu bytes in %lu RX interrupts)\n", line,
               (unsigned long)st.rx_bytes, (unsigned long)st.rx_irqs);
    }
}

int
main(void)
{
    printf("Demo: a sensor pipeline over a queue, five dining philosophers, and a thread\n"
           "table every 5 s. Two user processes run beside them: the original interface's\n"
           "example tasks, and a rogue that reads kernel memory after 3 s and is stopped.\n"
           "Type a line and press Enter: it comes back through the RX interrupt.\n");
    demo_pipeline_start();
    demo_philosophers_start();
    demo_blink_start();
    /* The user processes tell their story first (the example tasks' lines,
     * the rogue stopped): the prompt comes once they have ended, so what
     * they print never lands in the middle of a typed line. */
    for (int i = 0; i < 1000 && demo_processes_running(); i++) {
        pica_sleep(PICA_MS(10));
    }
    pica_thread_create(&ps_thread, "ps", ps_every_five_seconds, NULL, ps_stack, sizeof(ps_stack),
                       14, 0);
    echo_loop();
}
