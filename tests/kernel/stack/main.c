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
} area __attribute__((aligned(PICA_STACK_GUARD_BYTES)));

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

/* How an overflowing thread reaches its guard. */
enum overflow_way {
    DEEP_CALLS,        /* plain recursion */
    UNDER_IRQ_LOCK,    /* recursion holding pica_irq_lock() */
    UNDER_PRIMASK,     /* recursion with every interrupt masked (Cortex-M) */
    IN_SWITCH_SAVE,    /* the switch saving its context runs into the guard */
};

static void
overflow_entry(void *arg)
{
    enum overflow_way way = (enum overflow_way)(uintptr_t)arg;
    if (way == UNDER_IRQ_LOCK) {
        (void)pica_irq_lock();
    }
#if defined(__arm__)
    if (way == UNDER_PRIMASK) {
        __asm volatile("cpsid i" ::: "memory");
    }
    if (way == IN_SWITCH_SAVE) {
        /* Leave just room for the 8-word frame the CPU stacks on entry to
         * PendSV, so the 9 words PendSV then saves reach the guard. */
        uint32_t sp = (uint32_t)pica_thread_self()->stack_base + PICA_STACK_GUARD_BYTES + 40u;
        __asm volatile("mov sp, %0\n\t"
                       "str %2, [%1]\n\t"
                       "dsb\n\t"
                       "isb\n\t"
                       "1: b 1b" ::"r"(sp),
                       "r"(0xE000ED04u), "r"(1u << 28)
                       : "memory");
    }
#endif
    sink = recurse(12);
    pica_sleep(PICA_TICKS(1)); /* the canary is checked as this thread switches out */
    sink = 0xdead;
}

/* Run an overflowing thread on @stack and check that it, and only it,
 * was stopped, and that nothing below the stack's own area was touched
 * (but for what one frame may skip when the guard is hardware). */
static void
overflow_and_check(void *stack, size_t size, enum overflow_way way)
{
    memset(area.below, 0, sizeof(area.below));
    sink = 0;
    pica_assert_eq(pica_thread_create(&deep, "deep", overflow_entry, (void *)(uintptr_t)way,
                                      stack, size, 10, 0),
                   0);
    pica_assert_eq(pica_thread_join(&deep, PICA_MS(100)), 0);
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(&deep, &info), 0);
    pica_assert_eq(info.state, PICA_THREAD_DEAD);
    pica_assert_eq(info.exit_code, -EFAULT);
    pica_assert_ne(sink, 0xdead);
    for (unsigned i = 0; ARCH_HAS_STACK_GUARD && i < sizeof(area.below) - 256u; i++) {
        pica_assert_eq(area.below[i], 0);
    }
    /* The kernel is unlocked and switching: a sleep ends on time. */
    pica_tick_t t0 = pica_tick_now();
    pica_assert_eq(pica_sleep(PICA_TICKS(2)), 0);
    pica_assert_eq(pica_tick_now() - t0, 2);
}

PICA_TEST(overflow_is_caught_at_every_stack_alignment)
{
    /* The guard starts at the first multiple of its size in the stack;
     * below it the stack gives up its bytes. Every 8-byte offset. */
    for (unsigned off = 0; off < PICA_STACK_GUARD_BYTES; off += 8u) {
        overflow_and_check((char *)area.stack + off, sizeof(area.stack) - off, DEEP_CALLS);
    }
}

PICA_TEST(overflow_while_holding_the_kernel_lock_is_caught)
{
    if (!ARCH_HAS_STACK_GUARD) {
        return; /* a canary notices at a switch, which the lock prevents */
    }
    overflow_and_check(area.stack, sizeof(area.stack), UNDER_IRQ_LOCK);
}

PICA_TEST(overflow_with_interrupts_masked_is_caught)
{
#if defined(__arm__)
    overflow_and_check(area.stack, sizeof(area.stack), UNDER_PRIMASK);
#endif
}

PICA_TEST(overflow_while_the_switch_saves_the_thread_is_caught)
{
#if defined(__arm__)
    overflow_and_check(area.stack, sizeof(area.stack), IN_SWITCH_SAVE);
#endif
}

PICA_TEST(stack_too_small_after_alignment_is_refused)
{
    static struct pica_thread t;
    /* 8 bytes off the guard's alignment: 56 bytes are given up first. */
    char *base = (char *)area.stack + 8;
    pica_assert_eq(pica_thread_create(&t, "small", overflow_entry, NULL, base, 300, 10, 0),
                   -EINVAL);
}

int
main(void)
{
    pica_test_run();
}
