/* SPDX-License-Identifier: MIT */
/* Argument splitting (shell/args.h). Two passes over the same word reader:
 * the first only checks and counts, so a bad line fails with nothing
 * changed; the second unquotes each word in place. Unquoting never makes a
 * word longer, so the write position never passes the read position. */
#include "args.h"

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>

static bool
is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void
put(char **w, char c)
{
    if (*w != NULL) {
        *(*w)++ = c;
    }
}

/* Read the word at *@rp (not whitespace) up to the whitespace or NUL that
 * ends it, leaving *@rp there; unless *@w is NULL, write the unquoted text
 * at *@w, advancing it (no NUL). Returns 0 or -EINVAL with *@error set. */
static int
word_read(const char **rp, char **w, const char **error)
{
    const char *r = *rp;
    char quote = '\0';
    for (; *r != '\0' && (quote != '\0' || !is_space(*r)); r++) {
        char c = *r;
        if (quote == '\'') {
            /* Single quotes: everything literal up to the next one. */
            if (c == '\'') {
                quote = '\0';
            } else {
                put(w, c);
            }
        } else if (quote == '"') {
            /* Double quotes: a backslash escapes only '"' and '\'. */
            if (c == '"') {
                quote = '\0';
            } else if (c == '\\' && (r[1] == '"' || r[1] == '\\')) {
                put(w, *++r);
            } else {
                put(w, c);
            }
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '\\') {
            if (r[1] == '\0') {
                *error = "trailing backslash";
                return -EINVAL;
            }
            put(w, *++r);
        } else {
            put(w, c);
        }
    }
    if (quote != '\0') {
        *error = "unterminated quote";
        return -EINVAL;
    }
    *rp = r;
    return 0;
}

/* One pass: count the words of @line and, when @argv is not NULL, unquote
 * them in place and fill @argv. */
static int
split_pass(char *line, char **argv, int max_args, const char **error)
{
    const char *r = line;
    char *w = argv != NULL ? line : NULL;
    int argc = 0;
    for (;;) {
        while (is_space(*r)) {
            r++;
        }
        if (*r == '\0') {
            return argc;
        }
        if (argc == max_args) {
            *error = "too many arguments";
            return -E2BIG;
        }
        char *start = w;
        int err = word_read(&r, &w, error);
        if (err) {
            return err;
        }
        if (w != NULL) {
            /* Step past the byte ending the word before the NUL can land on it. */
            r += *r != '\0';
            *w++ = '\0';
            argv[argc] = start;
        }
        argc++;
    }
}

int
shell_split(char *line, char **argv, int max_args, const char **error)
{
    const char *ignored;
    if (error == NULL) {
        error = &ignored;
    }
    if (line == NULL || argv == NULL || max_args < 0) {
        *error = "bad arguments";
        return -EINVAL;
    }
    int argc = split_pass(line, NULL, max_args, error);
    if (argc < 0) {
        return argc;
    }
    split_pass(line, argv, max_args, error);
    if (argc < max_args) {
        argv[argc] = NULL;
    }
    return argc;
}
