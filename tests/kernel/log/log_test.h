/* SPDX-License-Identifier: MIT */
/* Shared by the log test app's files: the "other" module's entry points
 * (other.c). */
#pragma once

void other_register(void);
void other_log_dbg(const char *text);
void other_log_inf(const char *text);
