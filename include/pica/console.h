/* SPDX-License-Identifier: MIT */
/* The serial console: stdout/stderr/stdin of picolibc are bound to it.
 *
 * Output goes through a ring of PICA_CFG_CONSOLE_TX_SIZE bytes that the
 * UART's transmit interrupt drains, so a thread printing a long text
 * sleeps while the UART catches up instead of spinning at its priority.
 * Before the scheduler starts, on boards without a usable transmit
 * interrupt, and from a panic, fault or pica_exit() on, output is polled.
 * Input arrives by interrupt into a ring of PICA_CFG_CONSOLE_RX_SIZE bytes.
 *
 * Lines stay whole. The first byte a thread writes makes it the console's
 * owner; other threads' output waits until the owner writes '\n', flushes
 * (fflush), reads the console, or calls pica_console_unlock(). A waiting
 * writer takes the console anyway once the owner has written nothing, and
 * is not inside a write, for PICA_CFG_CONSOLE_WAIT_MS (50 ms), so a thread
 * that prints a prompt without a newline and goes on to something else
 * delays the others by that much, once. Interrupt handlers and callers
 * holding the kernel lock never wait: their bytes are queued at once if
 * they fit and dropped (counted in tx_dropped) if not, and may land inside
 * a thread's line. Stdio output of kernel code running for a process (a
 * report printed in a system call) does the same: its privileged stack has
 * no room for a wait under printf. '\n' goes out as "\r\n". */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct pica_thread;

/* Copy up to @len received bytes into @buf without waiting. A thread that
 * owns the console gives it up (see above), unless it holds it with
 * pica_console_lock().
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

/* Write @len bytes as one unit: no other thread's output comes between
 * them. A thread waits for room in the transmit ring and for the owner of
 * the console; it owns the console afterwards unless the last byte was
 * '\n'. Elsewhere the bytes that do not fit are dropped.
 * Context: any. Returns: @len (dropped bytes included), -EINVAL (@buf NULL
 * with @len not 0, or @len above INT_MAX: nothing written). */
int pica_console_write(const char *buf, size_t len);

/* Own the console until pica_console_unlock(), across any number of writes,
 * newlines, flushes and reads; waiting as a writer waits, so also taken
 * from a holder silent for PICA_CFG_CONSOLE_WAIT_MS. It does not nest.
 * Context: thread. Returns: 0, -EINVAL (ISR), -EDEADLK (kernel lock held,
 * or before the scheduler starts). */
int pica_console_lock(void);
/* Give the console up (to the first thread waiting for it). Does nothing
 * if the calling thread does not own it. Context: thread. */
void pica_console_unlock(void);

/* Keep an interactive prompt intact under other threads' output (the
 * shell). When a thread other than @owner takes the console, @hide(@arg)
 * runs first, in that thread, to erase the prompt and the line being
 * typed; when that thread gives the console up with nobody waiting, or
 * @owner takes it back, @show(@arg) redraws them. Both run while their
 * thread owns the console, so what they write with pica_console_write()
 * goes out at once, in order, without changing the owner. Interrupt
 * handlers' output does not take the console and is not hidden around. A
 * user thread's system call has too small a stack for the hooks: for its
 * line the console erases the terminal line itself (CR, erase line), and
 * @show runs in @owner when it next reads the console, woken as by a key.
 * NULL @hide and @show remove the hooks.
 * Context: thread. Returns: 0, -EINVAL (only one of @hide, @show NULL). */
int pica_console_set_prompt_hooks(void (*hide)(void *arg), void (*show)(void *arg), void *arg,
                                  const struct pica_thread *owner);

struct pica_console_stats {
    uint32_t rx_bytes;    /* bytes the receive interrupt stored */
    uint32_t rx_dropped;  /* bytes lost because the buffer was full */
    uint32_t rx_irqs;     /* console interrupts that received bytes */
    uint32_t tx_bytes;    /* bytes queued or sent ('\n' counts two: "\r\n") */
    uint32_t tx_dropped;  /* bytes lost: the ring was full and the writer could not wait */
    uint32_t tx_irqs;     /* console interrupts that served the transmitter */
    uint32_t tx_queued;   /* bytes in the transmit ring now, not yet sent */
};
/* Context: any. Returns: 0, -EINVAL (@st NULL). */
int pica_console_stats(struct pica_console_stats *st);
