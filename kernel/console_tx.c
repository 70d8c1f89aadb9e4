/* SPDX-License-Identifier: MIT */
/* The console's transmit path: a ring that the UART's transmit interrupt
 * drains through console_tx_next(), waits for room in it, and the polled
 * path that serves boot, boards without a transmit interrupt, and the end
 * of the system (console_panic_mode()). Who may write when (the console's
 * owner) is console_owner.c's business; input and stdio are console.c's.
 *
 * Writers are threads and interrupt handlers alike, and the board's handler
 * pulls bytes with the kernel lock held, so the ring changes only under
 * that lock. On RV32 the transmit interrupt a writer starts arrives as it
 * unlocks, on its own stack (a process's small privileged stack in a
 * system call): the paths below keep the frames live at that moment few,
 * which is why some helpers are kept out of line. */
#include <pica/console.h>

#include <pica/board.h>
#include <pica/config.h>

#include "arch.h"
#include "console_priv.h"
#include "sched.h"
#include "waitq.h"

#define TX_MASK (PICA_CFG_CONSOLE_TX_SIZE - 1u)
/* Writers waiting for room wake once the ring has drained to half: one
 * wake-up per half ring instead of one per byte. */
#define TX_LOW_WATER (PICA_CFG_CONSOLE_TX_SIZE / 2u)

static char tx_buf[PICA_CFG_CONSOLE_TX_SIZE];
static uint32_t tx_head;             /* free-running; next byte stored at tx_head & TX_MASK */
static uint32_t tx_tail;             /* free-running; next byte sent */
static bool tx_irq;                  /* the board's transmit interrupt is attached */
static bool tx_busy;                 /* and on: the board's handler will pull */
static volatile bool tx_polled_only; /* console_panic_mode() ran */
static struct pica_waitq tx_room;    /* threads waiting for room */

struct pica_console_stats console_stats;

void
console_tx_init(bool irq)
{
    waitq_init(&tx_room);
    tx_irq = irq;
}

bool
console_tx_ring_in_use(void)
{
    return tx_irq && sched_started && !tx_polled_only;
}

int
console_tx_next(void)
{
    if (console_irq_unseen & CONSOLE_IRQ_TX) {
        console_irq_unseen &= (uint8_t)~CONSOLE_IRQ_TX;
        console_stats.tx_irqs++;
    }
    if (tx_head == tx_tail || tx_polled_only) {
        tx_busy = false; /* the driver turns the interrupt off now */
        return -1;
    }
    unsigned char c = (unsigned char)tx_buf[tx_tail & TX_MASK];
    tx_tail++;
    if (tx_head - tx_tail <= TX_LOW_WATER && waitq_first_locked(&tx_room) != NULL) {
        waitq_wake_all_locked(&tx_room, 0);
    }
    return c;
}

/* Store @c, '\n' as "\r\n" (both or neither). Returns whether it fit. */
static inline bool
tx_store_locked(char c)
{
    uint32_t need = c == '\n' ? 2u : 1u;
    if (PICA_CFG_CONSOLE_TX_SIZE - (tx_head - tx_tail) < need) {
        return false;
    }
    if (c == '\n') {
        tx_buf[tx_head++ & TX_MASK] = '\r';
    }
    tx_buf[tx_head++ & TX_MASK] = c;
    console_stats.tx_bytes += need;
    return true;
}

static inline void
tx_start_locked(void)
{
    if (!tx_busy) {
        tx_busy = true;
        board_console_tx_kick();
    }
}

bool
console_tx_putc_locked(char c)
{
    if (!tx_store_locked(c)) {
        return false;
    }
    tx_start_locked();
    return true;
}

bool
console_tx_putn_locked(const char *buf, size_t len)
{
    size_t need = len;
    for (size_t i = 0; i < len; i++) {
        need += buf[i] == '\n';
    }
    if (need > PICA_CFG_CONSOLE_TX_SIZE - (tx_head - tx_tail)) {
        return false;
    }
    for (size_t i = 0; i < len; i++) {
        (void)tx_store_locked(buf[i]);
    }
    tx_start_locked();
    return true;
}

/* Store as much of @buf as fits and start the transmitter. Returns the
 * bytes of @buf taken. */
static __attribute__((noinline)) size_t
tx_put_locked(const char *buf, size_t len)
{
    size_t i = 0;
    while (i < len && tx_store_locked(buf[i])) {
        i++;
    }
    if (i != 0) {
        tx_start_locked();
    }
    return i;
}

static __attribute__((noinline)) void
tx_drop_locked(const char *buf, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        console_stats.tx_dropped += buf[i] == '\n' ? 2u : 1u;
    }
}

__attribute__((noinline)) int
console_tx_room_wait_locked(unsigned key)
{
    return waitq_block_locked(&tx_room, key, PICA_FOREVER);
}

/* The rest of tx_write_ring() once the ring is full: a caller that
 * @may_wait sleeps for room, any other drops what does not fit. Called
 * with the lock (@key); returns without it. */
static __attribute__((noinline)) void
tx_write_ring_full(const char *buf, size_t len, bool may_wait, unsigned key)
{
    for (;;) {
        if (!may_wait || tx_polled_only) {
            tx_drop_locked(buf, len);
            break;
        }
        may_wait = console_tx_room_wait_locked(key) == 0;
        key = arch_irq_lock();
        size_t n = tx_put_locked(buf, len);
        buf += n;
        len -= n;
        if (len == 0) {
            break;
        }
    }
    arch_irq_unlock(key);
}

/* Queue all of @buf: inline, the usual case where it fits. */
static inline void
tx_write_ring(const char *buf, size_t len, bool may_wait)
{
    unsigned key = arch_irq_lock();
    size_t n = tx_put_locked(buf, len);
    if (n == len) {
        arch_irq_unlock(key);
    } else {
        tx_write_ring_full(buf + n, len - n, may_wait, key);
    }
}

static __attribute__((noinline)) void
tx_write_polled(const char *buf, size_t len)
{
    uint32_t sent = 0;
    for (size_t i = 0; i < len; i++) {
        if (buf[i] == '\n') {
            board_console_putc('\r');
            sent++;
        }
        board_console_putc(buf[i]);
        sent++;
    }
    unsigned key = arch_irq_lock();
    console_stats.tx_bytes += sent;
    arch_irq_unlock(key);
}

void
console_tx_write(const char *buf, size_t len, bool may_wait)
{
    if (console_tx_ring_in_use()) {
        tx_write_ring(buf, len, may_wait);
    } else {
        tx_write_polled(buf, len);
    }
}

void
console_write_raw(const char *buf, size_t len)
{
    unsigned key = arch_irq_lock();
    bool may_wait = sched_may_block(key) == 0;
    arch_irq_unlock(key);
    console_tx_write(buf, len, may_wait);
}

void
console_tx_stats_locked(struct pica_console_stats *st)
{
    st->tx_queued = tx_head - tx_tail;
}

void
console_panic_mode(void)
{
    unsigned key = arch_irq_lock();
    tx_polled_only = true;
    /* The ring's bytes came first; the UART may still hold one it is
     * sending, which board_console_putc() waits out. */
    while (tx_tail != tx_head) {
        board_console_putc(tx_buf[tx_tail & TX_MASK]);
        tx_tail++;
    }
    arch_irq_unlock(key);
}
