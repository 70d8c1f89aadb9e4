/* SPDX-License-Identifier: MIT */
/* QEMU 'virt' in RV32 (-bios none): NS16550A console at 0x10000000 on PLIC
 * source 10, mtime at 10 MHz, exit through the sifive_test finisher. */
#include <pica/board.h>

#include "ns16550.h"

#define UART0_BASE 0x10000000u
#define UART0_IRQ 10u
#define FINISHER ((volatile uint32_t *)0x00100000u)
#define FINISHER_PASS 0x5555u
#define FINISHER_FAIL 0x3333u

static const struct pica_board_info info = {
    .name = "virt-rv32",
    .cpu = "RV32IMAC",
    .cpu_hz = 0, /* QEMU models no core clock on virt */
    .clock_source = "core clock not modelled",
    .timer_hz = 10000000u,
    .console_irq = UART0_IRQ,
    .console_tx = PICA_CONSOLE_TX_IRQ,
};

void
board_init(void)
{
    ns16550_init(UART0_BASE);
}

const struct pica_board_info *
board_info(void)
{
    return &info;
}

void
board_console_putc(char c)
{
    ns16550_putc(UART0_BASE, c);
}

void
board_console_rx_enable(void)
{
    ns16550_rx_enable(UART0_BASE);
}

void
board_console_isr(void *arg)
{
    (void)arg;
    ns16550_rx_drain(UART0_BASE, console_rx_byte);
    ns16550_tx_fill(UART0_BASE, console_tx_next);
}

void
board_console_tx_kick(void)
{
    ns16550_tx_start(UART0_BASE, console_tx_next);
}

void
board_exit(int code)
{
    *FINISHER = code == 0 ? FINISHER_PASS : (((uint32_t)code & 0xffffu) << 16) | FINISHER_FAIL;
    for (;;) {
        __asm volatile("wfi");
    }
}
