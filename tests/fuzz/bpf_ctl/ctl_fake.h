/* SPDX-License-Identifier: MIT */
/* The fake board of fuzz_bpf_ctl: an in-memory stand-in for the program registry
 * behind struct bpf_ctl_ops (programs, maps with keys, a ring buffer, a log), whose
 * ops check what bpf_ctl hands them and count their calls, and the state the
 * fuzzer's checks share with them. Code: ctl_fake.c.
 */
#pragma once

#include <pica/bpf_ctl.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define CHECK(c)                                                                         \
    do {                                                                                 \
        if (!(c)) {                                                                      \
            fprintf(stderr, "fuzz_bpf_ctl: check failed at line %d of %s: %s\n", __LINE__, \
                    __FILE__, #c);                                                       \
            abort();                                                                     \
        }                                                                                \
    } while (0)

#define MAX_PROGS   8
#define MAX_RECORDS 8

struct fake_prog {
    uint32_t id;
    bool long_names; /* name and hook fill their arrays with no NUL */
};

/* Every program has these maps; keyed ones hold keys 0..max_entries-1. */
extern const struct bpf_ctl_map fake_maps[5];
#define NMAPS (sizeof fake_maps / sizeof fake_maps[0])

/* The board, and what the fuzzer knows of bpf_ctl's state. */
struct board {
    struct fake_prog progs[MAX_PROGS];
    unsigned nprogs;
    uint32_t next_id;
    uint16_t records[MAX_RECORDS]; /* ring buffer record lengths, oldest first */
    unsigned nrecords;
    uint32_t log_end;
    uint8_t *obj;     /* the object buffer given to bpf_ctl_init */
    size_t obj_size;  /* the largest object */
    bool sparse;      /* sparse_ops: no loading */
    bool lending;     /* lending_ops: each object in memory of its own (obj_alloc) */
    bool refuse_odd;  /* ...which is refused for odd sizes */
    uint8_t *lent;    /* the object memory lent now, allocated to its exact size */
    size_t lent_size;
    size_t board_len; /* of the name HELLO gives */
    /* the load rule */
    bool armed; /* a LOAD_BEGIN was accepted since the last load */
    uint32_t announced_size, announced_crc;
    unsigned loads, loads_before;
    /* the frame being answered, and what bpf_ctl did for it */
    bool in_process;
    uint8_t req_type;
    unsigned calls; /* of ops other than write */
    unsigned writes;
    uint8_t answer[BPF_CTL_MAX_BODY];
    size_t answer_len;
    /* the last request answered, which a repeat gets again without running it */
    bool cached;
    uint8_t last_type, last_seq;
    uint32_t last_crc;
    uint8_t last_answer[BPF_CTL_MAX_BODY];
    size_t last_answer_len;
};

extern struct board fake;

/* The map @name ("counts" or "#0"), or NULL. */
const struct bpf_ctl_map *map_named(const char *name);

uint32_t le32(const uint8_t *p);

/* A full board; one lending object memory (obj_alloc); one that cannot load, detach,
 * dump or read its log. */
extern const struct bpf_ctl_ops full_ops, lending_ops, sparse_ops;
