/* SPDX-License-Identifier: MIT */
/* The portable GPIO layer (drivers/gpio/gpio.c) against a made-up board:
 * three ports on two fake controller models, with the kernel's lock and
 * interrupt installation faked, so every refusal, the claims, the lazy
 * init, the lock around each hook and the edge dispatch are checked
 * without hardware. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <pica/config.h>
#include <pica/errno.h>
#include <pica/gpio.h>
#include <pica/irq.h>

#include "fake_irq.h"
#include "gpio_port.h"

/* ---- two controller models, faked ---- */

struct fake_ctrl {
    uint32_t level;   /* what read() returns */
    uint32_t outputs; /* lines config() made outputs */
    uint32_t rise, fall;
    uint32_t latched; /* edges waiting for irq_take() */
    uint32_t last_flags;
    unsigned init_calls, config_calls, write_calls, toggle_calls;
    unsigned hooks_before_init;
};

static struct fake_ctrl ctrl[3];

static struct fake_ctrl *
fake(const struct gpio_port *port)
{
    return (struct fake_ctrl *)port->base;
}

/* Every hook but read and irq_take runs under the lock, after init. */
static void
hook_enter(const struct gpio_port *port)
{
    assert_true(fake_lock_depth > 0);
    if (fake(port)->init_calls == 0) {
        fake(port)->hooks_before_init++;
    }
}

static void
fake_init(const struct gpio_port *port)
{
    assert_true(fake_lock_depth > 0);
    fake(port)->init_calls++;
}

static void
fake_config(const struct gpio_port *port, unsigned bit, uint32_t flags)
{
    hook_enter(port);
    struct fake_ctrl *c = fake(port);
    c->config_calls++;
    c->last_flags = flags;
    if (flags & PICA_GPIO_OUTPUT) {
        c->outputs |= 1u << bit;
        if (flags & PICA_GPIO_INIT_HIGH) {
            c->level |= 1u << bit;
        } else if (flags & PICA_GPIO_INIT_LOW) {
            c->level &= ~(1u << bit);
        }
    } else {
        c->outputs &= ~(1u << bit);
    }
}

static uint32_t
fake_read(const struct gpio_port *port)
{
    return fake(port)->level;
}

static void
fake_write(const struct gpio_port *port, uint32_t mask, uint32_t value)
{
    hook_enter(port);
    fake(port)->write_calls++;
    fake(port)->level = (fake(port)->level & ~mask) | (value & mask);
}

static void
fake_toggle(const struct gpio_port *port, uint32_t mask)
{
    hook_enter(port);
    fake(port)->toggle_calls++;
    fake(port)->level ^= mask;
}

static void
fake_irq_edges(const struct gpio_port *port, unsigned bit, unsigned edges)
{
    hook_enter(port);
    struct fake_ctrl *c = fake(port);
    uint32_t m = 1u << bit;
    c->latched &= ~m;
    c->rise = (edges & PICA_GPIO_EDGE_RISING) ? c->rise | m : c->rise & ~m;
    c->fall = (edges & PICA_GPIO_EDGE_FALLING) ? c->fall | m : c->fall & ~m;
}

static uint32_t
fake_irq_take(const struct gpio_port *port)
{
    uint32_t p = fake(port)->latched & (fake(port)->rise | fake(port)->fall);
    fake(port)->latched &= ~p;
    return p;
}

#define ALL_FLAGS                                                                                 \
    (PICA_GPIO_INPUT | PICA_GPIO_OUTPUT | PICA_GPIO_PULL_UP | PICA_GPIO_PULL_DOWN |               \
     PICA_GPIO_INIT_LOW | PICA_GPIO_INIT_HIGH)

/* Model A: every flag, both edges, an init hook. */
static const struct gpio_ops model_a = {
    .init = fake_init,
    .config = fake_config,
    .read = fake_read,
    .write = fake_write,
    .toggle = fake_toggle,
    .irq_edges = fake_irq_edges,
    .irq_take = fake_irq_take,
    .flags = ALL_FLAGS,
    .edges = PICA_GPIO_EDGE_BOTH,
};

/* Model B: no pull-down, rising edges only, no init hook. */
static const struct gpio_ops model_b = {
    .init = NULL,
    .config = fake_config,
    .read = fake_read,
    .write = fake_write,
    .toggle = fake_toggle,
    .irq_edges = fake_irq_edges,
    .irq_take = fake_irq_take,
    .flags = ALL_FLAGS & ~PICA_GPIO_PULL_DOWN,
    .edges = PICA_GPIO_EDGE_RISING,
};

