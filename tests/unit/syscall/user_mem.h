/* SPDX-License-Identifier: MIT */
/* A process for host tests of the system calls: memory at addresses below
 * 4 GB (so user pointers fit in the 32-bit registers the calls take) laid
 * out as a process's text (read + execute), RAM (read + write) and one
 * read-only grant, with gaps between them that belong to no region. */
#pragma once

#include <stdint.h>

#include <pica/proc.h>

#define USER_TEXT_SIZE 0x1000u
#define USER_RAM_SIZE 0x4000u
#define USER_GRANT_SIZE 0x100u

struct user_mem {
    uint32_t text;  /* address of the text region */
    uint32_t ram;   /* of the RAM region */
    uint32_t grant; /* of the read-only grant */
    uint32_t gap;   /* an address in no region, between text and RAM */
};

/* Map the memory (once per test process) and set up @p with its regions,
 * an image whose object quota is @quota bytes and empty slots. */
struct user_mem user_mem_setup(struct pica_proc *p, uint32_t quota);

/* The user address @addr as a host pointer. */
static inline void *
user_ptr(uint32_t addr)
{
    return (void *)(uintptr_t)addr;
}
