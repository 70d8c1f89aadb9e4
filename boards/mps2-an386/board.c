/* SPDX-License-Identifier: MIT */
/* MPS2 FPGA boards (AN385 Cortex-M3, AN386 Cortex-M4F) as QEMU models them:
 * fixed 25 MHz clock (no clock tree to program), console on CMSDK UART0,
 * exit through semihosting. Both boards build this file; board.cmake sets
 * the name and CPU. */
#include <pica/board.h>

#include "cmsdk_uart.h"
#include "semihost.h"

#define UART0_BASE 0x40004000u
#define UART0_RX_IRQ 0u
#define UART0_TX_IRQ 1u
#define CPU_HZ 25000000u

static const struct pica_board_info info = {
    .name = PICA_BOARD_NAME,
    .cpu = PICA_BOARD_CPU,
    .cpu_hz = CPU_HZ,
    .clock_source = "fixed 25 MHz FPGA clock",
    .timer_hz = CPU_HZ,
    .console_irq = UART0_RX_IRQ,
    .console_tx = PICA_CONSOLE_TX_IRQ_LINE,
    .console_tx_irq = UART0_TX_IRQ,
};

void
board_init(void)
{
    cmsdk_uart_init(UART0_BASE);
}

const struct pica_board_info *
board_info(void)
{
    return &info;
}

void
board_console_putc(char c)
{
    cmsdk_uart_putc(UART0_BASE, c);
}

void
board_console_rx_enable(void)
{
    cmsdk_uart_rx_enable(UART0_BASE);
    /* A byte that arrived before RXINTEN latched without an interrupt. */
    cmsdk_uart_rx_drain(UART0_BASE, console_rx_byte);
}

/* Installed on both lines: each half finds out for itself whether it has
 * work, which is cheaper than telling the lines apart. */
void
board_console_isr(void *arg)
{
    (void)arg;
    cmsdk_uart_rx_drain(UART0_BASE, console_rx_byte);
    cmsdk_uart_tx_fill(UART0_BASE, console_tx_next);
}

void
board_console_tx_kick(void)
{
    cmsdk_uart_tx_start(UART0_BASE, console_tx_next);
}

void
board_exit(int code)
{
    arch_semihost_exit(code);
}
