/* SPDX-License-Identifier: MIT */
/* The user-ns test's root process: it finds the boot layout the kernel
 * promises (the name service's endpoint in slot 0, the image's initial
 * capability in slot 1), offers that capability as "ticket" and serves
 * names until the kernel ends it. */
#include <errno.h>
#include <stdio.h>

#include <pica/user/pica_user.h>

int
user_main(void)
{
    const unsigned all = PICA_USER_RIGHT_READ | PICA_USER_RIGHT_WRITE | PICA_USER_RIGHT_GRANT;
    int failures = 0;
    if (sys_ns_slot() != 0 || sys_cap_info(0) != (int)(PICA_USER_CAP_EP | all << 8) ||
        sys_cap_info(1) != (int)(PICA_USER_CAP_SEM | all << 8)) {
        printf("root: FAIL boot layout: ns %d, slot 0 %x, slot 1 %x\n", sys_ns_slot(),
               sys_cap_info(0), sys_cap_info(1));
        failures++;
    }
    if (sys_ns_offer("ticket", 1) != 0 || sys_ns_offer("ticket", 1) != -EEXIST) {
        printf("root: FAIL offer\n");
        failures++;
    }
    printf("root: serving names, %d failures\n", failures);
    return sys_ns_serve(sys_ns_slot());
}
