/* SPDX-License-Identifier: MIT */
/* Kernel side of the printf test: waits for the process to end and ends
 * the run with success only if it exited by itself with code 0 (no
 * mismatch between its printf and the host's). */
#include <pica/pica.h>
#include <pica/proc.h>
#include <stdio.h>

int
main(void)
{
    struct pica_proc *p = pica_proc_find("user_printf");
    if (p == NULL) {
        printf("user-printf: no process\n");
        pica_exit(1);
    }
    while (p->state == PICA_PROC_IDLE || p->state == PICA_PROC_RUNNING) {
        pica_sleep(PICA_MS(10));
    }
    printf("user-printf: process %s with code %d\n",
           p->state == PICA_PROC_EXITED ? "exited" : "was killed", p->exit_code);
    pica_exit(p->state == PICA_PROC_EXITED && p->exit_code == 0 ? 0 : 1);
}