#define LINE_A 5u  /* port 0: one line for the port */
#define LINE_B 20u /* port 1: line 20 + n for pin n */

static const struct gpio_port ports[] = {
    {.ops = &model_a, .base = (uintptr_t)&ctrl[0], .pins = 0xffu, .reserved = 0x03u,
     .irq = LINE_A, .irq_per_pin = false},
    {.ops = &model_b, .base = (uintptr_t)&ctrl[1], .pins = 0x0000ff0fu, .reserved = 0x00000100u,
     .irq = LINE_B, .irq_per_pin = true},
    {.ops = &model_a, .base = (uintptr_t)&ctrl[2], .pins = 0x1u, .reserved = 0,
     .irq = GPIO_NO_IRQ, .irq_per_pin = false},
};

#define HANDLER_SLOTS 3
GPIO_BOARD_DEFINE(ports, HANDLER_SLOTS);

#define A(n) PICA_GPIO_PIN(0, n)
#define B(n) PICA_GPIO_PIN(1, n)
#define C(n) PICA_GPIO_PIN(2, n)

static int
reset(void **state)
{
    (void)state;
    memset(ctrl, 0, sizeof(ctrl));
    memset(gpio_board_state, 0, sizeof(gpio_board_state));
    memset(gpio_board_handlers, 0, sizeof(gpio_board_handlers));
    fake_irq_reset();
    return 0;
}

/* Every call on @pin returns @err and no hook runs. */
static void
assert_every_call_refuses(unsigned pin, int err)
{
    struct fake_ctrl before[3];
    memcpy(before, ctrl, sizeof(ctrl));
    assert_int_equal(pica_gpio_config(pin, PICA_GPIO_OUTPUT), err);
    assert_int_equal(pica_gpio_claim(pin, PICA_GPIO_OUTPUT), err);
    assert_int_equal(pica_gpio_release(pin), err);
    assert_int_equal(pica_gpio_set(pin), err);
    assert_int_equal(pica_gpio_clear(pin), err);
    assert_int_equal(pica_gpio_toggle(pin), err);
    assert_int_equal(pica_gpio_write(pin, 1), err);
    assert_int_equal(pica_gpio_read(pin), err);
    assert_int_equal(pica_gpio_irq_attach(pin, PICA_GPIO_EDGE_RISING, NULL, NULL), err);
    assert_int_equal(pica_gpio_irq_detach(pin), err);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(ctrl[i].config_calls, before[i].config_calls);
        assert_int_equal(ctrl[i].write_calls, before[i].write_calls);
        assert_int_equal(ctrl[i].toggle_calls, before[i].toggle_calls);
    }
    assert_int_equal(fake_attach_calls, 0);
    assert_int_equal(fake_lock_depth, 0);
}

static void
test_gpio_unknown_pins_are_refused_with_enodev(void **state)
{
    (void)state;
    assert_every_call_refuses(A(8), -ENODEV);  /* beyond port 0's lines */
    assert_every_call_refuses(B(4), -ENODEV);  /* a hole in port 1 */
    assert_every_call_refuses(C(31), -ENODEV);
    assert_every_call_refuses(PICA_GPIO_PIN(3, 0), -ENODEV); /* no port 3 */
    assert_every_call_refuses(~0u, -ENODEV);
    uint32_t v = 0;
    assert_int_equal(pica_gpio_port_read(3, &v), -ENODEV);
    assert_int_equal(pica_gpio_port_write(3, 1, 1), -ENODEV);
    assert_int_equal(pica_gpio_port_write(0, 0x100u, 0), -ENODEV);
}

static void
test_gpio_reserved_pins_are_refused_with_eperm(void **state)
{
    (void)state;
    assert_every_call_refuses(A(0), -EPERM);
    assert_every_call_refuses(A(1), -EPERM);
    assert_every_call_refuses(B(8), -EPERM);
    assert_int_equal(pica_gpio_port_write(0, 0x01u, 0), -EPERM);
    /* A port read leaves out kept and missing lines. */
    ctrl[0].level = 0xffffffffu;
    uint32_t v = 0;
    assert_int_equal(pica_gpio_port_read(0, &v), 0);
    assert_int_equal(v, 0xfcu);
}

