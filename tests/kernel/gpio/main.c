/* SPDX-License-Identifier: MIT */
/* GPIO on every board: the refusals (a pin the board lacks, one it keeps
 * for a peripheral, bad flags, a pull or edge the controller lacks) where
 * the board has GPIO and where it has none; output read-back, port
 * access and claims on the board's LED; and where an output's own edges
 * latch its interrupt (BOARD_GPIO_OWN_EDGES), edge interrupts counted
 * exactly, rising, falling and both, and none after a detach. */
#include <pica/gpio.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <stdio.h>

#define NO_SUCH_PORT 200u

static void
never(unsigned pin, void *arg)
{
    (void)pin;
    (void)arg;
    pica_test_trace('!');
}

/* Every pin call on @pin gives @err. */
static void
assert_pin_refused(unsigned pin, int err)
{
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT), err);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT), err);
    pica_assert_eq(pica_gpio_claim(pin, PICA_GPIO_INPUT), err);
    pica_assert_eq(pica_gpio_release(pin), err);
    pica_assert_eq(pica_gpio_set(pin), err);
    pica_assert_eq(pica_gpio_clear(pin), err);
    pica_assert_eq(pica_gpio_toggle(pin), err);
    pica_assert_eq(pica_gpio_write(pin, 1), err);
    pica_assert_eq(pica_gpio_read(pin), err);
    pica_assert_eq(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_BOTH, never, NULL), err);
    pica_assert_eq(pica_gpio_irq_detach(pin), err);
}

PICA_TEST(pins_the_board_lacks_are_refused)
{
    assert_pin_refused(PICA_GPIO_PIN(NO_SUCH_PORT, 0), -ENODEV);
    assert_pin_refused(~0u, -ENODEV);
    uint32_t v;
    pica_assert_eq(pica_gpio_port_read(NO_SUCH_PORT, &v), -ENODEV);
    pica_assert_eq(pica_gpio_port_write(NO_SUCH_PORT, 1, 1), -ENODEV);
}

/* Every pin of the first eight ports reads as a level, or is absent or
 * kept; absent pins refuse everything. A board without GPIO has none. */
PICA_TEST(every_pin_reads_or_is_refused)
{
    unsigned usable = 0, kept = 0, absent = 0;
    for (unsigned pin = 0; pin < PICA_GPIO_PIN(8, 0); pin++) {
        int r = pica_gpio_read(pin);
        if (r == 0 || r == 1) {
            usable++;
        } else if (r == -EPERM) {
            kept++;
        } else {
            pica_assert_eq(r, -ENODEV);
            absent++;
        }
    }
    printf("gpio: %u usable pins, %u kept by the board, %u absent\n", usable, kept, absent);
#ifdef BOARD_GPIO
    pica_assert_gt(usable, 0);
    pica_assert_gt(absent, 0);
    assert_pin_refused(BOARD_GPIO(0, 31), -ENODEV); /* no board here has 32 lines in port 0 */
#else
    pica_assert_eq(usable + kept, 0);
    for (unsigned pin = 0; pin < 64; pin++) {
        assert_pin_refused(pin, -ENODEV);
    }
    uint32_t v;
    pica_assert_eq(pica_gpio_port_read(0, &v), -ENODEV);
    pica_assert_eq(pica_gpio_port_write(0, 1, 1), -ENODEV);
#endif
}

PICA_TEST(pins_the_board_keeps_are_refused)
{
#ifdef BOARD_PIN_CONSOLE_RX
    assert_pin_refused(BOARD_PIN_CONSOLE_RX, -EPERM);
    assert_pin_refused(BOARD_PIN_CONSOLE_TX, -EPERM);
    unsigned port = PICA_GPIO_PORT_OF(BOARD_PIN_CONSOLE_TX);
    pica_assert_eq(pica_gpio_port_write(port, 1u << PICA_GPIO_BIT_OF(BOARD_PIN_CONSOLE_TX), 0),
                   -EPERM);
    /* The console still works: this line is printed through it. */
    printf("gpio: the console's pins are the board's\n");
#else
    printf("gpio: this board keeps no GPIO pin (none to test)\n");
#endif
}

PICA_TEST(bad_flags_and_edges_are_refused)
{
    if (PICA_CFG_CHECK_PANIC) {
        printf("gpio: argument checks panic in this configuration: skipped\n");
        return;
    }
#ifdef BOARD_LED0
    unsigned pin = BOARD_LED0;
    int err = -EINVAL;
#else
    unsigned pin = PICA_GPIO_PIN(0, 0);
    int err = -ENODEV; /* the pin is checked first */
#endif
    pica_assert_eq(pica_gpio_config(pin, 0), err);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT | PICA_GPIO_OUTPUT), err);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT | PICA_GPIO_INIT_HIGH), err);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH |
                                             PICA_GPIO_INIT_LOW), err);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT | PICA_GPIO_PULL_UP |
                                             PICA_GPIO_PULL_DOWN), err);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | (1u << 20)), err);
    pica_assert_eq(pica_gpio_irq_attach(pin, 0, never, NULL), err);
    pica_assert_eq(pica_gpio_irq_attach(pin, 1u << 5, never, NULL), err);
    pica_assert_eq(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_RISING, NULL, NULL), err);
    pica_assert_eq(pica_gpio_port_read(0, NULL), err);
