/* SPDX-License-Identifier: MIT */
/* The simulated board's programs: a small in-memory stand-in for the
 * program registry behind struct bpf_ctl_ops (sim_ctl_ops, user = struct
 * sim_board), plus the board's log. Objects load with bpf_elf_load() into
 * malloc'd memory; "firing" runs every program once, as its hook would.
 * Each load is logged with the FNV-1a hash of the bytes the loader got, so
 * a test can prove the board holds exactly the file it sent. Code: sim_progs.c.
 */
#pragma once

#include <pica/bpf_ctl.h>
#include <pica/bpf_elf.h>

#define SIM_PROGS    8u
#define SIM_LOG_SIZE 16384u

struct sim_prog {
    uint32_t id;
    char name[BPF_CTL_NAME_MAX];
    char hook[BPF_CTL_HOOK_MAX];
    uint8_t *arena;
    struct bpf_op *ops;
    size_t mem;
    struct bpf_elf_obj obj;
    struct bpf_prog prog;
    struct bpf_ctl_stats stats;
};

struct sim_board {
    struct sim_prog *progs[SIM_PROGS]; /* load order */
    unsigned nprogs;
    uint32_t next_id;
    char log[SIM_LOG_SIZE];            /* the last SIM_LOG_SIZE bytes of text */
    uint32_t log_end;                  /* bytes ever written */
    void (*write)(void *user, const void *bytes, size_t len); /* frames out */
    void (*console)(void *user, const char *text);            /* log lines, echoed */
    void *user;
};

extern const struct bpf_ctl_ops sim_ctl_ops;

void sim_board_init(struct sim_board *b);
void sim_board_free(struct sim_board *b);

/* Append a line to the log (and the console). */
void sim_log(struct sim_board *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Run every program once with a zeroed context. */
void sim_fire(struct sim_board *b);

/* FNV-1a, 64 bits. */
uint64_t sim_fnv1a(const void *data, size_t n);
