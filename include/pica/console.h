/* SPDX-License-Identifier: MIT */
/* The serial console: stdout/stderr/stdin of picolibc are bound to it.
 * Output is polled (usable from faults); input arrives by interrupt into a
 * ring buffer of PICA_CFG_CONSOLE_RX_SIZE bytes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Copy up to @len received bytes into @buf without waiting.
 * Context: any. Returns: number of bytes copied (0 if none). */
int pica_console_read(char *buf, size_t len);

/* Wait for one received byte and return it (0..255). Context: thread. */
int pica_console_getc(void);

/* Write @len bytes. Context: any. Returns: @len. */
int pica_console_write(const char *buf, size_t len);

struct pica_console_stats {
    uint32_t rx_bytes;    /* bytes the receive interrupt stored */
    uint32_t rx_dropped;  /* bytes lost because the buffer was full */
    uint32_t rx_irqs;     /* receive interrupts taken */
};
void pica_console_stats(struct pica_console_stats *st);
