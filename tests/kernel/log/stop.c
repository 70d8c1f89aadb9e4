/* SPDX-License-Identifier: MIT */
/* pica_exit(), a panic or a CPU fault (LOG_STOP_KIND 0, 1, 2) must print
 * what the log still holds before the run ends: the lines logged just
 * before the stop, in order, with no thread left to drain them. */
#include <pica/log.h>
#include <pica/pica.h>
#include <stdio.h>

PICA_LOG_MODULE(stoptest);

/* Nothing is mapped there on any board. */

int
main(void)
{
    PICA_LOG_INF("last words %d", 1);
    PICA_LOG_WRN("last words %d", 2);
    PICA_LOG_DBG("not at info level");
    printf("stopping\n");
    if (LOG_STOP_KIND == 0) {
        pica_exit(0);
    }
    if (LOG_STOP_KIND == 1) {
        PICA_PANIC("stop with %d lines buffered", 2);
    }
    /* An undefined instruction (ebreak on RISC-V): a fault on every board,
     * where an unmapped read is not (QEMU's lm3s6965evb answers it). */
    __builtin_trap();
}
