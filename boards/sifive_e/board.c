/* SPDX-License-Identifier: MIT */
/* QEMU 'sifive_e' (an FE310-like part: RV32IMAC in machine + user mode,
 * code in XIP flash, 16 KB of RAM): SiFive UART0 console on PLIC source 3,
 * mtime at 10 MHz, exit through semihosting (there is no finisher). */
#include <pica/board.h>

#include "semihost.h"
#include "sifive_uart.h"

#define UART0_BASE 0x10013000u
#define UART0_IRQ 3u
/* 115200 baud from the FE310's 16 MHz reset clock (QEMU ignores it). */
#define UART0_DIV 138u

static const struct pica_board_info info = {
    .name = "sifive_e",
    .cpu = "RV32IMAC (SiFive E31)",
    .cpu_hz = 0, /* QEMU models no core clock on sifive_e */
    .clock_source = "core clock not modelled",
    .timer_hz = 10000000u,
    .console_irq = UART0_IRQ,
    .console_tx = PICA_CONSOLE_TX_IRQ,
};

void
board_init(void)
{
    sifive_uart_init(UART0_BASE, UART0_DIV);
}

const struct pica_board_info *
board_info(void)
{
    return &info;
}

void
board_console_putc(char c)
{
    sifive_uart_putc(UART0_BASE, c);
}

void
board_console_rx_enable(void)
{
    sifive_uart_rx_enable(UART0_BASE);
}

void
board_console_isr(void *arg)
{
    (void)arg;
    sifive_uart_rx_drain(UART0_BASE, console_rx_byte);
    sifive_uart_tx_fill(UART0_BASE, console_tx_next);
}

void
board_console_tx_kick(void)
{
    sifive_uart_tx_start(UART0_BASE, console_tx_next);
}

void
board_exit(int code)
{
    arch_semihost_exit(code);
}
