/* SPDX-License-Identifier: MIT */
/* BPF-to-BPF calls: non-inlined functions in .text called from the program section,
 * nested calls, each with its own stack frame, and loops inside them.
 * Returns fib(20) + sum(1..100) + the stack check (6765 + 5050 + 1 = 11816).
 */
#include "pica_prog.h"

static __attribute__((noinline)) __u64
fib(__u32 n)
{
    __u64 a = 0, b = 1;
    for (__u32 i = 0; i < n; i++) {
        __u64 t = a + b;
        a = b;
        b = t;
    }
    return a;
}

static __attribute__((noinline)) __u64
sum_to(__u32 n)
{
    __u64 s = 0;
    for (__u32 i = 1; i <= n; i++)
        s += i;
    return s;
}

/* Fills its own frame and calls deeper: frames must not overlap. */
static __attribute__((noinline)) int
frame_check(volatile __u8 *caller_buf)
{
    volatile __u8 mine[64];
    for (int i = 0; i < 64; i++)
        mine[i] = 0xaa;
    return caller_buf[0] == 0x55 && mine[63] == 0xaa;
}

SEC("pica/calls")
int calls_prog(void *ctx)
{
    volatile __u8 buf[64];
    for (int i = 0; i < 64; i++)
        buf[i] = 0x55;
    return (int)(fib(20) + sum_to(100) + frame_check(buf));
}

char LICENSE[] SEC("license") = "MIT";
