/* SPDX-License-Identifier: MIT */
/* Stellaris LM3S6965 evaluation board (Cortex-M3, 256 KB flash, 64 KB SRAM)
 * as QEMU models it: console on PL011 UART0 (line 5), SysTick on the core
 * clock (the part has no SysTick reference clock), exit through semihosting.
 * QEMU derives the system clock from RCC; at reset it is 12.5 MHz. */
#include <pica/board.h>

#include "pl011.h"
#include "semihost.h"

#define UART0_BASE 0x4000C000u
#define UART0_IRQ 5u
#define SYSCTL_RCGC1 (*(volatile uint32_t *)0x400FE104u)
#define RCGC1_UART0 (1u << 0)
#define CPU_HZ 12500000u

static const struct pica_board_info info = {
    .name = "lm3s6965evb",
    .cpu = "Cortex-M3 (LM3S6965)",
    .cpu_hz = CPU_HZ,
    .clock_source = "reset clock",
    .timer_hz = CPU_HZ,
    .console_irq = UART0_IRQ,
    .console_tx = PICA_CONSOLE_TX_IRQ,
};

void
board_init(void)
{
    SYSCTL_RCGC1 |= RCGC1_UART0; /* the UART's clock gate (QEMU ignores it) */
    pl011_init(UART0_BASE, CPU_HZ, 115200u);
}

const struct pica_board_info *
board_info(void)
{
    return &info;
}

void
board_console_putc(char c)
{
    pl011_putc(UART0_BASE, c);
}

void
board_console_rx_enable(void)
{
    pl011_rx_enable(UART0_BASE);
    /* Bytes that arrived before the interrupt was unmasked. */
    pl011_rx_drain(UART0_BASE, console_rx_byte);
}

void
board_console_isr(void *arg)
{
    (void)arg;
    pl011_rx_drain(UART0_BASE, console_rx_byte);
    pl011_tx_fill(UART0_BASE, console_tx_next);
}

void
board_console_tx_kick(void)
{
    pl011_tx_start(UART0_BASE, console_tx_next);
}

void
board_exit(int code)
{
    arch_semihost_exit(code);
}
