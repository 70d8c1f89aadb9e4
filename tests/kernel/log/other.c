/* SPDX-License-Identifier: MIT */
/* A second log module ("other") for the level-independence tests of
 * main.c: each file has its own module and level. */
#include <pica/log.h>

#include "log_test.h"

PICA_LOG_MODULE(other);

void
other_register(void)
{
    PICA_LOG_REGISTER();
}

void
other_log_dbg(const char *text)
{
    PICA_LOG_DBG("%s", text);
}

void
other_log_inf(const char *text)
{
    PICA_LOG_INF("%s", text);
}
