/* SPDX-License-Identifier: MIT */
/* Reads block lengths, one a line, and prints "len size align waste" as
 * region_pmsav7_layout() gives them (or "len error <code>"), for
 * check_user_layout.py to compare with tools/pica-user-layout. */
#include <stdio.h>

#include "region.h"

int
main(void)
{
    unsigned long len;
    while (scanf("%lu", &len) == 1) {
        uint32_t size = 0, align = 0;
        int waste = region_pmsav7_layout((uint32_t)len, &size, &align);
        if (waste < 0) {
            printf("%lu error %d\n", len, waste);
        } else {
            printf("%lu %lu %lu %d\n", len, (unsigned long)size, (unsigned long)align, waste);
        }
    }
    return 0;
}
