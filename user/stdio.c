/* SPDX-License-Identifier: MIT */
/* picolibc's stdio in a process: stdout and stderr collect each thread's
 * output in that thread's own line (struct user_line, in its stack) and
 * write it with one system call on fd 1 at a newline, when it is full, at
 * sys_flush() or fflush(), and when the thread or process ends; so lines
 * of different threads never mix. stdin reads nothing. */
#include <stdio.h>

#include "sdk.h"

static __thread struct user_line *thread_line;

void
user_stdio_thread_start(struct user_line *line)
{
    thread_line = line;
}

void
sys_flush(void)
{
    struct user_line *line = thread_line;
    if (line != NULL && line->used != 0) {
        (void)pica_sys_write(1, line->buf, line->used);
        line->used = 0;
    }
}

static int
line_put(char c, FILE *f)
{
    (void)f;
    struct user_line *line = thread_line;
    if (line == NULL) {
        /* Before the thread's line exists: unbuffered. */
        return pica_sys_write(1, &c, 1) == 1 ? (unsigned char)c : EOF;
    }
    line->buf[line->used++] = c;
    if (c == '\n' || line->used == sizeof(line->buf)) {
        sys_flush();
    }
    return (unsigned char)c;
}

static int
line_flush(FILE *f)
{
    (void)f;
    sys_flush();
    return 0;
}

static int
no_input(FILE *f)
{
    (void)f;
    return _FDEV_EOF;
}

static FILE user_stream = FDEV_SETUP_STREAM(line_put, no_input, line_flush, _FDEV_SETUP_RW);
FILE *const stdin = &user_stream;
FILE *const stdout = &user_stream;
FILE *const stderr = &user_stream;
