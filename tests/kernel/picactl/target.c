/* SPDX-License-Identifier: MIT */
/* The board qemu.picactl talks to: eBPF started (hooks, the picactl service
 * on the console) and a little life for the programs to see: two threads
 * that take turns every few milliseconds (switches), and a log line every
 * half second. Small enough for 64 KB of RAM, where the demo leaves no heap
 * for programs. It runs until the runner stops it. */
#include <pica/bpf_kern.h>
#include <pica/log.h>
#include <pica/pica.h>
#include <stdio.h>

PICA_LOG_MODULE(target);

static struct pica_thread workers[2];
static uint8_t worker_stacks[2][768] __attribute__((aligned(8)));

static void
worker(void *arg)
{
    unsigned n = 0;
    for (;;) {
        pica_sleep(PICA_MS(3));
        if (arg != NULL && ++n % 166 == 0) {
            PICA_LOG_INF("tick %u", n / 166);
        }
    }
}

int
main(void)
{
    PICA_LOG_REGISTER();
    int err = pica_bpf_start();
    if (err != 0) {
        printf("picactl target: eBPF did not start (%d)\n", err);
        pica_exit(PICA_EXIT_TEST_FAILED);
    }
    for (int i = 0; i < 2; i++) {
        if (pica_thread_create(&workers[i], "worker", worker, i ? &workers[i] : NULL,
                               worker_stacks[i], sizeof(worker_stacks[i]), 10, 0) != 0) {
            pica_exit(PICA_EXIT_TEST_FAILED);
        }
    }
    printf("picactl target up\n");
    return 0;
}
