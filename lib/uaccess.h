/* SPDX-License-Identifier: MIT */
/* Checks of user pointers against a process's regions (struct pica_proc:
 * text, RAM, grants), for the system-call decoders that
 * tools/pica-syscalls generates. Pure functions of the region table, so the
 * host tests run them as they are (tests/unit/syscall). */
#pragma once

#include <stdbool.h>
#include <stdint.h>

struct pica_proc;

/* Whether [ptr, ptr + len) lies wholly inside one of @p's regions whose
 * permissions include every REGION_* bit of @perms (REGION_R for what the
 * kernel reads, REGION_R | REGION_W for what it writes). A range that runs
 * past the top of the address space is refused, and so is a zero length at
 * an address outside every region: an empty range is accepted only where
 * the process could read or write. Privileged-only regions never count. */
bool proc_access_ok(const struct pica_proc *p, uint32_t ptr, uint32_t len, unsigned perms);

/* Copy the NUL-terminated string at user address @ptr into @dst (@size
 * bytes, at least 1), each byte checked readable by @p before it is read.
 * Returns: its length (without the NUL), -EFAULT (a byte outside @p's
 * readable regions), -ENAMETOOLONG (no NUL within @size bytes). @dst holds
 * a NUL-terminated string in every case. */
int uaccess_copy_str(const struct pica_proc *p, char *dst, uint32_t ptr, uint32_t size);