static void
test_gpio_bad_flags_are_refused_and_change_nothing(void **state)
{
    (void)state;
    const uint32_t bad[] = {
        0,                                             /* no direction */
        PICA_GPIO_INPUT | PICA_GPIO_OUTPUT,            /* both */
        PICA_GPIO_PULL_UP,                             /* a pull, no direction */
        PICA_GPIO_INPUT | PICA_GPIO_PULL_UP | PICA_GPIO_PULL_DOWN,
        PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW | PICA_GPIO_INIT_HIGH,
        PICA_GPIO_INPUT | PICA_GPIO_INIT_HIGH,         /* a first level for an input */
        PICA_GPIO_OUTPUT | (1u << 6),                  /* unknown bit */
        PICA_GPIO_OUTPUT | (1u << 31),
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        assert_int_equal(pica_gpio_config(A(2), bad[i]), -EINVAL);
        assert_int_equal(pica_gpio_claim(A(2), bad[i]), -EINVAL);
    }
    assert_int_equal(ctrl[0].config_calls, 0);
    assert_int_equal(pica_gpio_release(A(2)), -EINVAL); /* the claims above took nothing */
}

static void
test_gpio_a_pull_the_controller_lacks_is_enotsup(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_config(B(0), PICA_GPIO_INPUT | PICA_GPIO_PULL_DOWN), -ENOTSUP);
    assert_int_equal(ctrl[1].config_calls, 0);
    assert_int_equal(pica_gpio_config(B(0), PICA_GPIO_INPUT | PICA_GPIO_PULL_UP), 0);
    assert_int_equal(ctrl[1].last_flags, PICA_GPIO_INPUT | PICA_GPIO_PULL_UP);
    assert_int_equal(pica_gpio_config(A(2), PICA_GPIO_INPUT | PICA_GPIO_PULL_DOWN), 0);
}

static void
test_gpio_output_levels_reach_the_controller_under_the_lock(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_config(A(3), PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
    assert_int_equal(ctrl[0].last_flags, PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH);
    assert_int_equal(pica_gpio_read(A(3)), 1);
    assert_int_equal(pica_gpio_clear(A(3)), 0);
    assert_int_equal(pica_gpio_read(A(3)), 0);
    assert_int_equal(pica_gpio_set(A(3)), 0);
    assert_int_equal(pica_gpio_read(A(3)), 1);
    assert_int_equal(pica_gpio_toggle(A(3)), 0);
    assert_int_equal(pica_gpio_read(A(3)), 0);
    assert_int_equal(pica_gpio_write(A(3), 42), 0); /* any level but 0 is high */
    assert_int_equal(pica_gpio_read(A(3)), 1);
    assert_int_equal(pica_gpio_write(A(3), 0), 0);
    assert_int_equal(pica_gpio_read(A(3)), 0);
    assert_int_equal(ctrl[0].level, 0);
    assert_int_equal(ctrl[0].write_calls, 4);
    assert_int_equal(ctrl[0].toggle_calls, 1);
    assert_int_equal(fake_lock_depth, 0);
}

static void
test_gpio_writes_to_a_pin_not_configured_as_output_are_einval(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_set(A(4)), -EINVAL); /* never configured */
    assert_int_equal(pica_gpio_config(A(4), PICA_GPIO_INPUT), 0);
    assert_int_equal(pica_gpio_set(A(4)), -EINVAL);
    assert_int_equal(pica_gpio_clear(A(4)), -EINVAL);
    assert_int_equal(pica_gpio_toggle(A(4)), -EINVAL);
    assert_int_equal(pica_gpio_write(A(4), 1), -EINVAL);
    assert_int_equal(ctrl[0].write_calls + ctrl[0].toggle_calls, 0);
    /* An output turned back into an input stops taking writes. */
    assert_int_equal(pica_gpio_config(A(5), PICA_GPIO_OUTPUT), 0);
    assert_int_equal(pica_gpio_set(A(5)), 0);
    assert_int_equal(pica_gpio_config(A(5), PICA_GPIO_INPUT), 0);
    assert_int_equal(pica_gpio_set(A(5)), -EINVAL);
    /* Reading works in either direction. */
    ctrl[0].level = 1u << 4;
    assert_int_equal(pica_gpio_read(A(4)), 1);
}

