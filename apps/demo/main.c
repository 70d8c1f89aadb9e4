/* SPDX-License-Identifier: MIT */
/* The default `make run` image: the shell on the console, with a system
 * running behind it for its commands to show: a producer/consumer pipeline
 * over a queue, five dining philosophers with mutexes, a blinking LED, and
 * two user processes (the original interface's example tasks, and a rogue
 * that reads kernel memory after 3 s and is stopped). The threads stay
 * quiet unless asked: `demo on`. */
#include <errno.h>
#include <pica/bpf_kern.h>
#include <pica/cron.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <pica/shell.h>
#include <stdio.h>
#include <string.h>

#include "demo.h"

PICA_LOG_MODULE(demo);

volatile bool demo_verbose;

/* A cron job for `cron list` to show: every ten seconds, a log line that
 * `log demo dbg` lets through. */
static void
demo_every_ten_seconds(void *arg)
{
    static unsigned runs;
    (void)arg;
    PICA_LOG_DBG("cron job run %u", ++runs);
}

static int
cmd_demo(int argc, char **argv)
{
    if (argc != 2) {
        return PICA_SHELL_USAGE;
    }
    if (strcmp(argv[1], "on") == 0) {
        demo_verbose = true;
    } else if (strcmp(argv[1], "off") == 0) {
        demo_verbose = false;
    } else {
        return PICA_SHELL_USAGE;
    }
    printf("demo threads %s\n", demo_verbose ? "report what they do" : "are quiet");
    return 0;
}
PICA_SHELL_CMD(demo, "let the demo's threads report what they do, or not\ndemo on|off",
               cmd_demo);

int
main(void)
{
    printf("Demo: a sensor pipeline over a queue, five dining philosophers and a blinking\n"
           "LED run behind the shell, with two user processes: the original interface's\n"
           "example tasks, and a rogue that reads kernel memory after 3 s and is stopped.\n"
           "Try: help, ps, top, free, date, cron, ls /, df, bpf list, log demo dbg, demo on.\n"
           "Ctrl-] leaves QEMU.\n");
    demo_pipeline_start();
#ifndef DEMO_SMALL
    demo_philosophers_start();
#endif
    demo_blink_start();
    PICA_LOG_REGISTER();
    if (pica_cron_add("*/10 * * * * *", demo_every_ten_seconds, NULL, 20, NULL) < 0) {
        printf("demo: the cron job was not added\n");
    }
#ifdef DEMO_DISK
    demo_disk_start();
#endif
#ifdef DEMO_BPF
    /* picactl on the console line, the bpf command, the hooks. */
    if (pica_bpf_start() != 0) {
        printf("demo: eBPF did not start\n");
    }
#endif
    if (pica_shell_start() != 0) {
        printf("demo: the shell did not start\n");
    }
    return 0;
}
