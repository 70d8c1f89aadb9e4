/* SPDX-License-Identifier: MIT */
/* The shell thread: keys from the console into the line editor, each
 * finished line split and run from the command table (PICA_SHELL_CMD, a
 * linker section sorted by name). While a line is being typed, the console
 * calls hide/show around other threads' output, so log text appears above
 * the prompt and the typed line is redrawn below it. */
#include <pica/shell.h>

#include <errno.h>
#include <pica/console.h>
#include <pica/pica.h>
#include <pica/thread.h>
#include <stdio.h>
#include <string.h>

#include "args.h"
#include "line.h"

extern const struct pica_shell_cmd __pica_shell_cmds_start[];
extern const struct pica_shell_cmd __pica_shell_cmds_end[];

static struct pica_thread shell_thread;
static uint64_t shell_stack[PICA_CFG_SHELL_STACK_SIZE / 8];
static struct shell_line shell_line;
static bool shell_started;

const struct pica_shell_cmd *
pica_shell_cmd_at(unsigned i)
{
    const struct pica_shell_cmd *c = __pica_shell_cmds_start + i;
    return c < __pica_shell_cmds_end ? c : NULL;
}

static const struct pica_shell_cmd *
cmd_find(const char *name)
{
    const struct pica_shell_cmd *c;
    for (unsigned i = 0; (c = pica_shell_cmd_at(i)) != NULL; i++) {
        if (strcmp(c->name, name) == 0) {
            return c;
        }
    }
    return NULL;
}

/* The summary: the help text's first line. */
static void
print_summary(const struct pica_shell_cmd *c)
{
    const char *nl = strchr(c->help, '\n');
    int n = nl != NULL ? (int)(nl - c->help) : (int)strlen(c->help);
    printf("  %-10s %.*s\n", c->name, n, c->help);
}

static void
print_usage(const struct pica_shell_cmd *c)
{
    const char *nl = strchr(c->help, '\n');
    printf("%s: %s\n", c->name, nl != NULL ? nl + 1 : "no arguments");
}

static bool
wants_help(int argc, char **argv)
{
    return argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0);
}

static int
run_argv(int argc, char **argv)
{
    const struct pica_shell_cmd *c = cmd_find(argv[0]);
    if (c == NULL) {
        printf("%s: unknown command (help lists them)\n", argv[0]);
        return -ENOENT;
    }
    if (wants_help(argc, argv)) {
        print_usage(c);
        return 0;
    }
    int r = c->fn(argc, argv);
    if (r == PICA_SHELL_USAGE) {
        print_usage(c);
        r = -EINVAL;
    }
    return r;
}

int
pica_shell_run(const char *line)
{
    char buf[SHELL_LINE_MAX + 1];
    size_t n = strlen(line);
    if (n > SHELL_LINE_MAX) {
        printf("line too long (%u characters at most)\n", (unsigned)SHELL_LINE_MAX);
        return -E2BIG;
    }
    memcpy(buf, line, n + 1);
    char *argv[PICA_CFG_SHELL_ARGS + 1];
    const char *why = NULL;
    int argc = shell_split(buf, argv, PICA_CFG_SHELL_ARGS, &why);
    if (argc < 0) {
        printf("%s\n", why != NULL ? why : "cannot split the line");
        return -EINVAL;
    }
    if (argc == 0) {
        return 0;
    }
    argv[argc] = NULL;
    return run_argv(argc, argv);
}

static int
cmd_help(int argc, char **argv)
{
    if (argc > 2) {
        return PICA_SHELL_USAGE;
    }
    if (argc == 2) {
        const struct pica_shell_cmd *c = cmd_find(argv[1]);
        if (c == NULL) {
            printf("help: no command '%s'\n", argv[1]);
            return -ENOENT;
        }
        print_summary(c);
        print_usage(c);
        return 0;
    }
    const struct pica_shell_cmd *c;
    for (unsigned i = 0; (c = pica_shell_cmd_at(i)) != NULL; i++) {
        print_summary(c);
    }
    printf("'help <command>' or '<command> -h' for its usage\n");
    return 0;
}
PICA_SHELL_CMD(help, "list the commands, or show one's usage\nhelp [command]", cmd_help);

static int
cmd_echo(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        printf("%s%s", argv[i], i + 1 < argc ? " " : "");
    }
    printf("\n");
    return 0;
}
PICA_SHELL_CMD(echo, "print the arguments\necho [word...]", cmd_echo);

/* ---- the thread ---- */

static void
term_write(void *ctx, const char *s, size_t n)
{
    (void)ctx;
    pica_console_write(s, n);
}

/* File names join command names once a file system registers its own
 * completion (weak: none here). */
__attribute__((weak)) const char *
shell_complete_path(const char *prefix, size_t prefix_len, unsigned idx)
{
    (void)prefix;
    (void)prefix_len;
    (void)idx;
    return NULL;
}

static const char *
complete(void *ctx, int argi, const char *prefix, size_t prefix_len, unsigned idx)
{
    (void)ctx;
    if (argi > 0) {
        return shell_complete_path(prefix, prefix_len, idx);
    }
    const struct pica_shell_cmd *c = pica_shell_cmd_at(idx);
    return c != NULL ? c->name : NULL;
}

static const struct shell_line_io shell_io = {
    .write = term_write,
    .ctx = NULL,
    .complete = complete,
};

static void
prompt_hide(void *arg)
{
    shell_line_hide(arg);
}

static void
prompt_show(void *arg)
{
    shell_line_show(arg);
}

bool
pica_shell_key_pressed(void)
{
    char c;
    return pica_console_read(&c, 1) == 1;
}

static void
shell_main(void *arg)
{
    (void)arg;
    struct shell_line *l = &shell_line;
    shell_line_init(l, &shell_io, "pica> ");
    pica_console_set_prompt_hooks(prompt_hide, prompt_show, l, pica_thread_self());
    for (;;) {
        shell_line_start(l);
        enum shell_line_event ev = SHELL_LINE_NONE;
        while (ev == SHELL_LINE_NONE) {
            int c = pica_console_getc();
            if (c < 0) {
                pica_sleep(PICA_MS(10)); /* cannot wait here: should not happen */
                continue;
            }
            /* One key's echo is one unit of output, after the redraw a
             * user thread's line may have left due. */
            bool locked = pica_console_lock() == 0;
            ev = shell_line_feed(l, (uint8_t)c);
            if (locked) {
                pica_console_unlock();
            }
        }
        if (ev == SHELL_LINE_LINE) {
            (void)pica_shell_run(shell_line_text(l));
            fflush(stdout);
        }
    }
}

int
pica_shell_start(void)
{
    if (shell_started) {
        return -EBUSY;
    }
    int err = pica_thread_create(&shell_thread, "shell", shell_main, NULL, shell_stack,
                                 sizeof(shell_stack), PICA_CFG_SHELL_PRIO, 0);
    if (err == 0) {
        shell_started = true;
    }
    return err;
}
