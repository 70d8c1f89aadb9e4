/* SPDX-License-Identifier: MIT */
/* Error codes: Pica returns negative errno values from <errno.h>. This
 * header adds the ones the C library lacks and pica_strerror(). */
#pragma once

#include <errno.h>

#ifndef EOWNERDEAD
#define EOWNERDEAD 130
#endif

/* "Structure needs cleaning": a file system image that does not check
 * out. glibc has it; picolibc does not, and its numbers up to 143 are
 * taken, so it goes past __ELASTERROR, where the library leaves room. */
#ifndef EUCLEAN
#define EUCLEAN 2001
#endif

/* A short description of a (positive or negative) error code. */
const char *pica_strerror(int err);
