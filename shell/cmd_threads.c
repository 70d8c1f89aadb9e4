/* SPDX-License-Identifier: MIT */
/* The shell's thread commands: ps, top, kill, suspend, resume. Threads are
 * named on the command line by name (the first with it, in creation order)
 * or by their number in ps. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/shell.h>
#include <pica/stats.h>
#include <pica/thread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Threads top remembers between two screens (the rest show no CPU %). */
#define TOP_THREADS 32

struct ps_walk {
    unsigned index;
    uint64_t uptime_us; /* of the CPU % column: the window's length */
    /* top: the figures of the previous screen, by thread */
    const struct pica_thread *seen[TOP_THREADS];
    uint64_t cpu_us[TOP_THREADS];
    bool interval;
};

static const char *
state_of(const struct pica_thread_info *in)
{
    return in->running ? "running" : pica_thread_state_name(in->state);
}

/* CPU % with one decimal of @part in @whole microseconds, as tenths. A
 * thread's time read after the window's end was taken can overrun it by
 * the read's own cost: never more than the whole. */
static unsigned
permille(uint64_t part, uint64_t whole)
{
    if (whole == 0) {
        return 0;
    }
    return part >= whole ? 1000u : (unsigned)((part * 1000u + whole / 2u) / whole);
}

/* This screen's CPU time of @t since the last, and remember the figure. */
static uint64_t
cpu_since(struct ps_walk *w, const struct pica_thread *t, uint64_t cpu_us)
{
    for (unsigned i = 0; i < TOP_THREADS; i++) {
        if (w->seen[i] == t) {
            uint64_t d = cpu_us - w->cpu_us[i];
            w->cpu_us[i] = cpu_us;
            return d;
        }
    }
    for (unsigned i = 0; i < TOP_THREADS; i++) {
        if (w->seen[i] == NULL) {
            w->seen[i] = t;
            w->cpu_us[i] = cpu_us;
            break;
        }
    }
    return cpu_us;
}

static void
ps_row(struct pica_thread *t, void *arg)
{
    struct ps_walk *w = arg;
    struct pica_thread_info in;
    unsigned n = w->index++;
    if (pica_thread_info(t, &in) != 0) {
        return;
    }
    uint64_t cpu = w->interval ? cpu_since(w, t, in.cpu_us) : in.cpu_us;
    /* The window ends now, after this thread's time was read, for ps;
     * top's windows are whole seconds apart. */
    unsigned pm = permille(cpu, w->interval ? w->uptime_us : pica_uptime_us());
    printf("%3u %-12.12s %-10.10s %-9s %3u/%-3u %5lu/%-5lu %3u.%u %8lu\n", n, in.name,
           in.process != NULL ? in.process : "-", state_of(&in), in.prio, in.base_prio,
           (unsigned long)in.stack_used_max, (unsigned long)in.stack_size, pm / 10u, pm % 10u,
           (unsigned long)in.switches);
}

static void
ps_header(void)
{
    printf("  # %-12s %-10s %-9s %7s %11s %5s %8s\n", "thread", "process", "state", "prio",
           "stack", "cpu%", "switches");
}

static int
cmd_ps(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    struct ps_walk w = {.uptime_us = 0}; /* each row reads its own end */
    ps_header();
    pica_thread_foreach(ps_row, &w);
    return 0;
}
PICA_SHELL_CMD(ps,
               "list the threads: process, state, priority (now/base), stack high-water, "
               "CPU % since boot, switches\nps",
               cmd_ps);

/* One second between screens, looking for a key ten times a second. */
static bool
top_wait_key(void)
{
    for (int i = 0; i < 10; i++) {
        if (pica_shell_key_pressed()) {
            return true;
        }
        pica_sleep(PICA_MS(100));
    }
    return false;
}

static int
cmd_top(int argc, char **argv)
{
    unsigned rounds = 0; /* 0: until a key */
    if (argc == 3 && strcmp(argv[1], "-n") == 0) {
        char *end;
        unsigned long n = strtoul(argv[2], &end, 10);
        if (*end != '\0' || n == 0 || n > 100000u) {
            return PICA_SHELL_USAGE;
        }
        rounds = (unsigned)n;
    } else if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    static struct ps_walk w;
    memset(&w, 0, sizeof(w));
    w.interval = true;
    uint64_t last = 0;
    unsigned r;
    for (r = 0; rounds == 0 || r < rounds; r++) {
        uint64_t now = pica_uptime_us();
        struct pica_sys_stats st;
        pica_sys_stats(&st);
        w.index = 0;
        w.uptime_us = now - last;
        last = now;
        /* Home and clear: the screen refreshes in place. */
        printf("\x1b[H\x1b[2Jtop: up %lu s, %lu threads, %lu switches, heap %lu/%lu free "
               "(any key ends)\n",
               (unsigned long)(now / 1000000u), (unsigned long)st.threads,
               (unsigned long)st.context_switches, (unsigned long)st.heap.free_bytes,
               (unsigned long)st.heap.total_bytes);
        ps_header();
        pica_thread_foreach(ps_row, &w);
        fflush(stdout);
        if (top_wait_key()) {
            r++;
            break;
        }
    }
    printf("top: ended after %u screen%s\n", r, r == 1 ? "" : "s");
    return 0;
}
PICA_SHELL_CMD(top, "ps refreshed every second, CPU % over the last second, until a key\n"
                    "top [-n screens]",
               cmd_top);

struct find {
    const char *what;
    unsigned index;
    struct pica_thread *found;
};

static void
find_one(struct pica_thread *t, void *arg)
{
    struct find *f = arg;
    unsigned n = f->index++;
    if (f->found != NULL) {
        return;
    }
    char *end;
    unsigned long want = strtoul(f->what, &end, 10);
    struct pica_thread_info in;
    if (pica_thread_info(t, &in) != 0) {
        return;
    }
    if ((*end == '\0' && end != f->what && want == n) || strcmp(in.name, f->what) == 0) {
        f->found = t;
    }
}

static struct pica_thread *
thread_named(const char *cmd, const char *what)
{
    struct find f = {.what = what};
    pica_thread_foreach(find_one, &f);
    if (f.found == NULL) {
        printf("%s: no thread '%s' (ps lists them)\n", cmd, what);
    }
    return f.found;
}

static int
thread_op(int argc, char **argv, int (*op)(struct pica_thread *))
{
    if (argc != 2) {
        return PICA_SHELL_USAGE;
    }
    struct pica_thread *t = thread_named(argv[0], argv[1]);
    if (t == NULL) {
        return -ESRCH;
    }
    if (t == pica_thread_self()) {
        printf("%s: not the shell itself\n", argv[0]);
        return -EPERM;
    }
    int err = op(t);
    if (err != 0) {
        printf("%s %s: %s\n", argv[0], argv[1], pica_strerror(err));
    }
    return err;
}

static int
cmd_kill(int argc, char **argv)
{
    return thread_op(argc, argv, pica_thread_kill);
}
PICA_SHELL_CMD(kill, "end a thread\nkill <thread name or number>", cmd_kill);

static int
cmd_suspend(int argc, char **argv)
{
    return thread_op(argc, argv, pica_thread_suspend);
}
PICA_SHELL_CMD(suspend, "stop a thread until resumed\nsuspend <thread name or number>",
               cmd_suspend);

static int
cmd_resume(int argc, char **argv)
{
    return thread_op(argc, argv, pica_thread_resume);
}
PICA_SHELL_CMD(resume, "let a suspended thread run again\nresume <thread name or number>",
               cmd_resume);
