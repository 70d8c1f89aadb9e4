/* SPDX-License-Identifier: MIT */
/* The attack test's victim: it reports where its secret words are (to the
 * kernel test, through a queue in slot 0) and then counts, once a
 * millisecond, or as fast as it can when the test sets its spin word, so
 * the test can see it is still scheduled while an attacker of equal
 * priority spins too. */
#include <pica/user/syscalls.h>

#include "attack.h"

volatile uint32_t victim_secret = VICTIM_SECRET;
volatile uint32_t victim_counter;
volatile uint32_t victim_spin;

int
user_main(void)
{
    volatile uint32_t on_stack = VICTIM_SECRET;
    struct victim_report r = {
        .secret_addr = (uint32_t)(uintptr_t)&victim_secret,
        .stack_addr = (uint32_t)(uintptr_t)&on_stack,
        .counter_addr = (uint32_t)(uintptr_t)&victim_counter,
        .spin_addr = (uint32_t)(uintptr_t)&victim_spin,
    };
    int err = pica_sys_queue_send(0, &r, sizeof(r), 0xffffffffu);
    if (err != 0) {
        return err;
    }
    for (;;) {
        victim_counter++;
        if (on_stack != VICTIM_SECRET || victim_secret != VICTIM_SECRET) {
            return 1; /* someone reached in */
        }
        if (!victim_spin) {
            pica_sys_sleep_us(1000);
        }
    }
}
