/* SPDX-License-Identifier: MIT */
/* Never exits: the runner's timeout must end it and say so. */
#include <pica/pica.h>
#include <stdio.h>

int
main(void)
{
    printf("hanging on purpose\n");
    for (;;) {
    }
}
