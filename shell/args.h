/* SPDX-License-Identifier: MIT */
/* Splitting a command line into arguments, in place, with shell-like
 * quoting (the rules are in docs/shell.md). Pure C: the shell runs it on
 * each line from shell/line.h, the host tests in tests/unit/shell/. */
#pragma once

/* Split @line into at most @max_args arguments, each a NUL-terminated
 * string inside @line, pointed to by @argv[0..argc). argv[argc] is set to
 * NULL when argc < max_args. On failure @line and @argv are unchanged and
 * *@error (if @error is not NULL) names the problem.
 * Context: any.
 * Returns: argc (0 for a blank line), -EINVAL ("unterminated quote",
 * "trailing backslash", or "bad arguments" for a NULL @line or @argv or a
 * negative @max_args), -E2BIG ("too many arguments"). */
int shell_split(char *line, char **argv, int max_args, const char **error);
