/* SPDX-License-Identifier: MIT */
/* Instruction counter for tm_latency on netduinoplus2: TIM2, the timer the
 * board names for time stamps (BOARD_HWTIMER_COUNTER in its
 * board_timers.h), started through include/pica/hwtimer.h and read with
 * the driver's inline accessor at its constant address: a call through
 * pica_hwtimer_count() costs 26 more instructions a read, and an address
 * loaded from memory one more, which the figures that take a stamp inside
 * a round or a handler would count. QEMU clocks it at 1 GHz, so under
 * -icount shift=0 it counts one per instruction. */
#pragma once

#include <pica/hwtimer.h>
#include <pica/panic.h>
#include <stdbool.h>
#include <stdint.h>

#include "hwtimer_dev.h"
#include "stm32_tim.h"

static const char *tm_counter_name;
static unsigned tm_count_insns;
#define TM_COUNTER_NAME tm_counter_name
#define TM_COUNT_INSNS tm_count_insns

static inline void
tm_counter_init(void)
{
    const struct hwtimer_dev *dev = &board_hwtimer.devs[BOARD_HWTIMER_COUNTER];
    struct pica_hwtimer_info info;
    bool ok = pica_hwtimer_info(BOARD_HWTIMER_COUNTER, &info) == 0 &&
              (info.flags & PICA_HWTIMER_HAS_COUNTER) && dev->ops == &stm32_tim_ops &&
              dev->base == BOARD_HWTIMER_COUNTER_BASE && info.bits == 32;
    if (!ok) {
        PICA_PANIC("tm_latency: timer %u is no readable 32-bit TIM", BOARD_HWTIMER_COUNTER);
    }
    tm_counter_name = info.name;
    tm_count_insns = 1000000000u / info.hz;
}

static inline uint32_t
tm_count(void)
{
    return stm32_tim_count(BOARD_HWTIMER_COUNTER_BASE);
}
