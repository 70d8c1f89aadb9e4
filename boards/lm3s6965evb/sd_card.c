/* SPDX-License-Identifier: MIT */
/* lm3s6965evb's microSD socket: the card on SSI0 (a PL022 at 0x40008000,
 * NVIC line 7, SSPCLK the 12.5 MHz system clock), selected by PD0 (low),
 * in SPI mode 0. SSI0's clock and data lines are PA2 (SSI0Clk), PA4
 * (SSI0Rx) and PA5 (SSI0Tx), muxed to the SSI here; the board keeps them
 * from the GPIO layer. PA3 (SSI0Fss) selects the OLED on the EK board and
 * is left a GPIO.
 *
 * QEMU wires PD0 to the card's select (active low) and to its OLED
 * controller's (active high), so the OLED listens whenever the card does
 * not; it ignores what a deselected card's bytes look like to it. A card
 * image is attached with -drive if=sd,format=raw,file=IMG (tools/pica-run
 * --sd IMG); without one the card answers nothing: no card.
 * Interface: sd_spi_bus.h (board_sd_spi_bus, board_sd_open). */
#include <pica/errno.h>

#include "board_pins.h"
#include "pl022.h"
#include "sd_spi.h"
#include "sd_spi_bus.h"

#define SSI0_BASE 0x40008000u
#define SSI0_IRQ 7u
#define SSPCLK_HZ 12500000u
#define GPIOA_BASE 0x40004000u
#define GPIOAFSEL 0x420u
#define GPIODEN 0x51Cu
#define SSI0_PINS ((1u << 2) | (1u << 4) | (1u << 5))
#define SYSCTL_RCGC1 (*(volatile uint32_t *)0x400FE104u)
#define SYSCTL_RCGC2 (*(volatile uint32_t *)0x400FE108u)
#define RCGC1_SSI0 (1u << 4)
#define RCGC2_GPIOA (1u << 0)

#define REG(base, off) (*(volatile uint32_t *)((base) + (off)))

static struct pl022 ssi0;
static bool ssi0_up;
static struct sd_spi_bus port;
static struct sd_spi card;
static bool card_set_up;

struct pica_spi_bus *
board_sd_spi_bus(void)
{
    if (!ssi0_up) {
        SYSCTL_RCGC1 |= RCGC1_SSI0;
        SYSCTL_RCGC2 |= RCGC2_GPIOA;
        REG(GPIOA_BASE, GPIOAFSEL) |= SSI0_PINS;
        REG(GPIOA_BASE, GPIODEN) |= SSI0_PINS;
        ssi0_up = pl022_init(&ssi0, "ssi0", SSI0_BASE, SSI0_IRQ, SSPCLK_HZ) == 0;
    }
    return ssi0_up ? &ssi0.bus : NULL;
}

int
board_sd_open(struct sd_spi **out)
{
    if (out == NULL) {
        return -EINVAL;
    }
    if (card_set_up) {
        *out = &card;
        return card.ready ? 0 : sd_spi_probe(&card);
    }
    struct pica_spi_bus *bus = board_sd_spi_bus();
    if (bus == NULL) {
        return -ENODEV;
    }
    int err = sd_spi_bus_init(&port, bus, BOARD_PIN_SD_CS);
    if (err) {
        return err;
    }
    card_set_up = true;
    *out = &card;
    return sd_spi_init(&card, "sd0", &port.tp, SD_SPI_MAX_HZ);
}
