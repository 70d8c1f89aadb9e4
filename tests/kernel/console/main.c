/* SPDX-License-Identifier: MIT */
/* Console: transmit through stdio, and receive a line that the runner types
 * after the prompt, delivered by the UART's receive interrupt; reads where
 * no wait is possible (an interrupt handler, the kernel lock held) return
 * at once. Then the transmit ring: a writer that fills it sleeps, lines
 * from several threads stay whole, interrupt handlers queue without
 * waiting and lose what does not fit, and the console's owner, lock and
 * prompt hooks behave as console.h says. The runner checks the text
 * (CMakeLists.txt): no line mixes two threads' output.
 *
 * QEMU sends every byte as soon as it is written, so a full ring is made
 * here by keeping the UART's interrupt from running (its line disabled):
 * then only the first FIFO's worth of a write goes out at once. */
#include <errno.h>
#include <pica/board.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdbool.h>
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


/* Whether output goes through the ring on this board (netduinoplus2 polls:
 * see its board.c). */
static bool
tx_by_interrupt(void)
{
    return board_info()->console_tx != PICA_CONSOLE_TX_POLLED;
}

/* Stop or restart the console's interrupt handler (both lines on mps2).
 * While it is stopped the ring only fills; what the UART raises meanwhile
 * stays pending and should run the handler once the line is enabled
 * again. QEMU 7.2's PLIC does not signal a source that became pending
 * while disabled when it is enabled again (it looks again only on
 * priority, threshold and claim writes), so the handler is also pended
 * once by software: it serves whatever it finds, as the drivers allow. */
static void
console_lines(bool on)
{
    const struct pica_board_info *b = board_info();
    int (*set)(unsigned) = on ? pica_irq_enable : pica_irq_disable;
    pica_assert_eq(set(b->console_irq), 0);
    if (b->console_tx == PICA_CONSOLE_TX_IRQ_LINE) {
        pica_assert_eq(set(b->console_tx_irq), 0);
    }
    if (on) {
        pica_assert_eq(pica_irq_trigger(b->console_irq), 0);
    }
}

static struct pica_console_stats
stats_now(void)
{
    struct pica_console_stats st;
    pica_assert_eq(pica_console_stats(&st), 0);
    return st;
}

/* Wait for the interrupt to empty the ring. */
static void
wait_drained(void)
{
    for (int i = 0; i < 100 && stats_now().tx_queued != 0; i++) {
        pica_sleep(PICA_TICKS(1));
    }
    pica_assert_eq(stats_now().tx_queued, 0);
}

#define BURST_LINES 64
#define BURST_LINE_BYTES 61 /* on the wire, with "\r\n": 3.8 KB in all */
static volatile uint32_t counted;
static volatile bool counter_stop, burst_done;

static void
count_entry(void *arg)
{
    (void)arg;
    while (!counter_stop) {
        counted++;
    }
}

/* Whole lines: stdio's one byte at a time would each go straight into the
 * UART's FIFO, which QEMU empties at once, and never wait. */
static void
burst_entry(void *arg)
{
    (void)arg;
    char line[BURST_LINE_BYTES];
    for (int i = 0; i < BURST_LINES; i++) {
        int n = snprintf(line, sizeof(line),
                         "burst %02d ..................................................\n", i);
        pica_console_write(line, (size_t)n);
    }
    burst_done = true;
}

