/* SPDX-License-Identifier: MIT */
/* A crontab file read into cron jobs (pica_cron_load(), include/pica/cron.h):
 * each line is given to the shell as `cron add <line>`, so a line in the
 * file means what it means at the prompt. Here, not in kernel/cron.c: cron
 * then needs no file system, and the file system brings this along. */
#include <errno.h>
#include <pica/cron.h>
#include <pica/fs.h>
#include <pica/shell.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define CMD "cron add "
#define LINE_MAX (sizeof(CMD) - 1u + PICA_CRON_LINE_MAX + 2u * PICA_CRON_LINE_MAX)

/* One command at a time through a static buffer: boot and the shell call
 * this, not every thread at once, and the stacks stay small. */
static struct {
    struct pica_file f;
    char line[LINE_MAX + 1];
    char buf[64];
} crontab;

/* Give one line (without its newline) to the shell. Returns 1 for a job
 * added, 0 for a skipped or refused line. */
static int
crontab_line(const char *path, unsigned lineno, char *text, size_t len)
{
    size_t start = strlen(CMD); /* the prefix stays as it is for the next line */
    while (len > start && (text[len - 1] == '\r' || text[len - 1] == ' ')) {
        len--;
    }
    text[len] = '\0';
    const char *p = text + start;
    while (*p == ' ' || *p == '\t') {
        p++;
    }
    if (*p == '\0' || *p == '#') {
        return 0;
    }
    int r = pica_shell_run(text);
    if (r != 0) {
        printf("%s:%u: line not loaded\n", path, lineno);
        return 0;
    }
    return 1;
}

int
pica_cron_load(const char *path)
{
    int err = pica_fs_open(&crontab.f, path, PICA_O_RDONLY);
    if (err != 0) {
        return err;
    }
    int added = 0;
    unsigned lineno = 1;
    size_t len = strlen(CMD);
    bool too_long = false;
    memcpy(crontab.line, CMD, len);
    int32_t n;
    while ((n = pica_fs_read(&crontab.f, crontab.buf, sizeof(crontab.buf))) > 0) {
        for (int32_t i = 0; i < n; i++) {
            char c = crontab.buf[i];
            if (c != '\n') {
                if (len < LINE_MAX) {
                    crontab.line[len++] = c;
                } else {
                    too_long = true;
                }
                continue;
            }
            if (too_long) {
                printf("%s:%u: line longer than %u characters, not loaded\n", path, lineno,
                       (unsigned)(LINE_MAX - strlen(CMD)));
            } else {
                added += crontab_line(path, lineno, crontab.line, len);
            }
            lineno++;
            len = strlen(CMD);
            too_long = false;
        }
    }
    if (n == 0 && len > strlen(CMD) && !too_long) {
        added += crontab_line(path, lineno, crontab.line, len); /* no final newline */
    }
    (void)pica_fs_close(&crontab.f);
    return n < 0 ? n : added;
}
