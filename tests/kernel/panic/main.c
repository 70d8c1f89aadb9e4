/* SPDX-License-Identifier: MIT */
/* A deliberate PICA_PANIC: reported with file, line and message, and the run
 * ends with PICA_EXIT_PANIC (2). Output still waiting in the console's
 * transmit ring goes out before the report, and the report itself is not
 * lost for want of room: the console's interrupt is kept from draining the
 * ring here and the ring is filled almost to the end before the panic
 * (where the board's output is interrupt-driven). */
#include <pica/board.h>
#include <pica/pica.h>
#include <stdbool.h>
#include <stdio.h>

/* What the ring keeps free for the line before the panic: far less than
 * the report needs. */
#define ROOM_LEFT 32u

static uint32_t
queued(void)
{
    struct pica_console_stats st;
    pica_console_stats(&st);
    return st.tx_queued;
}

int
main(void)
{
    const struct pica_board_info *b = board_info();
    bool polled = b->console_tx == PICA_CONSOLE_TX_POLLED;
    pica_irq_disable(b->console_irq);
    if (b->console_tx == PICA_CONSOLE_TX_IRQ_LINE) {
        pica_irq_disable(b->console_tx_irq);
    }
    /* One write: stdio's single bytes would each fit the UART's FIFO and
     * leave at once. */
    static const char first[] = "queued before the panic, more than a FIFO\n";
    pica_console_write(first, sizeof(first) - 1);
    bool held = polled || queued() != 0;
    if (!polled && queued() + ROOM_LEFT < PICA_CFG_CONSOLE_TX_SIZE) {
        while (queued() + ROOM_LEFT < PICA_CFG_CONSOLE_TX_SIZE) {
            putchar('.');
        }
        putchar('\n');
    }
    printf("expect-panic line=%d\n", __LINE__ + 1);
    PICA_PANIC("deliberate panic %d%s", 42, held ? "" : " (nothing was queued)");
    printf("not reached\n");
    return 0;
}
