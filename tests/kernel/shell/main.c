/* SPDX-License-Identifier: MIT */
/* The shell, typed at by the test runner (tests/kernel/shell/CMakeLists.txt
 * holds the keystrokes and the output they must produce): line editing,
 * history, completion, quoting, each command, a log burst while a line is
 * being typed, a 300-byte line, binary junk, and a reboot. The commands
 * below exist only here: args shows how a line was split, victim_* give
 * kill/suspend/resume a thread to act on, check asserts from inside what
 * the commands did, done ends the run. */
#include <errno.h>
#include <pica/cron.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <pica/shell.h>
#include <pica/thread.h>
#include <stdio.h>
#include <string.h>

PICA_LOG_MODULE(shelltest);

static int
cmd_args(int argc, char **argv)
{
    printf("args %d:", argc - 1);
    for (int i = 1; i < argc; i++) {
        printf("[%s]", argv[i]);
    }
    printf("\n");
    return 0;
}
PICA_SHELL_CMD(args, "print each argument in brackets\nargs [word...]", cmd_args);

/* A thread for kill, suspend and resume: it counts while it runs. */
static struct pica_thread victim;
static uint64_t victim_stack[512 / 8];
static volatile uint32_t victim_count;

static void
victim_main(void *arg)
{
    (void)arg;
    for (;;) {
        victim_count++;
        pica_sleep(PICA_MS(1));
    }
}

/* Log lines from another thread, one a millisecond, while the runner
 * types. */
static struct pica_thread burster;
static uint64_t burster_stack[1024 / 8];
static volatile int burst_done;

static void
burst_main(void *arg)
{
    (void)arg;
    for (int i = 0; i < 60; i++) {
        PICA_LOG_INF("burst line %02d of the log thread", i);
        pica_sleep(PICA_MS(1));
    }
    burst_done = 1;
}

static int
cmd_burst(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    return pica_thread_create(&burster, "burster", burst_main, NULL, burster_stack,
                              sizeof(burster_stack), 10, 0);
}
PICA_SHELL_CMD(burst, "log 60 lines, one a millisecond, from another thread\nburst", cmd_burst);

static int failed;

static void
expect(bool ok, const char *what)
{
    printf("check %s: %s\n", what, ok ? "ok" : "FAILED");
    failed += !ok;
}

static int
cmd_check(int argc, char **argv)
{
    (void)argv;
    if (argc != 1) {
        return PICA_SHELL_USAGE;
    }
    struct pica_thread_info in;
    pica_thread_info(&victim, &in);
    expect(in.state == PICA_THREAD_DEAD, "kill ended the victim");
    expect(victim_count > 0, "the victim ran before");
    struct pica_walltime now;
    pica_time_get(&now);
    expect(now.sec >= 1709251198 && now.sec < 1709251198 + 600, "date -s set the clock");
    /* Keys arrive faster than guest time passes: the burst may still be
     * on its last sleep. */
    expect(pica_thread_join(&burster, PICA_MS(500)) == 0 && burst_done == 1,
           "the log burst finished");
    struct pica_cron_info job;
    expect(pica_cron_info_at(0, &job) == -ENOENT, "cron del removed the job");
    printf("shell checks: %s\n", failed == 0 ? "passed" : "FAILED");
    return failed == 0 ? 0 : -EIO;
}
PICA_SHELL_CMD(check, "check from inside what the commands did\ncheck", cmd_check);

/* suspend and resume: the count stands still while suspended. */
static uint32_t count_at_suspend;

static int
cmd_victim_frozen(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    count_at_suspend = victim_count;
    pica_sleep(PICA_MS(20));
    expect(victim_count == count_at_suspend, "a suspended thread does not run");
    return 0;
}
PICA_SHELL_CMD(victim_frozen, "check the victim does not run\nvictim_frozen", cmd_victim_frozen);

static int
cmd_victim_runs(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    uint32_t before = victim_count;
    pica_sleep(PICA_MS(20));
    expect(victim_count > before, "a resumed thread runs again");
    return 0;
}
PICA_SHELL_CMD(victim_runs, "check the victim runs\nvictim_runs", cmd_victim_runs);

static int
cmd_done(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    printf("shell test done\n");
    fflush(stdout);
    pica_sleep(PICA_MS(20));
    pica_exit(failed == 0 ? 0 : 1);
}
PICA_SHELL_CMD(done, "end the run\ndone", cmd_done);

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    /* A named pool with three of its eight blocks taken, for `free`. */
    static struct pica_pool shell_pool;
    PICA_POOL_BUF_DEFINE(shell_pool_buf, 24, 8);
    pica_pool_init(&shell_pool, shell_pool_buf, 24, 8);
    pica_pool_set_name(&shell_pool, "shellpool");
    for (int i = 0; i < 3; i++) {
        (void)pica_pool_alloc(&shell_pool, PICA_NO_WAIT);
    }
    printf("shell test: type at the prompt\n");
    pica_thread_create(&victim, "victim", victim_main, NULL, victim_stack, sizeof(victim_stack),
                       20, 0);
    return pica_shell_start();
}
