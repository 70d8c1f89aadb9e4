/* SPDX-License-Identifier: MIT */
/* What every board provides to the kernel (boards/<name>/board.c). Like
 * arch/arch.h for CPUs, this is the whole boundary: the kernel includes no
 * board or driver header. */
#pragma once

#include <stdint.h>

struct pica_board_info {
    const char *name;      /* e.g. "mps2-an386" */
    const char *cpu;       /* e.g. "Cortex-M4F" */
    uint32_t cpu_hz;       /* core clock after board_init() */
    const char *clock_source; /* how cpu_hz came about, for the banner */
    uint32_t timer_hz;     /* rate of the port's kernel timer (SysTick, mtime) */
    unsigned console_irq;  /* interrupt line of the console receiver */
    uint8_t console_tx;    /* enum pica_board_console_tx */
    unsigned console_tx_irq; /* with PICA_CONSOLE_TX_IRQ_LINE: the transmitter's line */
};

/* How the console transmits once the scheduler runs. The zero default is
 * the safe one: a board that says nothing is polled. */
enum pica_board_console_tx {
    PICA_CONSOLE_TX_POLLED,   /* no usable transmit interrupt: board_console_putc() */
    PICA_CONSOLE_TX_IRQ,      /* transmit interrupt on console_irq, beside receive */
    PICA_CONSOLE_TX_IRQ_LINE, /* transmit interrupt on a line of its own, console_tx_irq */
};

/* Clocks and the console UART (transmit ready, receive interrupt not yet
 * attached). Context: boot, before arch_init(). */
void board_init(void);

/* Static facts about the board. */
const struct pica_board_info *board_info(void);

/* Send one byte, waiting for room. Usable with interrupts off and from a
 * fault or panic: the console's polled path (boot, panics, boards without
 * a transmit interrupt). Context: any. */
void board_console_putc(char c);

/* Enable the console receive interrupt; its handler, installed by the
 * kernel on console_irq (and on console_tx_irq), is board_console_isr(). */
void board_console_rx_enable(void);

/* Service the console UART: pass received bytes to console_rx_byte(); and
 * while the transmitter has room, send the bytes console_tx_next() gives,
 * turning the transmit interrupt off when it gives none.
 * Context: ISR, called by the kernel's handler with the kernel lock held. */
void board_console_isr(void *arg);

/* Turn the transmit interrupt on because console_tx_next() has bytes, and
 * send what the transmitter takes at once (a FIFO's worth at most, so
 * that the interrupt paces the rest): where the UART signals only a byte
 * leaving, not an empty transmitter, no interrupt would come otherwise,
 * and a short text needs none. Context: kernel lock held; called only on
 * boards whose console_tx is not PICA_CONSOLE_TX_POLLED, and only while
 * the interrupt is off. */
void board_console_tx_kick(void);

/* End the run with a status (QEMU exits with it; hardware halts). */
__attribute__((noreturn)) void board_exit(int code);

/* Provided by the kernel for the console driver. Context: ISR. */
void console_rx_byte(char c);
/* The next byte to transmit (0..255), or -1 when there is none, after which
 * the driver turns its transmit interrupt off (board_console_tx_kick()
 * turns it on again). Context: kernel lock held (board_console_isr(),
 * board_console_tx_kick()). */
int console_tx_next(void);
