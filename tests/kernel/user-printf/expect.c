/* SPDX-License-Identifier: MIT */
/* Host side of the printf test: prints, as a C array of string literals,
 * what the host's printf makes of each case in cases.inc. The build runs
 * it and the user process compares its own output with the result. */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>

static void
literal(const char *s)
{
    putchar('"');
    for (; *s != '\0'; s++) {
        if (*s == '"' || *s == '\\') {
            printf("\\%c", *s);
        } else if (*s < 0x20 || *s > 0x7e) {
            printf("\\%03o", (unsigned char)*s);
        } else {
            putchar(*s);
        }
    }
    printf("\",\n");
}

int
main(void)
{
    char buf[128];
    printf("/* Generated from cases.inc by the host's printf (expect.c). */\n");
    printf("static const char *const expected[] = {\n");
#define CASE(fmt, type, value)                           \
    snprintf(buf, sizeof(buf), fmt, (type)(value));      \
    literal(buf);
#include "cases.inc"
#undef CASE
    printf("};\n");
    return 0;
}