#ifdef BOARD_LED0
    /* A write to a pin that is not an output is a bug, refused. */
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT), 0);
    pica_assert_eq(pica_gpio_set(pin), -EINVAL);
    pica_assert_eq(pica_gpio_port_write(PICA_GPIO_PORT_OF(pin), 1u << PICA_GPIO_BIT_OF(pin), 0),
                   -EINVAL);
#endif
}

#ifdef BOARD_LED0

/* A pull the controller lacks is -ENOTSUP and leaves the pin as it was. */
PICA_TEST(a_pull_the_controller_lacks_changes_nothing)
{
    unsigned pin = BOARD_LED0;
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
    int err = pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_PULL_DOWN);
#ifdef BOARD_GPIO_NO_PULL_DOWN
    pica_assert_eq(err, -ENOTSUP);
#else
    pica_assert_eq(err, 0);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
#endif
    pica_assert_eq(pica_gpio_read(pin), 1);
    pica_assert_eq(pica_gpio_clear(pin), 0); /* still an output */
    pica_assert_eq(pica_gpio_read(pin), 0);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT | PICA_GPIO_PULL_UP), 0);
}

PICA_TEST(an_output_reads_back_what_it_drives)
{
    unsigned pin = BOARD_LED0;
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
    pica_assert_eq(pica_gpio_clear(pin), 0);
    pica_assert_eq(pica_gpio_read(pin), 0);
    pica_assert_eq(pica_gpio_set(pin), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
    for (int i = 0; i < 5; i++) {
        pica_assert_eq(pica_gpio_toggle(pin), 0);
        pica_assert_eq(pica_gpio_read(pin), i % 2 == 0 ? 0 : 1);
    }
    pica_assert_eq(pica_gpio_write(pin, 7), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
    pica_assert_eq(pica_gpio_write(pin, 0), 0);
    pica_assert_eq(pica_gpio_read(pin), 0);
    /* A first level set low, then high, before the pin drives. */
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW), 0);
    pica_assert_eq(pica_gpio_read(pin), 0);
    /* Without a first level the latch keeps its level. */
    pica_assert_eq(pica_gpio_set(pin), 0);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
}

PICA_TEST(a_port_is_read_and_written_at_once)
{
    unsigned pin = BOARD_LED0;
    unsigned port = PICA_GPIO_PORT_OF(pin);
    uint32_t bit = 1u << PICA_GPIO_BIT_OF(pin);
    uint32_t v = 0;
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW), 0);
    pica_assert_eq(pica_gpio_port_write(port, bit, 0xffffffffu), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
    pica_assert_eq(pica_gpio_port_read(port, &v), 0);
    pica_assert_eq(v & bit, bit);
    pica_assert_eq(pica_gpio_port_write(port, bit, ~bit), 0);
    pica_assert_eq(pica_gpio_port_read(port, &v), 0);
    pica_assert_eq(v & bit, 0);
    pica_assert_eq(pica_gpio_port_write(port, 0, 0), 0);
}

PICA_TEST(a_claimed_pin_keeps_its_configuration)
{
    unsigned pin = BOARD_LED0;
    pica_assert_eq(pica_gpio_claim(pin, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
    pica_assert_eq(pica_gpio_read(pin), 1);
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_INPUT), -EBUSY);
    pica_assert_eq(pica_gpio_claim(pin, PICA_GPIO_OUTPUT), -EBUSY);
    pica_assert_eq(pica_gpio_clear(pin), 0); /* the owner drives it */
    pica_assert_eq(pica_gpio_read(pin), 0);
    pica_assert_eq(pica_gpio_release(pin), 0);
    pica_assert_eq(pica_gpio_release(pin), -EINVAL);
    pica_assert_eq(pica_gpio_read(pin), 0); /* released as it was */
    pica_assert_eq(pica_gpio_config(pin, PICA_GPIO_OUTPUT), 0);
}

/* An attach on a board whose outputs raise no edge of their own (QEMU's
 * PL061 latches edges on input lines only) can still be made and undone. */