static void
test_gpio_port_write_drives_only_the_masked_outputs(void **state)
{
    (void)state;
    for (unsigned n = 2; n < 8; n++) {
        assert_int_equal(pica_gpio_config(A(n), PICA_GPIO_OUTPUT | PICA_GPIO_INIT_LOW), 0);
    }
    ctrl[0].level |= 0x03u; /* the kept lines' levels stay */
    assert_int_equal(pica_gpio_port_write(0, 0xf0u, 0xa5u), 0);
    assert_int_equal(ctrl[0].level, 0xa3u);
    uint32_t v = 0;
    assert_int_equal(pica_gpio_port_read(0, &v), 0);
    assert_int_equal(v, 0xa0u);
    assert_int_equal(pica_gpio_port_write(0, 0, 0xffu), 0); /* empty mask: nothing */
    assert_int_equal(pica_gpio_config(A(7), PICA_GPIO_INPUT), 0);
    assert_int_equal(pica_gpio_port_write(0, 0xf0u, 0), -EINVAL);
    assert_int_equal(ctrl[0].level, 0xa3u);
    assert_int_equal(pica_gpio_port_read(0, NULL), -EINVAL);
}

static void
test_gpio_a_claimed_pin_refuses_config_and_claim_until_released(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_claim(A(6), PICA_GPIO_OUTPUT | PICA_GPIO_INIT_HIGH), 0);
    assert_int_equal(ctrl[0].level & (1u << 6), 1u << 6);
    assert_int_equal(pica_gpio_config(A(6), PICA_GPIO_INPUT), -EBUSY);
    assert_int_equal(pica_gpio_claim(A(6), PICA_GPIO_OUTPUT), -EBUSY);
    assert_int_equal(ctrl[0].config_calls, 1);
    /* Levels stay writable: the owner drives its chip select. */
    assert_int_equal(pica_gpio_clear(A(6)), 0);
    assert_int_equal(pica_gpio_read(A(6)), 0);
    /* Validation comes before the claim check. */
    assert_int_equal(pica_gpio_config(A(6), 0), -EINVAL);
    assert_int_equal(pica_gpio_release(A(6)), 0);
    assert_int_equal(pica_gpio_release(A(6)), -EINVAL);
    assert_int_equal(pica_gpio_config(A(6), PICA_GPIO_INPUT), 0);
    /* The claim guards one pin only. */
    assert_int_equal(pica_gpio_claim(A(6), PICA_GPIO_INPUT), 0);
    assert_int_equal(pica_gpio_config(A(7), PICA_GPIO_INPUT), 0);
}

static void
test_gpio_controller_init_runs_once_before_any_other_hook(void **state)
{
    (void)state;
    assert_int_equal(ctrl[0].init_calls, 0); /* nothing before first use */
    assert_int_equal(pica_gpio_read(A(2)), 0);
    assert_int_equal(ctrl[0].init_calls, 1);
    assert_int_equal(pica_gpio_config(A(2), PICA_GPIO_OUTPUT), 0);
    assert_int_equal(pica_gpio_set(A(2)), 0);
    uint32_t v;
    assert_int_equal(pica_gpio_port_read(0, &v), 0);
    assert_int_equal(ctrl[0].init_calls, 1);
    assert_int_equal(ctrl[0].hooks_before_init, 0);
    /* A refused pin does not wake its port. */
    assert_int_equal(pica_gpio_read(C(5)), -ENODEV);
    assert_int_equal(ctrl[2].init_calls, 0);
    assert_int_equal(pica_gpio_port_read(2, &v), 0);
    assert_int_equal(ctrl[2].init_calls, 1);
}

/* ---- edge interrupts ---- */

static unsigned calls[2];
static unsigned last_pin[2];

static void
count_edge(unsigned pin, void *arg)
{
    unsigned i = (unsigned)(uintptr_t)arg;
    calls[i]++;
    last_pin[i] = pin;
}

/* Latch @edges_mask on @port and run the line's handler as the CPU would. */
static void
fire(unsigned port, unsigned line, uint32_t edges_mask)
{
    ctrl[port].latched |= edges_mask;
    assert_non_null(fake_lines[line].handler);
    assert_true(fake_lines[line].enabled);
    fake_lines[line].handler(fake_lines[line].arg);
    assert_int_equal(fake_lock_depth, 0);
}

