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
};

/* Clocks and the console UART (transmit ready, receive interrupt not yet
 * attached). Context: boot, before arch_init(). */
void board_init(void);

/* Static facts about the board. */
const struct pica_board_info *board_info(void);

/* Send one byte, waiting for room. Usable with interrupts off and from a
 * fault or panic. Context: any. */
void board_console_putc(char c);

/* Enable the console receive interrupt; its handler, installed by the
 * kernel on console_irq, is board_console_rx_isr(). */
void board_console_rx_enable(void);
/* Drain received bytes into console_rx_byte(). Context: ISR. */
void board_console_rx_isr(void *arg);

/* End the run with a status (QEMU exits with it; hardware halts). */
__attribute__((noreturn)) void board_exit(int code);

/* Provided by the kernel for the console driver. Context: ISR. */
void console_rx_byte(char c);
