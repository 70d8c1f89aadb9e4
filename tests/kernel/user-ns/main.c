/* SPDX-License-Identifier: MIT */
/* The root process and the name service (qemu.user-ns): the image declares
 * one initial capability, a semaphore, for its root process (root.c), which
 * offers it as "ticket" and serves names; svc registers an endpoint of its
 * own as "echo"; cli finds both by name and uses them. Checked here: the
 * ticket reached the kernel's semaphore, every process ended as it should,
 * and the quotas are back. */
#include <errno.h>
#include <stdio.h>

#include <pica/pica.h>
#include <pica/proc.h>
#include <pica/sem.h>

#include "ns_test.h"

static struct pica_sem ticket, ready, done;
PICA_ROOT_CAP(root_ticket, PICA_CAP_SEM, &ticket,
              PICA_RIGHT_READ | PICA_RIGHT_WRITE | PICA_RIGHT_GRANT);
static int failures;

#define CHECK(what, cond)                                                                         \
    do {                                                                                          \
        if (!(cond)) {                                                                            \
            printf("user-ns: FAIL %s\n", what);                                                   \
            failures++;                                                                           \
        }                                                                                         \
    } while (0)

/* Before anything starts: the root takes it in its first start. */
__attribute__((constructor)) static void
objects_init(void)
{
    pica_sem_init(&ticket, 0, 1);
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    struct pica_proc *root = pica_proc_find("ns_root");
    struct pica_proc *svc = pica_proc_find("ns_svc");
    struct pica_proc *cli = pica_proc_find("ns_cli");
    if (root == NULL || svc == NULL || cli == NULL) {
        printf("user-ns: processes missing\n");
        pica_exit(1);
    }
    CHECK("the root runs", root->state == PICA_PROC_RUNNING && root->ns_slot == 0);
    pica_sem_init(&ready, 0, 1);
    pica_sem_init(&done, 0, 1);
    CHECK("give", pica_proc_give(svc, PICA_CAP_SEM, &ready, PICA_RIGHT_WRITE) == SVC_READY);
    CHECK("give", pica_proc_give(cli, PICA_CAP_SEM, &done, PICA_RIGHT_WRITE) == CLI_DONE);
    CHECK("start svc", pica_proc_start(svc) == 0);
    CHECK("svc registered", pica_sem_take(&ready, PICA_MS(5000)) == 0);
    CHECK("start cli", pica_proc_start(cli) == 0);
    CHECK("cli done", pica_sem_take(&done, PICA_MS(5000)) == 0);
    while (cli->state == PICA_PROC_RUNNING || svc->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(5));
    }
    CHECK("svc passed", svc->state == PICA_PROC_EXITED && svc->exit_code == 0);
    CHECK("cli passed", cli->state == PICA_PROC_EXITED && cli->exit_code == 0);
    CHECK("the ticket arrived", pica_sem_count(&ticket) == 1);
    CHECK("the root still serves", root->state == PICA_PROC_RUNNING);
    CHECK("stop the root", pica_proc_kill(root, 0) == 0);
    while (root->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(5));
    }
    CHECK("quota back", root->quota_used == 0 && svc->quota_used == 0 && cli->quota_used == 0);
    printf("user-ns: %d failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