static void
test_gpio_irq_attach_refusals(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_RISING, NULL, NULL), -EINVAL);
    assert_int_equal(pica_gpio_irq_attach(A(2), 0, count_edge, NULL), -EINVAL);
    assert_int_equal(pica_gpio_irq_attach(A(2), 4, count_edge, NULL), -EINVAL);
    assert_int_equal(pica_gpio_irq_attach(B(0), PICA_GPIO_EDGE_FALLING, count_edge, NULL),
                     -ENOTSUP);
    assert_int_equal(pica_gpio_irq_attach(B(0), PICA_GPIO_EDGE_BOTH, count_edge, NULL), -ENOTSUP);
    assert_int_equal(pica_gpio_irq_attach(C(0), PICA_GPIO_EDGE_RISING, count_edge, NULL),
                     -ENOTSUP); /* no line wired */
    assert_int_equal(fake_attach_calls, 0);
    assert_int_equal(pica_gpio_irq_detach(A(2)), -EINVAL); /* nothing attached */
    for (unsigned i = 0; i < HANDLER_SLOTS; i++) {
        assert_null(gpio_board_handlers[i].fn);
    }
}

static void
test_gpio_edges_run_the_handler_of_their_pin(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_BOTH, count_edge, (void *)0), 0);
    assert_int_equal(pica_gpio_irq_attach(A(3), PICA_GPIO_EDGE_FALLING, count_edge, (void *)1),
                     0);
    assert_int_equal(pica_gpio_irq_attach(A(3), PICA_GPIO_EDGE_RISING, count_edge, NULL), -EBUSY);
    /* One shared line for port 0, installed once, at the default priority. */
    assert_int_equal(fake_attach_calls, 1);
    assert_int_equal(fake_lines[LINE_A].prio, PICA_CFG_IRQ_PRIO_DEFAULT);
    assert_int_equal(ctrl[0].rise, 1u << 2);
    assert_int_equal(ctrl[0].fall, (1u << 2) | (1u << 3));
    fire(0, LINE_A, 1u << 2);
    assert_int_equal(calls[0], 1);
    assert_int_equal(last_pin[0], A(2));
    assert_int_equal(calls[1], 0);
    fire(0, LINE_A, (1u << 2) | (1u << 3)); /* both pins in one interrupt */
    assert_int_equal(calls[0], 2);
    assert_int_equal(calls[1], 1);
    assert_int_equal(last_pin[1], A(3));
    /* A line whose edge is not enabled is not taken. */
    fire(0, LINE_A, 1u << 4);
    assert_int_equal(calls[0] + calls[1], 3);
}

static void
test_gpio_detach_stops_the_handler_and_frees_its_slot(void **state)
{
    (void)state;
    calls[0] = 0;
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_RISING, count_edge, (void *)0), 0);
    fire(0, LINE_A, 1u << 2);
    assert_int_equal(calls[0], 1);
    assert_int_equal(pica_gpio_irq_detach(A(2)), 0);
    assert_int_equal(ctrl[0].rise | ctrl[0].fall, 0);
    ctrl[0].rise = 1u << 2; /* even if the controller still latched one */
    fire(0, LINE_A, 1u << 2);
    assert_int_equal(calls[0], 1);
    assert_int_equal(pica_gpio_irq_detach(A(2)), -EINVAL);
    /* Attach again: the slot is free and the line is already installed. */
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_RISING, count_edge, (void *)0), 0);
    assert_int_equal(fake_attach_calls, 1);
}

static void
detach_self(unsigned pin, void *arg)
{
    (void)arg;
    calls[0]++;
    assert_int_equal(pica_gpio_irq_detach(pin), 0);
}

static void
test_gpio_a_handler_may_detach_itself(void **state)
{
    (void)state;
    calls[0] = 0;
    assert_int_equal(pica_gpio_irq_attach(A(4), PICA_GPIO_EDGE_RISING, detach_self, NULL), 0);
    fire(0, LINE_A, 1u << 4);
    assert_int_equal(calls[0], 1);
    assert_int_equal(ctrl[0].rise, 0);
    ctrl[0].rise = 1u << 4;
    fire(0, LINE_A, 1u << 4);
    assert_int_equal(calls[0], 1); /* a one-shot */
    assert_int_equal(pica_gpio_irq_detach(A(4)), -EINVAL);
}

