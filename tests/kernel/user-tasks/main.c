/* SPDX-License-Identifier: MIT */
/* The original user interface's example (apps/user-tasks/tasks.c, written
 * to user.h alone) as a process: the kernel waits for it to end on its own
 * and checks how it ended; the runner checks what it printed. */
#include <pica/pica.h>
#include <pica/proc.h>
#include <stdio.h>

int
main(void)
{
    struct pica_proc *p = pica_proc_find("example_tasks");
    if (p == NULL) {
        printf("user-tasks: no process\n");
        pica_exit(1);
    }
    /* Five one-second delays of its second task: well within 10 s. */
    for (int i = 0; i < 1000 && p->state == PICA_PROC_RUNNING; i++) {
        pica_sleep(PICA_MS(10));
    }
    printf("user-tasks: process %s, code %d, faults %lu, threads alive %u\n",
           p->state == PICA_PROC_EXITED ? "exited" : "did not exit", p->exit_code,
           (unsigned long)p->faults, (unsigned)p->threads_alive);
    pica_exit(p->state == PICA_PROC_EXITED && p->exit_code == 0 && p->faults == 0 ? 0 : 1);
}
