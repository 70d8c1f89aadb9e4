/* SPDX-License-Identifier: MIT */
/* The shell: a kernel thread on the console with a line editor (shell/line.c)
 * and a table of commands that each service fills from its own file with
 * PICA_SHELL_CMD(). Commands, keys and limits: docs/shell.md. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/* The shell thread's priority (0 most urgent): urgent enough to answer a
 * user while the demo's threads run, less than the kernel's services. */
#ifndef PICA_CFG_SHELL_PRIO
#define PICA_CFG_SHELL_PRIO 12
#endif
#ifndef PICA_CFG_SHELL_STACK_SIZE
#define PICA_CFG_SHELL_STACK_SIZE 2048
#endif
/* Arguments of one command line, the command name included. */
#ifndef PICA_CFG_SHELL_ARGS
#define PICA_CFG_SHELL_ARGS 16
#endif

/* A command: argv[0] is its name. Return 0 on success, a negative errno
 * value on failure (the shell prints it when the command has not said
 * why), or PICA_SHELL_USAGE to have the shell print the usage. */
typedef int (*pica_shell_fn)(int argc, char **argv);
#define PICA_SHELL_USAGE 1

struct pica_shell_cmd {
    const char *name;
    /* The first line is the summary `help` lists; the rest, if any, is
     * the usage `help <name>` and `<name> -h` print with it. */
    const char *help;
    pica_shell_fn fn;
};

/* Register command @name_ (an identifier) with @help_ and @fn_. The table
 * is a linker section sorted by name, so `help` lists commands in order
 * and adding one touches only the file that defines it. */
#define PICA_SHELL_CMD(name_, help_, fn_)                                                         \
    __attribute__((used, section(".pica_shell_cmds." #name_), aligned(4)))                       \
    static const struct pica_shell_cmd pica_shell_cmd_##name_ = {#name_, help_, fn_}

/* Start the shell thread on the console. Context: thread or boot, once.
 * Returns: 0, -EBUSY (already started), or pica_thread_create()'s error. */
int pica_shell_start(void);

/* Run one command line as if typed (quotes and escapes as at the prompt),
 * in the calling thread: what cron's shell jobs and tests use.
 * Context: thread. Returns: the command's result, -ENOENT (no such
 * command), -EINVAL (the line does not split). */
int pica_shell_run(const char *line);

/* The commands, for iteration: pica_shell_cmd_at(i) for i from 0 until it
 * returns NULL. Context: any. */
const struct pica_shell_cmd *pica_shell_cmd_at(unsigned i);

/* For commands that refresh until a key (top): true when a byte arrived on
 * the console (it is consumed). Context: the shell thread. */
bool pica_shell_key_pressed(void);
