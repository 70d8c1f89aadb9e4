/* SPDX-License-Identifier: MIT */
/* A panic or a CPU fault (LOG_STOP_PANIC / LOG_STOP_FAULT) must print what
 * the log still holds before its report: the lines logged just before the
 * stop, in order, with no thread left to drain them. */
#include <pica/log.h>
#include <pica/pica.h>
#include <stdio.h>

PICA_LOG_MODULE(stoptest);

/* Nothing is mapped there on any board. */
#define UNMAPPED_ADDR 0xF0000000u

int
main(void)
{
    PICA_LOG_INF("last words %d", 1);
    PICA_LOG_WRN("last words %d", 2);
    PICA_LOG_DBG("not at info level");
    printf("stopping\n");
    if (LOG_STOP_PANIC) {
        PICA_PANIC("stop with %d lines buffered", 2);
    }
    volatile uint32_t *bad = (volatile uint32_t *)UNMAPPED_ADDR;
    printf("not reached: read 0x%08lx\n", (unsigned long)*bad);
    pica_exit(0);
}
