/* SPDX-License-Identifier: MIT */
/* Never exits: the runner's wall-clock timeout, or under icount its limit of
 * guest time, must end it and say so. */
#include <pica/pica.h>
#include <stdio.h>

int
main(void)
{
    printf("hanging on purpose\n");
    for (;;) {
    }
}
