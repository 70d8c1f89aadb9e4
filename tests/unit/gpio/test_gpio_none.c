/* SPDX-License-Identifier: MIT */
/* A board without GPIO (drivers/gpio/gpio_none.c): the interface is there
 * and refuses every pin and port with -ENODEV, touching nothing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>

#include <cmocka.h>
#include <pica/errno.h>
#include <pica/gpio.h>
#include <pica/irq.h>

unsigned
pica_irq_lock(void)
{
    fail_msg("no lock needed to refuse");
    return 0;
}

void
pica_irq_unlock(unsigned key)
{
    (void)key;
    fail();
}

int
pica_irq_attach(unsigned irq, pica_irq_handler_t handler, void *arg, unsigned prio)
{
    (void)irq;
    (void)handler;
    (void)arg;
    (void)prio;
    fail();
    return 0;
}

int
pica_irq_enable(unsigned irq)
{
    (void)irq;
    fail();
    return 0;
}

void
pica_panic(const char *file, int line, const char *fmt, ...)
{
    (void)file;
    (void)line;
    (void)fmt;
    abort();
}

static void
never(unsigned pin, void *arg)
{
    (void)pin;
    (void)arg;
}

static void
test_gpio_none_refuses_every_pin_and_port(void **state)
{
    (void)state;
    const unsigned pins[] = {0, 1, 31, 32, PICA_GPIO_PIN(5, 0), ~0u};
    for (size_t i = 0; i < sizeof(pins) / sizeof(pins[0]); i++) {
        unsigned pin = pins[i];
        assert_int_equal(pica_gpio_config(pin, PICA_GPIO_OUTPUT), -ENODEV);
        assert_int_equal(pica_gpio_config(pin, 0), -ENODEV); /* before the flags */
        assert_int_equal(pica_gpio_claim(pin, PICA_GPIO_INPUT), -ENODEV);
        assert_int_equal(pica_gpio_release(pin), -ENODEV);
        assert_int_equal(pica_gpio_set(pin), -ENODEV);
        assert_int_equal(pica_gpio_clear(pin), -ENODEV);
        assert_int_equal(pica_gpio_toggle(pin), -ENODEV);
        assert_int_equal(pica_gpio_write(pin, 0), -ENODEV);
        assert_int_equal(pica_gpio_read(pin), -ENODEV);
        assert_int_equal(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_BOTH, never, NULL), -ENODEV);
        assert_int_equal(pica_gpio_irq_detach(pin), -ENODEV);
    }
    uint32_t v = 7;
    assert_int_equal(pica_gpio_port_read(0, &v), -ENODEV);
    assert_int_equal(v, 7);
    assert_int_equal(pica_gpio_port_read(0, NULL), -ENODEV);
    assert_int_equal(pica_gpio_port_write(0, 1, 1), -ENODEV);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_gpio_none_refuses_every_pin_and_port),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