PICA_TEST(a_writer_that_fills_the_ring_sleeps_and_lower_threads_run)
{
    struct pica_console_stats before = stats_now();
    counted = 0;
    counter_stop = burst_done = false;
    if (tx_by_interrupt()) {
        console_lines(false);
    }
    pica_assert_eq(pica_test_spawn(0, count_entry, NULL, PICA_PRIO_MAIN + 2), 0);
    /* More urgent than this thread: it runs at once, until it sleeps. */
    pica_assert_eq(pica_test_spawn(1, burst_entry, NULL, PICA_PRIO_MAIN - 2), 0);
    if (tx_by_interrupt()) {
        /* Checked once the console runs again: a failure report now would
         * wait for room behind the writer. */
        bool done_at_start = burst_done;
        uint32_t counted_at_start = counted;
        pica_sleep(PICA_MS(5));
        bool done_later = burst_done;
        uint32_t counted_later = counted;
        uint32_t queued = stats_now().tx_queued;
        console_lines(true);
        /* The less urgent thread ran while the writer still had text: the
         * writer was asleep, not spinning. */
        pica_assert(!done_at_start);
        pica_assert(!done_later);
        pica_assert_gt(counted_later, counted_at_start);
        pica_assert_ge(queued, PICA_CFG_CONSOLE_TX_SIZE - 1); /* full but for a "\r\n" */
    }
    pica_assert_eq(pica_thread_join(pica_test_worker(1), PICA_MS(5000)), 0);
    pica_assert(burst_done);
    counter_stop = true;
    pica_test_join_workers(2);
    struct pica_console_stats after = stats_now();
    pica_assert_ge(after.tx_bytes - before.tx_bytes, BURST_LINES * BURST_LINE_BYTES);
    pica_assert_eq(after.tx_dropped, before.tx_dropped);
    if (tx_by_interrupt()) {
        pica_assert_gt(after.tx_irqs, before.tx_irqs);
    }
}

/* Each line "A07:" and 56 letters, printed in pieces with a yield between
 * them, so that the other thread runs in the middle of every line. */
#define MIX_LINES 50
static void
mix_entry(void *arg)
{
    char c = *(const char *)arg;
    char piece[15];
    memset(piece, c, sizeof(piece) - 1);
    piece[sizeof(piece) - 1] = '\0';
    for (int i = 0; i < MIX_LINES; i++) {
        printf("%c%02d:", c, i);
        for (int k = 0; k < 4; k++) {
            printf("%s", piece);
            pica_yield();
        }
        printf("\n");
    }
}

PICA_TEST(lines_printed_piecewise_by_two_threads_stay_whole)
{
    static const char a = 'A', b = 'B';
    struct pica_console_stats before = stats_now();
    /* Less urgent than this thread, so both exist before either runs. */
    pica_assert_eq(pica_test_spawn(0, mix_entry, (void *)&a, PICA_PRIO_MAIN + 1), 0);
    pica_assert_eq(pica_test_spawn(1, mix_entry, (void *)&b, PICA_PRIO_MAIN + 1), 0);
    pica_test_join_workers(2);
    struct pica_console_stats after = stats_now();
    pica_assert_eq(after.tx_dropped, before.tx_dropped);
    pica_assert_ge(after.tx_bytes - before.tx_bytes, 2u * MIX_LINES * 62u);
}

/* Longer than a UART's FIFO, which takes the first bytes at once, and
 * shorter than the smallest ring (on sifive_e). */
static const char isr_text[] = "isr-output: queued by a handler, no wait\n";
static volatile int isr_write_rc;

static void
write_in_isr(void *arg)
{
    (void)arg;
    isr_write_rc = pica_console_write(isr_text, strlen(isr_text));
}

