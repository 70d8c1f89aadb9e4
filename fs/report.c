/* SPDX-License-Identifier: MIT */
/* Problems found in an image, told through the caller's report() callback
 * and kept as the last error; and the small line builder fsck and dump
 * print with (no printf: the kernel build has no formatted output here). */
#include "fs_priv.h"

void
line_str(struct line *l, const char *s)
{
    while (*s != '\0' && l->n + 1 < sizeof(l->s)) {
        l->s[l->n++] = *s++;
    }
    l->s[l->n] = '\0';
}

void
line_u32(struct line *l, uint32_t v)
{
    char digits[11];
    int n = 0;
    do {
        digits[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0 && l->n + 1 < sizeof(l->s)) {
        l->s[l->n++] = digits[--n];
    }
    l->s[l->n] = '\0';
}

/* "@what @a" or "@what @a @b"; an argument of UINT32_MAX is left out. */
void
fs_report(struct picafs *fs, const char *what, uint32_t a, uint32_t b)
{
    struct line l = {.n = 0};
    line_str(&l, what);
    if (a != UINT32_MAX) {
        line_str(&l, " ");
        line_u32(&l, a);
    }
    if (b != UINT32_MAX) {
        line_str(&l, " ");
        line_u32(&l, b);
    }
    /* The same block found bad by two walks (fsck's, a call's retry) is
     * one problem: told once while nothing else comes between. */
    bool again = strncmp(fs->last_error, l.s, sizeof(fs->last_error) - 1) == 0;
    memcpy(fs->last_error, l.s, min32((uint32_t)l.n + 1, sizeof(fs->last_error)));
    fs->last_error[sizeof(fs->last_error) - 1] = '\0';
    if (fs->report != NULL && !again) {
        fs->report(fs->report_arg, l.s);
    }
}

int
fs_corrupt(struct picafs *fs, const char *what, uint32_t a, uint32_t b)
{
    fs_report(fs, what, a, b);
    return -EUCLEAN;
}
