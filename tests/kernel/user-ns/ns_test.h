/* SPDX-License-Identifier: MIT */
/* What the user-ns test's kernel side and processes agree on. */
#pragma once

#define SVC_READY 0 /* svc: a semaphore it gives once "echo" is registered;
                     * the name service's endpoint comes after it */
#define CLI_DONE 0  /* cli: one it gives at the end */
