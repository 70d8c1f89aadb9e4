/* SPDX-License-Identifier: MIT */
/* Stack safety: a thread that overflows its stack is caught (by the MPU
 * guard as it happens, or by the canary at its next switch), reported by
 * name and stopped; the rest of the system goes on.
 * The stack sits right above a guard buffer of our own, so the overflow
 * lands in memory this test owns. High-water marks are reported. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <string.h>

#include "arch.h"

#define STACK 512

static struct {
    uint8_t below[2048]; /* the overflow lands here */
    uint64_t stack[STACK / 8];
} area;

static struct pica_thread deep, shallow;
PICA_THREAD_STACK_DEFINE(shallow_stack, 1024);

static volatile uint32_t sink;

__attribute__((noipa)) static uint32_t
use_frame(volatile uint8_t *frame, uint32_t below)
{
    return frame[below % 64u] + below;
}

/* Each level keeps 64 bytes live across the call (use_frame() needs them
 * after it), so the compiler cannot fold the recursion into a loop. */
__attribute__((noipa)) static uint32_t
recurse(unsigned depth)
{
    volatile uint8_t frame[64];
    for (unsigned i = 0; i < sizeof(frame); i++) {
        frame[i] = (uint8_t)(depth + i);
    }
    uint32_t below = depth == 0 ? 0 : recurse(depth - 1);
    return use_frame(frame, below);
}

static void
deep_entry(void *arg)
{
    sink = recurse((unsigned)(uintptr_t)arg);
    pica_sleep(PICA_TICKS(1)); /* the canary is checked as this thread switches out */
    sink = 0xdead;
}

static void
shallow_entry(void *arg)
{
    (void)arg;
    sink = recurse(2);
}

PICA_TEST(overflow_is_caught_reported_and_contained)
{
    memset(area.below, 0, sizeof(area.below));
    sink = 0;
    pica_assert_eq(pica_thread_create(&deep, "deep", deep_entry, (void *)12u, area.stack,
                                      sizeof(area.stack), 10, 0),
                   0);
    pica_assert_eq(pica_thread_join(&deep, PICA_MS(100)), 0);
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(&deep, &info), 0);
    pica_assert_eq(info.state, PICA_THREAD_DEAD);
    pica_assert_eq(info.exit_code, -EFAULT);
    pica_assert_ne(sink, 0xdead); /* it never ran past the switch */
    /* With a hardware guard the thread stops at its first access to the
     * guard. A frame larger than the guard may reach past it before that,
     * so the bytes just below can be hit (hence the buffer), but nothing
     * further down is. A canary only notices afterwards. */
    for (unsigned i = 0; ARCH_HAS_STACK_GUARD && i < sizeof(area.below) - 256u; i++) {
        pica_assert_eq(area.below[i], 0);
    }
    /* The system goes on: other threads run normally. */
    pica_assert_eq(pica_thread_create(&shallow, "shallow", shallow_entry, NULL, shallow_stack,
                                      sizeof(shallow_stack), 10, 0),
                   0);
    pica_assert_eq(pica_thread_join(&shallow, PICA_MS(100)), 0);
    pica_assert_eq(pica_thread_info(&shallow, &info), 0);
    pica_assert_eq(info.exit_code, 0);
}

PICA_TEST(high_water_mark_tracks_the_deepest_use)
{
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(&shallow, &info), 0);
    /* Three levels of 64-byte frames plus the thread's first frame. */
    pica_assert_gt(info.stack_used_max, 3 * 64);
    pica_assert_lt(info.stack_used_max, 1024);
    pica_assert_eq(info.stack_size, 1024);
    pica_assert_eq(pica_thread_info(pica_thread_self(), &info), 0);
    pica_assert_gt(info.stack_used_max, 0);
    pica_assert_lt(info.stack_used_max, info.stack_size);
}

int
main(void)
{
    pica_test_run();
}
