/* SPDX-License-Identifier: MIT */
/* The smallest useful application, for the kernel's footprint: two threads
 * (main and a more urgent peer) share one semaphore: main gives it a few
 * times, the peer takes it each time, then the run ends. tools/pica-bench
 * builds it in a tree configured for size and charges the image's bytes to
 * components with tools/pica-size. */
#include <pica/pica.h>
#include <pica/sem.h>
#include <pica/thread.h>

#define MINIMAL_ROUNDS 10

static struct pica_sem wake;
static struct pica_thread peer;
static volatile unsigned peer_runs;
PICA_THREAD_STACK_DEFINE(peer_stack, 512);

/* More urgent than main: each give runs it at once. */
static void
peer_entry(void *arg)
{
    (void)arg;
    for (;;) {
        pica_sem_take(&wake, PICA_FOREVER);
        peer_runs++;
    }
}

int
main(void)
{
    pica_sem_init(&wake, 0, 1);
    pica_thread_create(&peer, "peer", peer_entry, NULL, peer_stack, sizeof(peer_stack),
                       PICA_PRIO_MAIN - 1, 0);
    for (int i = 0; i < MINIMAL_ROUNDS; i++) {
        pica_sem_give(&wake);
    }
    pica_exit(peer_runs == MINIMAL_ROUNDS ? PICA_EXIT_OK : PICA_EXIT_TEST_FAILED);
}