PICA_TEST(an_edge_handler_attaches_and_detaches)
{
    unsigned pin = BOARD_LED0;
    pica_assert_eq(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_BOTH, never, NULL), 0);
    pica_assert_eq(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_RISING, never, NULL), -EBUSY);
    pica_assert_eq(pica_gpio_irq_detach(pin), 0);
    pica_assert_eq(pica_gpio_irq_detach(pin), -EINVAL);
    pica_assert_eq(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_FALLING, never, NULL), 0);
    pica_assert_eq(pica_gpio_irq_detach(pin), 0);
}

#endif /* BOARD_LED0 */

#ifdef BOARD_GPIO_OWN_EDGES

#define EDGE_PIN BOARD_LED1
#define TOGGLES 40

static volatile unsigned edge_calls;
static volatile unsigned edge_pin_seen;
static volatile uintptr_t edge_arg_seen;

static void
count_edge(unsigned pin, void *arg)
{
    edge_calls++;
    edge_pin_seen = pin;
    edge_arg_seen = (uintptr_t)arg;
}

/* Toggle the output @n times; the handler runs inside each toggle's
 * unlock, so the count is exact as soon as the toggle returns. */
static void
toggle_n(unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        pica_assert_eq(pica_gpio_toggle(EDGE_PIN), 0);
    }
}

static void
edges_counted(unsigned edges, unsigned expected)
{
    pica_assert_eq(pica_gpio_config(EDGE_PIN, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW), 0);
    edge_calls = 0;
    pica_assert_eq(pica_gpio_irq_attach(EDGE_PIN, edges, count_edge, (void *)0x5a), 0);
    pica_assert_eq(edge_calls, 0); /* nothing latched before counts */
    toggle_n(TOGGLES);
    pica_assert_eq(edge_calls, expected);
    pica_assert_eq(edge_pin_seen, EDGE_PIN);
    pica_assert_eq(edge_arg_seen, 0x5a);
    pica_assert_eq(pica_gpio_irq_detach(EDGE_PIN), 0);
    toggle_n(TOGGLES);
    pica_assert_eq(edge_calls, expected);
}

PICA_TEST(rising_edges_of_an_output_are_counted_exactly)
{
    edges_counted(PICA_GPIO_EDGE_RISING, TOGGLES / 2);
}

PICA_TEST(falling_edges_of_an_output_are_counted_exactly)
{
    edges_counted(PICA_GPIO_EDGE_FALLING, TOGGLES / 2);
}

PICA_TEST(both_edges_of_an_output_are_counted_exactly)
{
    edges_counted(PICA_GPIO_EDGE_BOTH, TOGGLES);
}

/* Two pins with handlers at once: each edge reaches its own pin's. */
static volatile unsigned calls_a, calls_b;

static void
count_a(unsigned pin, void *arg)
{
    (void)arg;
    pica_assert_eq(pin, BOARD_LED1);
    calls_a++;
}

static void
count_b(unsigned pin, void *arg)
{
    (void)arg;
    pica_assert_eq(pin, BOARD_LED2);
    calls_b++;
}

PICA_TEST(each_edge_reaches_the_handler_of_its_pin)
{
    pica_assert_eq(pica_gpio_config(BOARD_LED1, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW), 0);
    pica_assert_eq(pica_gpio_config(BOARD_LED2, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW), 0);
    calls_a = calls_b = 0;
    pica_assert_eq(pica_gpio_irq_attach(BOARD_LED1, PICA_GPIO_EDGE_RISING, count_a, NULL), 0);
    pica_assert_eq(pica_gpio_irq_attach(BOARD_LED2, PICA_GPIO_EDGE_BOTH, count_b, NULL), 0);
    for (int i = 0; i < 10; i++) {
        pica_assert_eq(pica_gpio_toggle(BOARD_LED1), 0);
        pica_assert_eq(pica_gpio_toggle(BOARD_LED2), 0);
        pica_assert_eq(pica_gpio_toggle(BOARD_LED2), 0);
    }
    pica_assert_eq(calls_a, 5);
    pica_assert_eq(calls_b, 20);
    /* Two pins in one write: one interrupt may carry both. */
    unsigned port = PICA_GPIO_PORT_OF(BOARD_LED1);
    uint32_t both = (1u << PICA_GPIO_BIT_OF(BOARD_LED1)) | (1u << PICA_GPIO_BIT_OF(BOARD_LED2));
    pica_assert_eq(pica_gpio_port_write(port, both, both), 0);
    pica_assert_eq(calls_a, 6);
    pica_assert_eq(calls_b, 21);
    pica_assert_eq(pica_gpio_irq_detach(BOARD_LED1), 0);
    pica_assert_eq(pica_gpio_irq_detach(BOARD_LED2), 0);
    pica_assert_eq(pica_gpio_port_write(port, both, 0), 0);
    pica_assert_eq(calls_a + calls_b, 27);
}

#endif /* BOARD_GPIO_OWN_EDGES */

int
main(void)
{
    pica_test_run();
}
