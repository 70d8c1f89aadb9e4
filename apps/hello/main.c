/* SPDX-License-Identifier: MIT */
/* The smallest Pica application: print and stop with status 0. */
#include <pica/pica.h>
#include <stdio.h>

int
main(void)
{
    printf("hello from Pica\n");
    pica_exit(0);
}
