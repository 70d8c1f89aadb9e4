/* SPDX-License-Identifier: MIT */
/* Console: transmit through stdio, and receive a line that the runner types
 * after the prompt, delivered by the UART's receive interrupt. */
#include <pica/board.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>
#include <string.h>

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

PICA_TEST(line_arrives_through_rx_interrupt)
{
    struct pica_console_stats before, after;
    pica_console_stats(&before);
    printf("type> ");
    fflush(stdout);
    char line[64];
    size_t n = 0;
    for (;;) {
        int c = pica_console_getc();
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
