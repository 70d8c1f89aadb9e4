/* SPDX-License-Identifier: MIT */
/* Programs that must fail at run time, never crash: a load far past the context,
 * a store into read-only .rodata through a computed pointer, and an endless loop.
 */
#include "pica_prog.h"

const volatile __u32 table[4] = { 1, 2, 3, 4 };

SEC("fault/oob")
int oob(void *ctx)
{
    return *((volatile __u32 *)ctx + 100000);
}

SEC("fault/rodata")
int rodata_write(void *ctx)
{
    volatile __u32 *p = (volatile __u32 *)&table[0];
    p[1] = 9;
    return p[1];
}

SEC("fault/loop")
int endless(void *ctx)
{
    volatile __u32 n = 0;
    for (;;)
        n++;
    return 0;
}

char LICENSE[] SEC("license") = "MIT";
