/* SPDX-License-Identifier: MIT */
/* Lazy FPU context on Cortex-M4F: threads that use the FPU keep all of
 * S0-S31 and FPSCR across preemption by other FPU threads and by threads
 * that never touch the FPU. Each FPU thread fills the registers with its
 * own pattern, spins across several time slices, then checks them. */
#include <pica/pica.h>
#include <pica/test.h>
#include <pica/thread.h>

#define STACK 1024
#define ROUNDS 4
#define SPIN 3000000u /* several ticks of virtual time: many preemptions */

static struct pica_thread th[3];
static uint64_t stacks[3][STACK / 8];
static volatile int bad_regs[2];
static volatile uint32_t plain_counter;
static volatile int stop;

/* Load s0..s31 with seed + i, spin, and count registers that changed. */
static int
fpu_fill_spin_check(uint32_t seed)
{
    uint32_t buf[32];
    int bad = 0;
    for (int i = 0; i < 32; i++) {
        buf[i] = seed + (uint32_t)i;
    }
    __asm volatile("vldm %0, {s0-s31}" ::"r"(buf) : "memory");
    for (volatile uint32_t n = 0; n < SPIN; n++) {
    }
    uint32_t out[32];
    __asm volatile("vstm %0, {s0-s31}" ::"r"(out) : "memory");
    for (int i = 0; i < 32; i++) {
        bad += out[i] != buf[i];
    }
    return bad;
}

static void
fpu_thread(void *arg)
{
    int idx = (int)(uintptr_t)arg;
    for (int r = 0; r < ROUNDS; r++) {
        bad_regs[idx] += fpu_fill_spin_check(0x3f800000u + (uint32_t)idx * 0x100000u + (uint32_t)r);
    }
}

static void
plain_thread(void *arg)
{
    (void)arg;
    while (!stop) {
        plain_counter++;
    }
}

PICA_TEST(fpu_registers_survive_switches_between_fpu_threads)
{
    bad_regs[0] = bad_regs[1] = 0;
    stop = 0;
    /* Equal priorities: round-robin preempts them in the middle of the spin. */
    pica_assert_eq(pica_thread_create(&th[0], "fpu-a", fpu_thread, (void *)0, stacks[0], STACK, 20,
                                      0),
                   0);
    pica_assert_eq(pica_thread_create(&th[1], "fpu-b", fpu_thread, (void *)1, stacks[1], STACK, 20,
                                      0),
                   0);
    pica_assert_eq(pica_thread_create(&th[2], "plain", plain_thread, NULL, stacks[2], STACK, 20, 0),
                   0);
    pica_assert_eq(pica_thread_join(&th[0], PICA_FOREVER), 0);
    pica_assert_eq(pica_thread_join(&th[1], PICA_FOREVER), 0);
    stop = 1;
    pica_assert_eq(pica_thread_join(&th[2], PICA_FOREVER), 0);
    pica_assert_eq(bad_regs[0], 0);
    pica_assert_eq(bad_regs[1], 0);
    pica_assert_gt(plain_counter, 0);
    /* They really were interleaved, not run one after the other. */
    struct pica_thread_info a, b;
    pica_thread_info(&th[0], &a);
    pica_thread_info(&th[1], &b);
    pica_assert_gt(a.switches, ROUNDS);
    pica_assert_gt(b.switches, ROUNDS);
}

int
main(void)
{
    pica_test_run();
}
