/* SPDX-License-Identifier: MIT */
/* The serial console: stdout/stderr/stdin of picolibc are bound to it.
 * Output is polled (usable from faults); input arrives by interrupt into a
 * ring buffer of PICA_CFG_CONSOLE_RX_SIZE bytes. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Copy up to @len received bytes into @buf without waiting.
 * Context: any. Returns: number of bytes copied (0 if none), -EINVAL (@buf
 * NULL with @len not 0, or @len above INT_MAX). */
int pica_console_read(char *buf, size_t len);

/* Wait for one received byte and return it (0..255). Where waiting is
 * impossible it does not wait: in an interrupt handler it returns a byte
 * already received or -EAGAIN at once, and with the kernel lock held the
 * error of the refused wait. getchar() and the rest of stdin read through
 * it, and return EOF with ferror(stdin) set in those cases.
 * Context: thread; ISR without waiting.
 * Returns: the byte, -EAGAIN (ISR, nothing received), -EDEADLK (cannot
 * wait here). */
int pica_console_getc(void);

/* Write @len bytes. Context: any. Returns: @len, -EINVAL (@buf NULL with
 * @len not 0, or @len above INT_MAX: nothing written). */
int pica_console_write(const char *buf, size_t len);

struct pica_console_stats {
    uint32_t rx_bytes;    /* bytes the receive interrupt stored */
    uint32_t rx_dropped;  /* bytes lost because the buffer was full */
    uint32_t rx_irqs;     /* receive interrupts taken */
};
/* Context: any. Returns: 0, -EINVAL (@st NULL). */
int pica_console_stats(struct pica_console_stats *st);