PICA_TEST(an_interrupt_handler_queues_its_output_without_waiting)
{
    wait_drained();
    if (tx_by_interrupt()) {
        console_lines(false); /* nothing can leave: a wait would never end */
    }
    struct pica_console_stats before = stats_now();
    unsigned irq = arch_irq_lines() - 1;
    pica_assert_eq(pica_irq_attach(irq, write_in_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    pica_test_fire_irq(irq);
    pica_assert_eq(pica_irq_detach(irq), 0);
    struct pica_console_stats after = stats_now();
    if (tx_by_interrupt()) {
        console_lines(true);
        wait_drained();
    }
    uint32_t wire = (uint32_t)strlen(isr_text) + 1u; /* "\n" is sent as "\r\n" */
    pica_assert_eq(isr_write_rc, (int)strlen(isr_text));
    pica_assert_eq(after.tx_bytes - before.tx_bytes, wire);
    pica_assert_eq(after.tx_dropped, before.tx_dropped);
    if (tx_by_interrupt()) {
        /* The rest waited in the ring for the interrupt. */
        pica_assert_gt(after.tx_queued, 0);
        pica_assert_gt(stats_now().tx_irqs, after.tx_irqs);
    }
}

#define OVERFLOW 32
static char flood[PICA_CFG_CONSOLE_TX_SIZE + OVERFLOW];
static volatile int flood_rc;

static void
flood_in_isr(void *arg)
{
    (void)arg;
    flood_rc = pica_console_write(flood, sizeof(flood));
}

PICA_TEST(an_interrupt_handler_writing_into_a_full_ring_loses_bytes_counted)
{
    if (!tx_by_interrupt()) {
        return; /* polled: a handler's output waits for the UART, none is lost */
    }
    memset(flood, 'z', sizeof(flood));
    wait_drained();
    console_lines(false);
    struct pica_console_stats before = stats_now();
    unsigned irq = arch_irq_lines() - 1;
    pica_assert_eq(pica_irq_attach(irq, flood_in_isr, NULL, PICA_CFG_IRQ_PRIO_DEFAULT), 0);
    pica_assert_eq(pica_irq_enable(irq), 0);
    pica_test_fire_irq(irq);
    pica_assert_eq(pica_irq_detach(irq), 0);
    struct pica_console_stats after = stats_now();
    console_lines(true);
    wait_drained();
    printf("\n");
    pica_assert_eq(flood_rc, (int)sizeof(flood));
    pica_assert_eq(after.tx_bytes - before.tx_bytes, PICA_CFG_CONSOLE_TX_SIZE);
    pica_assert_eq(after.tx_dropped - before.tx_dropped, OVERFLOW);
}

static volatile bool worker_done;

static void
line_entry(void *arg)
{
    printf("%s\n", (const char *)arg);
    worker_done = true;
}

PICA_TEST(a_locked_console_keeps_other_threads_out_across_lines)
{
    worker_done = false;
    pica_assert_eq(pica_console_lock(), 0);
    printf("locked 1\n");
    pica_assert_eq(pica_test_spawn(0, line_entry, "worker after unlock", PICA_PRIO_MAIN - 1), 0);
    pica_assert(!worker_done); /* it waits for the console */
    printf("locked 2\n");
    pica_console_unlock();
    pica_test_join_workers(1);
    pica_assert(worker_done);
}

PICA_TEST(a_line_left_unfinished_is_taken_over_after_the_wait)
{
    worker_done = false;
    printf("abandoned prompt> ");
    uint64_t start = pica_uptime_us();
    pica_assert_eq(pica_test_spawn(0, line_entry, "taken over", PICA_PRIO_MAIN - 1), 0);
    /* Silent, still owning the console; the worker takes it over. */
    while (!worker_done && pica_uptime_us() - start < 1000000u) {
        pica_sleep(PICA_MS(1));
    }
    pica_assert(worker_done);
    pica_assert_ge(pica_uptime_us() - start, PICA_CFG_CONSOLE_WAIT_MS * 1000u);
    pica_test_join_workers(1);
}

static void
hide_hook(void *arg)
{
    (void)arg;
    pica_test_trace('h');
    pica_console_write("<hidden>", 8);
}

static void
show_hook(void *arg)
{
    (void)arg;
    pica_test_trace('s');
    pica_console_write("<shown>\n", 8);
}

PICA_TEST(prompt_hooks_run_around_another_threads_line)
{
    pica_test_trace_reset();
    pica_assert_eq(pica_console_set_prompt_hooks(hide_hook, NULL, NULL, NULL), -EINVAL);
    pica_assert_eq(pica_console_set_prompt_hooks(hide_hook, show_hook, NULL, pica_thread_self()),
                   0);
    printf("prompt> ");
    fflush(stdout); /* the prompt is written; the console is free again */
    printf("typed");
    pica_assert_eq(pica_test_spawn(0, line_entry, "log line", PICA_PRIO_MAIN - 1), 0);
    pica_assert_eq(pica_test_trace_len(), 0); /* the worker waits for this line */
    char c;
    pica_console_read(&c, 1); /* reading gives the console up */
    pica_test_join_workers(1);
    pica_assert(strcmp(pica_test_trace_get(), "hs") == 0);
    /* The prompt's own thread writes with nothing to hide. */
    printf("own line\n");
    pica_assert(strcmp(pica_test_trace_get(), "hs") == 0);
    pica_assert_eq(pica_console_set_prompt_hooks(NULL, NULL, NULL, NULL), 0);
}

int
main(void)
{
    pica_test_run();
}
