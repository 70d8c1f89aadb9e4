/* SPDX-License-Identifier: MIT */
/* What the inline fast paths of sem.h, queue.h and pool.h share, and the
 * one rule for a timeout that every waiting call applies. */
#pragma once

#include <stdbool.h>

#include <pica/config.h>
#include <pica/time.h>

#include "arch.h"

/* Whether a call may wait up to @timeout from here: PICA_NO_WAIT anywhere,
 * PICA_FOREVER or a tick count only in a thread, any other negative value
 * nowhere. Every call that takes a timeout tests it before doing anything,
 * so a bad timeout is refused even where the call could have succeeded at
 * once; the fast paths fall to their slow path when it fails. With a
 * constant timeout the test folds away. */
static inline bool
pica_wait_allowed(pica_timeout_t timeout)
{
    return timeout == PICA_NO_WAIT || (timeout >= PICA_FOREVER && !arch_in_isr());
}
