/* SPDX-License-Identifier: MIT */
/* Hardware timers, the portable half of include/pica/hwtimer.h: checks
 * every call against the board's table (board_hwtimer: which timers exist,
 * what each device can do), converts periods to counts, keeps each timer's
 * callback and state, installs and dispatches the interrupt lines, and
 * leaves the registers to the device's struct hwtimer_ops (hwtimer_dev.h).
 * Plain C over pica_irq_*: host-tested in tests/unit/hwtimer. */
#include <pica/hwtimer.h>

#include <errno.h>
#include <pica/config.h>
#include <pica/irq.h>
#include <pica/panic.h>
#include <stddef.h>

#include "hwtimer_dev.h"

#define NS_PER_S 1000000000u
#define HWTIMER_MODES (PICA_HWTIMER_ONESHOT | PICA_HWTIMER_PERIODIC)

/* floor((a * b + c) / d) in *out, or false if it exceeds 64 bits. Exact
 * for b, d < 2^32 as long as one of them is below 2^30 (NS_PER_S always
 * is), so that r * b + c below cannot overflow: with a = q * d + r,
 * (a * b + c) / d = q * b + (r * b + c) / d. */
static bool
muldiv(uint64_t a, uint32_t b, uint64_t c, uint32_t d, uint64_t *out)
{
    if (d == 0) {
        return false;
    }
    uint64_t q = a / d;
    uint64_t r = a % d;
    if (q != 0 && b > UINT64_MAX / q) {
        return false;
    }
    uint64_t whole = q * b;
    uint64_t part = (r * b + c) / d;
    if (whole > UINT64_MAX - part) {
        return false;
    }
    *out = whole + part;
    return true;
}

int
pica_hwtimer_ns_to_counts(uint64_t ns, uint32_t hz, uint64_t *counts)
{
    PICA_CHECK(counts != NULL, -EINVAL);
    uint64_t c;
    if (hz == 0 || !muldiv(ns, hz, NS_PER_S / 2u, NS_PER_S, &c)) {
        return -EINVAL;
    }
    *counts = c;
    return 0;
}

/* The inverse bounds for pica_hwtimer_info(): the least ns that rounds to
 * at least @min counts, and the most that rounds to at most @max
 * (saturated: UINT64_MAX when every ns does). Rounding is half up, so
 * ns rounds to >= m iff ns * hz >= m * 1e9 - 1e9 / 2, and to <= M iff
 * ns * hz < M * 1e9 + 1e9 / 2. */
static uint64_t
counts_min_ns(uint64_t min, uint32_t hz)
{
    uint64_t ns;
    if (min == 0 || !muldiv(min - 1u, NS_PER_S, NS_PER_S / 2u + hz - 1u, hz, &ns)) {
        return min == 0 ? 0 : UINT64_MAX;
    }
    return ns;
}

static uint64_t
counts_max_ns(uint64_t max, uint32_t hz)
{
    uint64_t ns;
    if (!muldiv(max, NS_PER_S, NS_PER_S / 2u - 1u, hz, &ns)) {
        return UINT64_MAX;
    }
    return ns;
}

uint64_t
hwtimer_max_counts(unsigned bits)
{
    return bits >= 60u ? (uint64_t)1 << 60 : (uint64_t)1 << bits;
}

/* Run the device's init hook once, whoever gets there first. */
static void
timer_ready(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (st->ready) {
        return;
    }
    unsigned key = pica_irq_lock();
    if (!st->ready) {
        st->flags = dev->ops->flags;
        st->hz = dev->ops->init(dev, st);
        st->ready = true;
    }
    pica_irq_unlock(key);
}

static int
timer_find(unsigned timer, const struct hwtimer_dev **dev, struct hwtimer_state **st)
{
    if (timer >= board_hwtimer.count) {
        return -ENODEV;
    }
    *dev = &board_hwtimer.devs[timer];
    *st = &board_hwtimer.state[timer];
    timer_ready(*dev, *st);
    return 0;
}

/* One timer's interrupt: ask the device whether its event was due, and
 * run the callback outside the lock, a one-shot already marked stopped so
 * that the callback may start it again. */
static void
timer_service(unsigned timer)
{
    const struct hwtimer_dev *dev = &board_hwtimer.devs[timer];
    struct hwtimer_state *st = &board_hwtimer.state[timer];
    unsigned key = pica_irq_lock();
    bool due = st->running && dev->ops->isr(dev, st);
    if (due && !st->periodic) {
        st->running = false;
    }
    pica_hwtimer_fn fn = st->fn;
    void *arg = st->arg;
    pica_irq_unlock(key);
    if (due) {
        fn(timer, arg);
    }
}

/* The handler of an interrupt line, installed by its first timer (@arg):
 * timers after it may share the line. */
static void
line_isr(void *arg)
{
    unsigned first = (unsigned)(uintptr_t)arg;
    uint16_t irq = board_hwtimer.devs[first].irq;
    for (unsigned i = first; i < board_hwtimer.count; i++) {
        if (board_hwtimer.devs[i].irq == irq) {
            timer_service(i);
        }
    }
}

