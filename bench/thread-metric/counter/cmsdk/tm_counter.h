/* SPDX-License-Identifier: MIT */
/* Instruction counter for tm_latency on the MPS2 boards: a CMSDK APB timer
 * the board names for time stamps (BOARD_HWTIMER_COUNTER in its
 * board_timers.h), started through include/pica/hwtimer.h and read with
 * the driver's inline accessor at its constant address: a call through
 * pica_hwtimer_count() costs 26 more instructions a read, and an address
 * loaded from memory one more, which the figures that take a stamp inside
 * a round or a handler would count. At 25 MHz under QEMU -icount shift=0
 * one count is 40 instructions, so single events are resolved only by
 * averaging many. */
#pragma once

#include <pica/hwtimer.h>
#include <pica/panic.h>
#include <stdbool.h>
#include <stdint.h>

#include "cmsdk_timer.h"
#include "hwtimer_dev.h"

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
              (info.flags & PICA_HWTIMER_HAS_COUNTER) && dev->ops == &cmsdk_timer_ops &&
              dev->base == BOARD_HWTIMER_COUNTER_BASE;
    if (!ok) {
        PICA_PANIC("tm_latency: timer %u is no readable CMSDK timer", BOARD_HWTIMER_COUNTER);
    }
    tm_counter_name = info.name;
    tm_count_insns = 1000000000u / info.hz;
}

static inline uint32_t
tm_count(void)
{
    return cmsdk_timer_count(BOARD_HWTIMER_COUNTER_BASE);
}
