/* SPDX-License-Identifier: MIT */
/* What the kernel side of user_latency (main.c) and its processes
 * (server.c) agree on: the slots the kernel fills before it starts them,
 * and the commands it sends. Shared by kernel and user code. */
#pragma once

#include <stdint.h>

/* Capability slots, in the order main.c gives them. */
#define ULAT_SLOT_DONE 0   /* semaphore (write): a command is finished */
#define ULAT_SLOT_QUEUE 1  /* queue (read): commands for the first thread */
#define ULAT_SLOT_QUEUE2 2 /* queue (read), given to one process only: commands
                            * for a second thread of that process */

enum ulat_op {
    ULAT_NOP,   /* n null system calls */
    ULAT_YIELD, /* n yields */
    ULAT_LOOP,  /* n turns of an empty loop */
};

struct ulat_cmd {
    uint32_t op; /* enum ulat_op */
    uint32_t n;
};