void
hwtimer_event(const struct hwtimer_dev *dev)
{
    timer_service((unsigned)(dev - board_hwtimer.devs));
}

/* Install the line of @dev if no timer on it has. Called with the lock
 * held, which pica_irq_attach() nests. */
static int
line_attach_locked(const struct hwtimer_dev *dev, struct hwtimer_state *st)
{
    if (st->attached || dev->irq == HWTIMER_NO_IRQ) {
        return 0;
    }
    unsigned first = 0;
    while (board_hwtimer.devs[first].irq != dev->irq) {
        first++;
    }
    int err = pica_irq_attach(dev->irq, line_isr, (void *)(uintptr_t)first,
                              PICA_CFG_IRQ_PRIO_DEFAULT);
    if (err == 0) {
        err = pica_irq_enable(dev->irq);
    }
    if (err != 0) {
        return err;
    }
    for (unsigned i = first; i < board_hwtimer.count; i++) {
        if (board_hwtimer.devs[i].irq == dev->irq) {
            board_hwtimer.state[i].attached = true;
        }
    }
    return 0;
}

unsigned
pica_hwtimer_number(void)
{
    return board_hwtimer.count;
}

int
pica_hwtimer_info(unsigned timer, struct pica_hwtimer_info *info)
{
    const struct hwtimer_dev *dev;
    struct hwtimer_state *st;
    int err = timer_find(timer, &dev, &st);
    if (err != 0) {
        return err;
    }
    PICA_CHECK(info != NULL, -EINVAL);
    info->name = dev->name;
    info->hz = st->hz;
    info->flags = st->flags;
    info->note = st->note;
    info->bits = dev->bits;
    info->min_counts = dev->ops->min_counts;
    info->max_counts = hwtimer_max_counts(dev->bits);
    info->min_ns = counts_min_ns(info->min_counts, st->hz);
    info->max_ns = counts_max_ns(info->max_counts, st->hz);
    return 0;
}

/* The period in counts, or -EINVAL when it is out of the device's range:
 * not a PICA_CHECK, as a period may come from a computation at run time. */
static int
period_counts(const struct hwtimer_dev *dev, const struct hwtimer_state *st, uint64_t period,
              uint32_t flags, uint64_t *counts)
{
    uint64_t c = period;
    bool in_ns = !(flags & PICA_HWTIMER_PERIOD_COUNTS);
    if (in_ns && pica_hwtimer_ns_to_counts(period, st->hz, &c) != 0) {
        c = UINT64_MAX; /* beyond 64 bits: beyond every device */
    }
    if (c < dev->ops->min_counts || c > hwtimer_max_counts(dev->bits)) {
        return -EINVAL;
    }
    *counts = c;
    return 0;
}

int
pica_hwtimer_start(unsigned timer, uint64_t period, uint32_t flags, pica_hwtimer_fn fn,
                   void *arg)
{
    const struct hwtimer_dev *dev;
    struct hwtimer_state *st;
    int err = timer_find(timer, &dev, &st);
    if (err != 0) {
        return err;
    }
    uint32_t mode = flags & HWTIMER_MODES;
    PICA_CHECK((flags & ~(HWTIMER_MODES | PICA_HWTIMER_PERIOD_COUNTS)) == 0, -EINVAL);
    PICA_CHECK(mode == PICA_HWTIMER_ONESHOT || mode == PICA_HWTIMER_PERIODIC, -EINVAL);
    PICA_CHECK(fn != NULL, -EINVAL);
    uint64_t counts;
    err = period_counts(dev, st, period, flags, &counts);
    if (err != 0) {
        return err;
    }
    if (!(st->flags & mode)) {
        return -ENOTSUP;
    }
    unsigned key = pica_irq_lock();
    if (st->running) {
        err = -EBUSY;
    } else {
        err = line_attach_locked(dev, st);
    }
    if (err == 0) {
        st->fn = fn;
        st->arg = arg;
        st->period = counts;
        st->periodic = mode == PICA_HWTIMER_PERIODIC;
        st->running = true;
        dev->ops->start(dev, st);
    }
    pica_irq_unlock(key);
    return err;
}

int
pica_hwtimer_stop(unsigned timer)
{
    const struct hwtimer_dev *dev;
    struct hwtimer_state *st;
    int err = timer_find(timer, &dev, &st);
    if (err != 0) {
        return err;
    }
    unsigned key = pica_irq_lock();
    if (st->running) {
        dev->ops->stop(dev, st);
        st->running = false;
    }
    pica_irq_unlock(key);
    return 0;
}

int
pica_hwtimer_is_running(unsigned timer)
{
    const struct hwtimer_dev *dev;
    struct hwtimer_state *st;
    int err = timer_find(timer, &dev, &st);
    if (err != 0) {
        return err;
    }
    return st->running ? 1 : 0;
}

uint64_t
pica_hwtimer_count(unsigned timer)
{
    if (timer >= board_hwtimer.count) {
        return 0;
    }
    const struct hwtimer_dev *dev = &board_hwtimer.devs[timer];
    timer_ready(dev, &board_hwtimer.state[timer]);
    return dev->ops->count(dev);
}
