/* SPDX-License-Identifier: MIT */
/* The demo's misbehaving process: it counts for a while like a good
 * citizen, then reads memory that is not its own (the kernel's, at
 * ROGUE_TARGET). The MPU/PMP stops it, the kernel reports the fault and
 * ends this process, and everything else keeps running. */
#include <pica/user/pica_user.h>
#include <stdint.h>
#include <stdio.h>

int
user_main(void)
{
    for (int i = 3; i > 0; i--) {
        printf("rogue: reading kernel memory in %d s\n", i);
        pica_sys_sleep_us(1000000);
    }
    volatile uint32_t *kernel = (volatile uint32_t *)(uintptr_t)ROGUE_TARGET;
    printf("rogue: reading 0x%08lx\n", (unsigned long)(uintptr_t)kernel);
    uint32_t stolen = *kernel;
    printf("rogue: got 0x%08lx: the kernel is not protected!\n", (unsigned long)stolen);
    return 1;
}
