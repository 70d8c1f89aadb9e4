/* SPDX-License-Identifier: MIT */
/* Console internals shared across kernel/: the transmit path
 * (console_tx.c), the owner and the ways to write (console_owner.c), input
 * and stdio (console.c), and the ways the system stops (panic.c). */
#pragma once

#include <pica/console.h>
#include <stdbool.h>
#include <stddef.h>

/* Counters of both directions, changed under the kernel lock. */
extern struct pica_console_stats console_stats;

/* The directions the running console interrupt has not yet counted in
 * rx_irqs and tx_irqs: set around the board's handler, cleared by the
 * first byte received or asked for. */
#define CONSOLE_IRQ_RX 1u
#define CONSOLE_IRQ_TX 2u
extern uint8_t console_irq_unseen;

/* Set up the transmit side; @irq: the board's transmit interrupt is
 * attached, so output goes through the ring once the scheduler runs.
 * Context: boot. */
void console_tx_init(bool irq);
void console_owner_init(void);

/* Whether output goes through the ring now (else it is polled). */
bool console_tx_ring_in_use(void);

/* Store @c in the ring ('\n' as "\r\n") and start the transmitter.
 * Returns false, storing nothing, if there is no room. Context: kernel
 * lock held, the ring in use. */
bool console_tx_putc_locked(char c);

/* Store all of @buf (len > 0) and start the transmitter, or store nothing
 * and return false if it does not fit. Context: kernel lock held, the
 * ring in use. */
bool console_tx_putn_locked(const char *buf, size_t len);

/* Sleep until the transmit interrupt has made room. Called with the lock
 * (@key); returns without it, with the wait's result. Context: thread. */
int console_tx_room_wait_locked(unsigned key);

/* Send @len bytes through the ring, waiting for room if @may_wait and
 * dropping (counted) what does not fit otherwise; or polled where the ring
 * is not in use. Nothing about the owner. Context: any. */
void console_tx_write(const char *buf, size_t len, bool may_wait);

/* Write @len bytes without taking the console and without waiting for its
 * owner: what a prompt hook writes. A thread that may wait still waits for
 * room in the ring; anywhere else bytes that do not fit are dropped.
 * Context: any. */
void console_write_raw(const char *buf, size_t len);

/* pica_console_write() of the one character @c, for stdio (which writes
 * nothing else): the usual case, a thread continuing its own line with
 * room in the ring, takes one pass under the lock and few stack frames.
 * Context: any. Returns: @c as an unsigned char. */
int console_putc(char c);

/* Give up the console if the calling thread owns it without holding it
 * (pica_console_lock()): a read, a flush. Context: any (only a thread that
 * may block gives anything up). */
void console_line_end(void);

/* In the prompt's thread (pica_console_set_prompt_hooks()): redraw the
 * prompt if a user thread's line erased it, owning the console afterwards
 * for console_line_end() to give up. Elsewhere, or with nothing to redraw,
 * nothing. Context: any. */
void console_prompt_catch_up(void);

/* Wake a thread waiting in pica_console_getc() as a received byte would,
 * for console_prompt_catch_up(). Context: any. */
void console_rx_wake(void);

/* Fill in the transmit side's figures that are not counters. Context:
 * kernel lock held. */
void console_tx_stats_locked(struct pica_console_stats *st);

/* From now on, polled output only: the transmit interrupt is not used
 * again, what the ring holds goes out first by polling, and nobody waits
 * for room. For the paths that stop the system (a panic, a fault,
 * pica_exit()), which call it before they print. Context: any. */
void console_panic_mode(void);
