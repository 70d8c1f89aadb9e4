/* SPDX-License-Identifier: MIT */
/* The user-bpf test's process that is killed: with a grant for the timer
 * hook only, it loads a timer counter and waits; the kernel kills it, and
 * its program must go with it. */
#include <pica/user/pica_user.h>

#include "user_bpf.h"

extern const uint8_t bpf_obj_tick_count[], bpf_obj_tick_count_end[];

int
user_main(void)
{
    int prog = sys_bpf_load(C_GRANT, bpf_obj_tick_count,
                            (size_t)(bpf_obj_tick_count_end - bpf_obj_tick_count), "timer:1");
    for (;;) {
        /* Its slot, for the kernel to find; then nothing until the end. */
        (void)sys_sleep_us(prog >= 0 ? 1000000u : 1u);
    }
}
