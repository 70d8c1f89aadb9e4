/* SPDX-License-Identifier: MIT */
/* Line faults for the simulated board: bytes dropped, duplicated, corrupted
 * or swapped with the next, each at a rate from a seeded generator, so a
 * failing run can be repeated exactly. Code: sim_faults.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

enum {
    SIM_FAULT_DROP = 1,
    SIM_FAULT_DUP = 2,
    SIM_FAULT_CORRUPT = 4,
    SIM_FAULT_REORDER = 8,
    SIM_FAULT_ALL = 15,
};

struct sim_faults {
    unsigned kinds;     /* SIM_FAULT_* */
    double rate;        /* chance per byte that one of the kinds hits it */
    uint64_t rng;
    uint64_t hits;      /* faults applied so far */
};

void sim_faults_init(struct sim_faults *f, unsigned kinds, double rate, uint64_t seed);

/* "drop,dup,corrupt,reorder", "all" or "none" into *kinds. Returns 0 or -1. */
int sim_faults_parse(const char *text, unsigned *kinds);

/* Pass @n bytes of @in to @out (room for 2 * @n) through the faults; returns
 * the bytes written. A swapped byte never waits past the end of @in: a burst
 * is reordered within itself, as a UART FIFO would. */
size_t sim_faults_apply(struct sim_faults *f, const uint8_t *in, size_t n, uint8_t *out);
