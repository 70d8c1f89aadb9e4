/* SPDX-License-Identifier: MIT */
/* Console: transmit through stdio, and receive a line that the runner types
 * after the prompt, delivered by the UART's receive interrupt; reads where
 * no wait is possible (an interrupt handler, the kernel lock held) return
 * at once. */
#include <errno.h>
#include <pica/board.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

#include "arch.h"

PICA_TEST(stdio_reaches_console)
{
    int n = printf("console tx check %d\n", 42);
    pica_assert_eq(n, 20); /* "console tx check 42\n" */
}

PICA_TEST(nothing_received_before_prompt)
{
    char c;
    pica_assert_eq(pica_console_read(&c, 1), 0);
}

static volatile int isr_getchar = 1, isr_getc = 1;

static void
read_in_isr(void *arg)
{
    (void)arg;
    isr_getchar = getchar();
    isr_getc = pica_console_getc();
}

PICA_TEST(reading_in_an_interrupt_handler_with_nothing_received_returns_at_once)
{
    unsigned irq = arch_irq_lines() - 1;
    pica_assert_eq(pica_irq_attach(irq, read_in_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    pica_test_fire_irq(irq);
    pica_assert_eq(pica_irq_detach(irq), 0);
    pica_assert_eq(isr_getchar, EOF);
    pica_assert_eq(isr_getc, -EAGAIN);
    /* An error, not end of file: the stream reads on once cleared. */
    pica_assert(ferror(stdin));
    pica_assert(!feof(stdin));
    clearerr(stdin);
}

PICA_TEST(reading_with_the_kernel_lock_held_is_refused_not_a_spin)
{
    unsigned key = pica_irq_lock();
    int c = pica_console_getc();
    pica_irq_unlock(key);
    pica_assert_eq(c, -EDEADLK);
}

PICA_TEST(line_arrives_through_rx_interrupt)
{
    struct pica_console_stats before, after;
    pica_console_stats(&before);
    printf("type> ");
    fflush(stdout);
    char line[64];
    size_t n = 0;
    for (;;) {
        /* The first byte through stdio, after the refused reads above. */
        int c = n == 0 ? getchar() : pica_console_getc();
        if (c == '\r' || c == '\n') {
            break;
        }
        pica_assert_lt(n, sizeof(line) - 1);
        line[n++] = (char)c;
    }
    line[n] = '\0';
    printf("echo: %s\n", line);
    pica_console_stats(&after);
    pica_assert(strcmp(line, "hello pica 123") == 0);
    pica_assert_eq(after.rx_bytes - before.rx_bytes, 15);
    pica_assert_gt(after.rx_irqs, before.rx_irqs);
    pica_assert_gt(pica_irq_count(board_info()->console_irq), 0);
    pica_assert_eq(after.rx_dropped, 0);
}

int
main(void)
{
    pica_test_run();
}
