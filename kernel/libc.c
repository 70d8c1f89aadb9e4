/* SPDX-License-Identifier: MIT */
/* The operating-system hooks picolibc needs beyond stdio (console.c) and
 * malloc (malloc.c): _exit() for exit() and abort(). */
#include <pica/panic.h>

void _exit(int code) __attribute__((noreturn));

void
_exit(int code)
{
    pica_exit(code);
}
