/* SPDX-License-Identifier: MIT */
/* Inside hardware timers: what the portable half (hwtimer.c), the device
 * drivers (cmsdk_timer.c, cmsdk_dualtimer.c, stm32_tim.c,
 * stellaris_gptm.c, goldfish_rtc.c, clint_timer.c) and a board's table
 * (boards/<b>/timers.c) share. Applications see <pica/hwtimer.h> only. */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <pica/hwtimer.h>

struct hwtimer_dev;

/* What hwtimer.c keeps per timer, in RAM. period and deadline are the
 * driver's to use while the timer runs (compare-based devices re-arm at
 * deadline + period). */
struct hwtimer_state {
    pica_hwtimer_fn fn;
    void *arg;
    uint64_t period;   /* counts */
    uint64_t deadline; /* counts: the next event, where the driver keeps one */
    uint32_t hz;       /* what init returned */
    uint32_t flags;    /* ops->flags, less what init found missing */
    const char *note;  /* why a mode is missing, from init; or NULL */
    bool ready;        /* init has run */
    bool attached;     /* the interrupt handler is installed */
    bool running;
    bool periodic;
};

/* A device model. hwtimer.c checks every argument first and calls every
 * hook but count with the kernel lock held (pica_irq_lock), so a hook may
 * read-modify-write registers freely. */
struct hwtimer_ops {
    /* Clocks on, interrupt off, counter running freely from 0; once, before
     * any other hook. Returns the counter's rate in Hz. st->flags holds
     * ops->flags: a device that finds a mode or its counter unusable
     * clears it there and says why in st->note. */
    uint32_t (*init)(const struct hwtimer_dev *dev, struct hwtimer_state *st);
    /* The counter, rising, in its low dev->bits bits. Any context, no lock. */
    uint64_t (*count)(const struct hwtimer_dev *dev);
    /* Interrupt after st->period counts (checked to be in range), then,
     * with st->periodic, every st->period counts. */
    void (*start)(const struct hwtimer_dev *dev, struct hwtimer_state *st);
    /* Interrupt off and none pending; the counter runs freely again. */
    void (*stop)(const struct hwtimer_dev *dev, struct hwtimer_state *st);
    /* In the interrupt, with st->running: acknowledge the device, and
     * either stop it (one-shot) or make sure the next period comes
     * (periodic). Returns whether the event was due (false for a stale or
     * early interrupt, which must then leave the timer armed). */
    bool (*isr)(const struct hwtimer_dev *dev, struct hwtimer_state *st);
    uint32_t flags;      /* PICA_HWTIMER_ONESHOT, _PERIODIC, _HAS_COUNTER, _COUNTER_KEPT */
    uint32_t min_counts; /* the shortest period it can time */
};

#define HWTIMER_NO_IRQ 0xffffu

/* One timer of a board: constant, in flash. */
struct hwtimer_dev {
    const struct hwtimer_ops *ops;
    const char *name;
    uintptr_t base;
    uint32_t hz;   /* the counter's clock, for devices that cannot tell */
    uint16_t irq;  /* interrupt line, or HWTIMER_NO_IRQ (the driver calls
                    * hwtimer_event() itself); timers may share a line */
    uint8_t bits;  /* counter width, 16 .. 64 */
    uint8_t unit;  /* driver-specific: see the driver */
};

struct hwtimer_board {
    const struct hwtimer_dev *devs;
    struct hwtimer_state *state; /* one per timer */
    uint8_t count;
    int8_t devtimer; /* the timer pica_test_devtimer_start() uses, or -1 */
};

/* Every image has exactly one, from the board's timers.c. */
extern const struct hwtimer_board board_hwtimer;

/* Define board_hwtimer from a constant array of timers; @devtimer as in
 * struct hwtimer_board. */
#define HWTIMER_BOARD_DEFINE(devs_, devtimer_)                                                    \
    static struct hwtimer_state hwtimer_state_[sizeof(devs_) / sizeof((devs_)[0])];               \
    const struct hwtimer_board board_hwtimer = {                                                  \
        .devs = (devs_),                                                                          \
        .state = hwtimer_state_,                                                                  \
        .count = sizeof(devs_) / sizeof((devs_)[0]),                                              \
        .devtimer = (devtimer_),                                                                  \
    }

/* Longest period of a device whose counter is @bits wide: 2^bits counts,
 * capped at 2^60 for 64-bit compare devices so that deadlines never wrap. */
uint64_t hwtimer_max_counts(unsigned bits);

/* For a driver without an interrupt line of its own (HWTIMER_NO_IRQ): the
 * device interrupted; runs the isr hook and the callback. Context: ISR. */
void hwtimer_event(const struct hwtimer_dev *dev);

/* The device models (drivers/timer/<model>.c). */
extern const struct hwtimer_ops cmsdk_timer_ops;
extern const struct hwtimer_ops cmsdk_dualtimer_ops;
extern const struct hwtimer_ops stm32_tim_ops;
extern const struct hwtimer_ops stellaris_gptm_ops;
extern const struct hwtimer_ops goldfish_rtc_ops;
extern const struct hwtimer_ops clint_timer_ops;
