/* SPDX-License-Identifier: MIT */
/* The few operating-system hooks picolibc needs: _exit() for exit() and
 * abort(), and sbrk() for its malloc, over the RAM left after the image. */
#include <pica/panic.h>
#include <stddef.h>
#include <stdint.h>

#include "arch.h"

extern char __heap_start[], __heap_end[];

void _exit(int code) __attribute__((noreturn));
void *sbrk(ptrdiff_t incr);

void
_exit(int code)
{
    pica_exit(code);
}

void *
sbrk(ptrdiff_t incr)
{
    static char *brk = __heap_start;
    unsigned key = arch_irq_lock();
    char *old = brk;
    if (incr < 0 ? (size_t)-incr > (size_t)(brk - __heap_start)
                 : (size_t)incr > (size_t)(__heap_end - brk)) {
        old = (char *)-1;
    } else {
        brk += incr;
    }
    arch_irq_unlock(key);
    return old;
}
