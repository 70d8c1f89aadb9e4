/* SPDX-License-Identifier: MIT */
/* The board's LED (BOARD_LED0), toggled twice a second by a small quiet
 * thread, where the board has one; elsewhere nothing starts. */
#include <pica/gpio.h>
#include <pica/thread.h>
#include <pica/time.h>

#include "demo.h"

#ifdef BOARD_LED0

static struct pica_thread blink_thread;
static uint64_t blink_stack[384 / 8];

static void
blink(void *arg)
{
    (void)arg;
    pica_tick_t next = pica_tick_now();
    for (;;) {
        pica_gpio_toggle(BOARD_LED0);
        pica_sleep_until(&next, PICA_CFG_TICK_HZ / 2);
    }
}

void
demo_blink_start(void)
{
    if (pica_gpio_config(BOARD_LED0, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW) == 0) {
        pica_thread_create(&blink_thread, "blink", blink, NULL, blink_stack, sizeof(blink_stack),
                           10, 0);
    }
}

#else

void
demo_blink_start(void)
{
}

#endif
