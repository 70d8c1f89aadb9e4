/* SPDX-License-Identifier: MIT */
/* The serial console's input, its interrupt and picolibc's stdio: stdin
 * reads the receive ring that the board's handler fills via
 * console_rx_byte(); stdout/stderr write through console_tx.c, whose ring
 * the same handler drains. The receive ring has one producer (the ISR) and
 * one consumer (threads), so head and tail each have a single writer. */
#include <pica/console.h>

#include <errno.h>
#include <limits.h>
#include <pica/board.h>
#include <pica/config.h>
#include <pica/irq.h>
#include <pica/panic.h>
#include <pica/sem.h>
#include <pica/tap.h>
#include <stdio.h>

#include "arch.h"
#include "console_priv.h"
#include "kernel.h"
#include "sched.h"

#define RX_MASK (PICA_CFG_CONSOLE_RX_SIZE - 1u)

uint8_t console_irq_unseen;

static char rx_buf[PICA_CFG_CONSOLE_RX_SIZE];
static volatile uint32_t rx_head; /* written only by the ISR */
static volatile uint32_t rx_tail; /* written only by readers */
/* Signalled by every received byte, so a reader sleeps instead of polling;
 * binary, since the ring itself says how much there is. */
static struct pica_sem rx_ready;

void
console_rx_byte(char c)
{
    if (__builtin_expect(pica_taps.console_rx != NULL, 0) && pica_taps.console_rx(c)) {
        return;
    }
    uint32_t head = rx_head;
    if (head - rx_tail >= PICA_CFG_CONSOLE_RX_SIZE) {
        console_stats.rx_dropped++;
        return;
    }
    rx_buf[head & RX_MASK] = c;
    arch_barrier();
    rx_head = head + 1;
    console_stats.rx_bytes++;
    if (console_irq_unseen & CONSOLE_IRQ_RX) {
        console_irq_unseen &= (uint8_t)~CONSOLE_IRQ_RX;
        console_stats.rx_irqs++;
    }
    pica_sem_give(&rx_ready);
}

void
console_rx_wake(void)
{
    pica_sem_give(&rx_ready);
}

/* Both directions, on one line or two (board_info()->console_tx). Under
 * the lock because writers of every context start the transmitter and
 * drivers turn its interrupt on and off by read-modify-write: the board's
 * handler must not interleave with them. Nothing is kept across the call
 * (the first byte each way counts the interrupt): it may run on a
 * process's small privileged stack. */
static void
console_isr(void *arg)
{
    unsigned key = arch_irq_lock();
    console_irq_unseen = CONSOLE_IRQ_RX | CONSOLE_IRQ_TX;
    board_console_isr(arg);
    console_irq_unseen = 0;
    arch_irq_unlock(key);
}

int
pica_console_read(char *buf, size_t len)
{
    PICA_CHECK((buf != NULL || len == 0) && len <= INT_MAX, -EINVAL);
    /* A thread reading has finished what it was writing (a prompt), and
     * its prompt is redrawn before it takes a key. */
    console_prompt_catch_up();
    console_line_end();
    /* Readers serialise through the lock; the ISR only moves head. */
    unsigned key = arch_irq_lock();
    size_t n = 0;
    while (n < len && rx_tail != rx_head) {
        buf[n++] = rx_buf[rx_tail & RX_MASK];
        rx_tail = rx_tail + 1;
    }
    arch_irq_unlock(key);
    return (int)n;
}

int
pica_console_getc(void)
{
    char c;
    while (pica_console_read(&c, 1) == 0) {
        if (arch_in_isr()) {
            return -EAGAIN; /* a handler cannot wait for the next byte */
        }
        if (!sched_started) {
            arch_idle();
            continue;
        }
        /* Binary and given per byte, so a wake-up may find the byte already
         * taken by another reader: look again. Any error means this thread
         * cannot wait here (the kernel lock held...): retrying would spin. */
        int err = pica_sem_take(&rx_ready, PICA_FOREVER);
        if (err != 0) {
            return err;
        }
    }
    return (unsigned char)c;
}

int
pica_console_stats(struct pica_console_stats *st)
{
    PICA_CHECK(st != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    *st = console_stats;
    console_tx_stats_locked(st);
    arch_irq_unlock(key);
    return 0;
}

/* The transmitter's own line, where it has one: true if attached. */
static bool
console_tx_line_attach(const struct pica_board_info *b)
{
    if (b->console_tx != PICA_CONSOLE_TX_IRQ_LINE) {
        return true;
    }
    if (pica_irq_attach(b->console_tx_irq, console_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT) != 0) {
        return false;
    }
    pica_irq_enable(b->console_tx_irq);
    return true;
}

void
console_init(void)
{
    const struct pica_board_info *b = board_info();
    pica_sem_init(&rx_ready, 0, 1);
    console_owner_init();
    bool attached = pica_irq_attach(b->console_irq, console_isr, NULL,
                                    PICA_CFG_IRQ_PRIO_DEFAULT) == 0;
    if (attached) {
        board_console_rx_enable();
        pica_irq_enable(b->console_irq);
    }
    /* Without its handler a transmit interrupt would never drain the ring:
     * such a console stays polled. */
    console_tx_init(attached && b->console_tx != PICA_CONSOLE_TX_POLLED &&
                    console_tx_line_attach(b));
}

/* picolibc stdio: one stream serves stdin, stdout and stderr. tinystdio
 * hands over one character at a time, so the console's owner, not this
 * function, keeps a line from several printf calls together. */
static int
stdio_put(char c, FILE *f)
{
    (void)f;
    return console_putc(c);
}

/* fflush(stdout): the bytes are queued already; a flush ends the calling
 * thread's hold on the console, as a newline does. */
static int
stdio_flush(FILE *f)
{
    (void)f;
    console_line_end();
    return 0;
}

/* A byte, or _FDEV_ERR where none can be waited for: getchar() returns
 * EOF with the error indicator set (not the end-of-file one, which C makes
 * sticky), so a later read in a thread works. */
static int
stdio_get(FILE *f)
{
    (void)f;
    int c = pica_console_getc();
    return c >= 0 ? c : _FDEV_ERR;
}

static FILE console_stream = FDEV_SETUP_STREAM(stdio_put, stdio_get, stdio_flush, _FDEV_SETUP_RW);
FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;
