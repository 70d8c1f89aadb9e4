/* SPDX-License-Identifier: MIT */
/* The default `make run` image: after the banner, a console echo loop that
 * shows what the receive interrupt delivered. It grows into the shell. */
#include <pica/pica.h>
#include <stdio.h>

int
main(void)
{
    printf("Type a line and press Enter; it comes back through the RX interrupt.\n");
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
