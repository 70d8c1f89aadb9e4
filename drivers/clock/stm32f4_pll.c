/* SPDX-License-Identifier: MIT */
/* STM32F4 PLL factor search: plain arithmetic with no register access, so
 * host tests can check it (tests/unit/stm32f4_pll). Limits from RM0090
 * §6.3.2 and the STM32F405 datasheet. */
#include <errno.h>

#include "stm32f4_clock.h"

#define VCO_IN_MIN 1000000u
#define VCO_IN_MAX 2000000u
#define VCO_OUT_MIN 100000000u
#define VCO_OUT_MAX 432000000u
#define SYSCLK_MAX 168000000u
#define USB_HZ 48000000u

int
stm32f4_pll_solve(uint32_t in_hz, uint32_t sysclk_hz, struct stm32f4_pll *out)
{
    if (out == 0 || in_hz == 0 || sysclk_hz == 0 || sysclk_hz > SYSCLK_MAX) {
        return -EINVAL;
    }
    int found = 0;
    /* Prefer the lowest M that gives an exact sysclk, and among those an
     * exact 48 MHz clock: a low M means a high VCO input and less jitter. */
    for (uint32_t m = 2; m <= 63; m++) {
        uint32_t vin = in_hz / m;
        if (in_hz % m != 0 || vin < VCO_IN_MIN || vin > VCO_IN_MAX) {
            continue;
        }
        for (uint32_t p = 2; p <= 8; p += 2) {
            uint64_t vco = (uint64_t)sysclk_hz * p;
            if (vco < VCO_OUT_MIN || vco > VCO_OUT_MAX || vco % vin != 0) {
                continue;
            }
            uint32_t n = (uint32_t)(vco / vin);
            if (n < 50 || n > 432) {
                continue;
            }
            uint32_t q = (uint32_t)((vco + USB_HZ / 2) / USB_HZ);
            q = q < 2 ? 2 : (q > 15 ? 15 : q);
            int usb_exact = vco % USB_HZ == 0 && vco / USB_HZ == q;
            if (!found || (usb_exact && out->usb_hz != USB_HZ)) {
                *out = (struct stm32f4_pll){m, n, p, q, sysclk_hz, (uint32_t)(vco / q)};
                found = 1;
            }
            if (usb_exact) {
                return 0;
            }
        }
    }
    return found ? 0 : -EINVAL;
}

uint32_t
stm32f4_flash_latency(uint32_t hclk_hz)
{
    /* One wait state per started 30 MHz at 2.7-3.6 V. */
    return hclk_hz == 0 ? 0 : (hclk_hz - 1) / 30000000u;
}
