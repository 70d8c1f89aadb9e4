/* SPDX-License-Identifier: MIT */
/* The serial console and picolibc's stdio: stdout/stderr write through the
 * board's polled transmit; stdin reads the receive ring that the board's RX
 * interrupt fills via console_rx_byte(). The ring has one producer (the ISR)
 * and one consumer (threads), so head and tail each have a single writer. */
#include <pica/console.h>

#include <errno.h>
#include <limits.h>
#include <pica/board.h>
#include <pica/config.h>
#include <pica/irq.h>
#include <pica/panic.h>
#include <pica/sem.h>
#include <stdio.h>

#include "arch.h"
#include "kernel.h"
#include "sched.h"

#define RX_MASK (PICA_CFG_CONSOLE_RX_SIZE - 1u)

static char rx_buf[PICA_CFG_CONSOLE_RX_SIZE];
static volatile uint32_t rx_head; /* written only by the ISR */
static volatile uint32_t rx_tail; /* written only by readers */
static struct pica_console_stats rx_stats;
/* Signalled by every received byte, so a reader sleeps instead of polling;
 * binary, since the ring itself says how much there is. */
static struct pica_sem rx_ready;

void
console_rx_byte(char c)
{
    uint32_t head = rx_head;
    if (head - rx_tail >= PICA_CFG_CONSOLE_RX_SIZE) {
        rx_stats.rx_dropped++;
        return;
    }
    rx_buf[head & RX_MASK] = c;
    arch_barrier();
    rx_head = head + 1;
    rx_stats.rx_bytes++;
    pica_sem_give(&rx_ready);
}

static void
console_rx_isr(void *arg)
{
    rx_stats.rx_irqs++;
    board_console_rx_isr(arg);
}

int
pica_console_read(char *buf, size_t len)
{
    PICA_CHECK((buf != NULL || len == 0) && len <= INT_MAX, -EINVAL);
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
pica_console_write(const char *buf, size_t len)
{
    PICA_CHECK((buf != NULL || len == 0) && len <= INT_MAX, -EINVAL);
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            board_console_putc('\r');
        }
        board_console_putc(buf[i]);
    }
    return (int)len;
}

int
pica_console_stats(struct pica_console_stats *st)
{
    PICA_CHECK(st != NULL, -EINVAL);
    unsigned key = arch_irq_lock();
    *st = rx_stats;
    arch_irq_unlock(key);
    return 0;
}

void
console_init(void)
{
    pica_sem_init(&rx_ready, 0, 1);
    unsigned irq = board_info()->console_irq;
    if (pica_irq_attach(irq, console_rx_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT) == 0) {
        board_console_rx_enable();
        pica_irq_enable(irq);
    }
}

/* picolibc stdio: one stream serves stdin, stdout and stderr. */
static int
stdio_put(char c, FILE *f)
{
    (void)f;
    pica_console_write(&c, 1);
    return (unsigned char)c;
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

static FILE console_stream = FDEV_SETUP_STREAM(stdio_put, stdio_get, NULL, _FDEV_SETUP_RW);
FILE *const stdin = &console_stream;
FILE *const stdout = &console_stream;
FILE *const stderr = &console_stream;
