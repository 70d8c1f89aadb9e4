/* SPDX-License-Identifier: MIT */
/* The STM32F4 PLL search: every answer must reproduce the requested clock and
 * respect the datasheet limits; impossible requests are refused. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "stm32f4_clock.h"

static void
assert_within_limits(uint32_t in_hz, const struct stm32f4_pll *p)
{
    uint32_t vin = in_hz / p->m;
    uint64_t vco = (uint64_t)vin * p->n;
    assert_true(p->m >= 2 && p->m <= 63);
    assert_true(p->n >= 50 && p->n <= 432);
    assert_true(p->p == 2 || p->p == 4 || p->p == 6 || p->p == 8);
    assert_true(p->q >= 2 && p->q <= 15);
    assert_true(vin >= 1000000u && vin <= 2000000u);
    assert_true(vco >= 100000000u && vco <= 432000000u);
    assert_int_equal(vco / p->p, p->sysclk_hz);
    assert_int_equal(vco / p->q, p->usb_hz);
}

static void
test_pll_25mhz_hse_to_168mhz_with_usb_48mhz(void **state)
{
    (void)state;
    struct stm32f4_pll p;
    assert_int_equal(stm32f4_pll_solve(25000000u, 168000000u, &p), 0);
    assert_within_limits(25000000u, &p);
    assert_int_equal(p.sysclk_hz, 168000000u);
    assert_int_equal(p.usb_hz, 48000000u);
}

static void
test_pll_8mhz_hse_to_various_clocks(void **state)
{
    (void)state;
    static const uint32_t targets[] = {168000000u, 120000000u, 84000000u, 48000000u, 100000000u};
    for (size_t i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
        struct stm32f4_pll p;
        assert_int_equal(stm32f4_pll_solve(8000000u, targets[i], &p), 0);
        assert_within_limits(8000000u, &p);
        assert_int_equal(p.sysclk_hz, targets[i]);
    }
}

static void
test_pll_refuses_overclock_and_bad_input(void **state)
{
    (void)state;
    struct stm32f4_pll p;
    assert_int_equal(stm32f4_pll_solve(25000000u, 180000000u, &p), -EINVAL);
    assert_int_equal(stm32f4_pll_solve(0, 168000000u, &p), -EINVAL);
    assert_int_equal(stm32f4_pll_solve(25000000u, 0, &p), -EINVAL);
    assert_int_equal(stm32f4_pll_solve(25000000u, 168000000u, NULL), -EINVAL);
    /* 1 MHz in cannot give a VCO input of at least 1 MHz with M >= 2. */
    assert_int_equal(stm32f4_pll_solve(1000000u, 168000000u, &p), -EINVAL);
}

static void
test_flash_latency_follows_30mhz_steps(void **state)
{
    (void)state;
    assert_int_equal(stm32f4_flash_latency(16000000u), 0);
    assert_int_equal(stm32f4_flash_latency(30000000u), 0);
    assert_int_equal(stm32f4_flash_latency(30000001u), 1);
    assert_int_equal(stm32f4_flash_latency(168000000u), 5);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_pll_25mhz_hse_to_168mhz_with_usb_48mhz),
        cmocka_unit_test(test_pll_8mhz_hse_to_various_clocks),
        cmocka_unit_test(test_pll_refuses_overclock_and_bad_input),
        cmocka_unit_test(test_flash_latency_follows_30mhz_steps),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