static void
test_gpio_per_pin_lines_are_installed_per_pin(void **state)
{
    (void)state;
    calls[0] = calls[1] = 0;
    assert_int_equal(pica_gpio_irq_attach(B(0), PICA_GPIO_EDGE_RISING, count_edge, (void *)0), 0);
    assert_int_equal(pica_gpio_irq_attach(B(9), PICA_GPIO_EDGE_RISING, count_edge, (void *)1), 0);
    assert_int_equal(fake_attach_calls, 2);
    assert_non_null(fake_lines[LINE_B + 0].handler);
    assert_non_null(fake_lines[LINE_B + 9].handler);
    assert_null(fake_lines[LINE_B + 1].handler);
    fire(1, LINE_B + 9, 1u << 9);
    assert_int_equal(calls[1], 1);
    assert_int_equal(last_pin[1], B(9));
    assert_int_equal(calls[0], 0);
    assert_int_equal(pica_gpio_irq_detach(B(9)), 0);
    assert_int_equal(pica_gpio_irq_attach(B(9), PICA_GPIO_EDGE_RISING, count_edge, (void *)1), 0);
    assert_int_equal(fake_attach_calls, 2);
}

static void
test_gpio_handler_slots_run_out_with_enomem(void **state)
{
    (void)state;
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_RISING, count_edge, NULL), 0);
    assert_int_equal(pica_gpio_irq_attach(A(3), PICA_GPIO_EDGE_RISING, count_edge, NULL), 0);
    assert_int_equal(pica_gpio_irq_attach(A(4), PICA_GPIO_EDGE_RISING, count_edge, NULL), 0);
    assert_int_equal(pica_gpio_irq_attach(A(5), PICA_GPIO_EDGE_RISING, count_edge, NULL), -ENOMEM);
    assert_int_equal(ctrl[0].rise, 0x1cu);
    assert_int_equal(pica_gpio_irq_detach(A(3)), 0);
    assert_int_equal(pica_gpio_irq_attach(A(5), PICA_GPIO_EDGE_RISING, count_edge, NULL), 0);
}

static void
test_gpio_a_failed_line_install_takes_no_slot(void **state)
{
    (void)state;
    fake_attach_error = -EBUSY; /* another driver holds the line */
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_RISING, count_edge, NULL), -EBUSY);
    assert_int_equal(ctrl[0].rise, 0);
    assert_int_equal(pica_gpio_irq_detach(A(2)), -EINVAL);
    fake_attach_error = 0;
    assert_int_equal(pica_gpio_irq_attach(A(2), PICA_GPIO_EDGE_RISING, count_edge, NULL), 0);
    assert_int_equal(fake_max_lock_depth, 1);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_gpio_unknown_pins_are_refused_with_enodev, reset),
        cmocka_unit_test_setup(test_gpio_reserved_pins_are_refused_with_eperm, reset),
        cmocka_unit_test_setup(test_gpio_bad_flags_are_refused_and_change_nothing, reset),
        cmocka_unit_test_setup(test_gpio_a_pull_the_controller_lacks_is_enotsup, reset),
        cmocka_unit_test_setup(test_gpio_output_levels_reach_the_controller_under_the_lock, reset),
        cmocka_unit_test_setup(test_gpio_writes_to_a_pin_not_configured_as_output_are_einval,
                               reset),
        cmocka_unit_test_setup(test_gpio_port_write_drives_only_the_masked_outputs, reset),
        cmocka_unit_test_setup(test_gpio_a_claimed_pin_refuses_config_and_claim_until_released,
                               reset),
        cmocka_unit_test_setup(test_gpio_controller_init_runs_once_before_any_other_hook, reset),
        cmocka_unit_test_setup(test_gpio_irq_attach_refusals, reset),
        cmocka_unit_test_setup(test_gpio_edges_run_the_handler_of_their_pin, reset),
        cmocka_unit_test_setup(test_gpio_detach_stops_the_handler_and_frees_its_slot, reset),
        cmocka_unit_test_setup(test_gpio_a_handler_may_detach_itself, reset),
        cmocka_unit_test_setup(test_gpio_per_pin_lines_are_installed_per_pin, reset),
        cmocka_unit_test_setup(test_gpio_handler_slots_run_out_with_enomem, reset),
        cmocka_unit_test_setup(test_gpio_a_failed_line_install_takes_no_slot, reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
