/* SPDX-License-Identifier: MIT */
/* Error codes: Pica returns negative errno values from <errno.h>. This
 * header adds the ones the C library lacks and pica_strerror(). */
#pragma once

#include <errno.h>

#ifndef EOWNERDEAD
#define EOWNERDEAD 130
#endif

/* A short description of a (positive or negative) error code. */
const char *pica_strerror(int err);
