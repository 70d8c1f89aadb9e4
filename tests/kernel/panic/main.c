/* SPDX-License-Identifier: MIT */
/* A deliberate PICA_PANIC: reported with file, line and message, and the run
 * ends with PICA_EXIT_PANIC (2). */
#include <pica/pica.h>
#include <stdio.h>

int
main(void)
{
    printf("expect-panic line=%d\n", __LINE__ + 1);
    PICA_PANIC("deliberate panic %d", 42);
    printf("not reached\n");
    return 0;
}
