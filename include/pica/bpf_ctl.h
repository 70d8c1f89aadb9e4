/* SPDX-License-Identifier: MIT */
/* The board side of picactl: framed requests and responses that share the
 * console line with text. bpf_ctl_rx_byte() takes each received byte (in the
 * UART interrupt) and claims those that belong to a frame; bpf_ctl_process()
 * runs in a thread, answers one frame (repeats from a cache, loads into the
 * embedder's object buffer) and reaches programs only through the embedder's
 * struct bpf_ctl_ops. Nothing here allocates, locks or calls the OS.
 * Code: bpf/ctl_frame.c (CRC, encoder, receiver), bpf/ctl.c (session, loads),
 * bpf/ctl_query.c (list, stats, maps, ring buffers, log).
 * Wire format and host tool: docs/picactl.md, tools/picactl.
 */
#pragma once

#include <pica/bpf.h>

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- wire format ---- */
#define BPF_CTL_VERSION     1u
#define BPF_CTL_START       0xFEu /* starts a frame, always */
#define BPF_CTL_END         0xFFu /* ends a frame */
#define BPF_CTL_ESC         0xFDu /* next byte xor BPF_CTL_ESC_XOR; FD FE FF 0A 0D go so */
#define BPF_CTL_ESC_XOR     0x20u
#define BPF_CTL_MAX_PAYLOAD 256u
#define BPF_CTL_MAX_BODY    (4u + BPF_CTL_MAX_PAYLOAD + 4u) /* header, payload, CRC */
#define BPF_CTL_MAX_FRAME   (2u + 2u * BPF_CTL_MAX_BODY)    /* every byte escaped */

/* Request types; a response has the request's type | BPF_CTL_RESPONSE. */
enum bpf_ctl_type {
    BPF_CTL_HELLO = 0x01,
    BPF_CTL_LOAD_BEGIN = 0x02,
    BPF_CTL_LOAD_DATA = 0x03,
    BPF_CTL_LOAD_END = 0x04,
    BPF_CTL_LOAD_ABORT = 0x05,
    BPF_CTL_LIST = 0x06,
    BPF_CTL_DETACH = 0x07,
    BPF_CTL_STATS = 0x08,
    BPF_CTL_MAPS = 0x09,
    BPF_CTL_MAP_NEXT = 0x0A,
    BPF_CTL_MAP_UPDATE = 0x0B,
    BPF_CTL_RINGBUF = 0x0C,
    BPF_CTL_LOG = 0x0D,
    BPF_CTL_NAK = 0x7F,      /* answer to a frame with a bad CRC or length */
    BPF_CTL_RESPONSE = 0x80,
};

#define BPF_CTL_NAME_MAX    16u /* program and map names, with the NUL */
#define BPF_CTL_HOOK_MAX    32u /* "timer:100" */
#define BPF_CTL_SECTION_MAX 64u

#define BPF_CTL_LOAD_VERDICT 1u /* LOAD_BEGIN flag: the program's r0 may refuse the event */

/* HELLO flags. */
#define BPF_CTL_CAN_LOAD 1u

/* ---- CRC and encoder (context: any) ---- */
/* CRC-32 (IEEE, reflected), continued from @crc (0 to start): zlib's crc32(). */
uint32_t bpf_ctl_crc32(uint32_t crc, const void *buf, size_t n);

/* Encode a frame into @out, which must hold 2 + 2 * (@len + 8) bytes. @payload
 * may lie inside @out at offset BPF_CTL_MAX_FRAME - BPF_CTL_MAX_PAYLOAD or
 * later (bpf/ctl.c builds answers in place that way).
 * Returns the frame's length, or 0 if @len or @cap is too large / small. */
size_t bpf_ctl_frame_encode(uint8_t *out, size_t cap, uint8_t type, uint8_t seq,
                            const void *payload, size_t len);

/* A received body, checked. */
struct bpf_ctl_frame {
    uint8_t type;
    uint8_t seq;
    uint16_t len;
    const uint8_t *payload;
    uint32_t crc; /* as sent: identifies a repeated request */
};

/* Check a decoded body of @n bytes. Returns 0, or -EBADMSG (short, length
 * field disagrees, payload too long, CRC wrong; f->seq is set if @n >= 2). */
int bpf_ctl_frame_parse(const uint8_t *body, size_t n, struct bpf_ctl_frame *f);

/* ---- receiver ---- */
/* Fed one byte at a time; holds one complete frame until the thread releases
 * it. Caller-allocated; fields are private to bpf/ except the counters. */
struct bpf_ctl_rx {
    uint8_t body[BPF_CTL_MAX_BODY];
    uint16_t len;
    uint8_t state;
    bool truncated;      /* the waiting frame was longer than body: only its head is here */
    atomic_bool ready;   /* set by the receiver, cleared by bpf_ctl_rx_release() */
    uint32_t dropped;    /* frames dropped because one was waiting */
    uint32_t overlong;   /* frames longer than BPF_CTL_MAX_BODY (NAKed) */
};

void bpf_ctl_rx_init(struct bpf_ctl_rx *rx);

/* Take byte @b. Returns true if it belongs to a frame (the caller keeps it from
 * the shell), false if it is console input. 0xFE always starts a frame; while
 * one complete frame waits, the bytes of further frames are claimed and
 * dropped (the host retransmits). Of a frame longer than BPF_CTL_MAX_BODY
 * only the head is kept, marked truncated (the session NAKs it); the rest is
 * claimed and dropped up to its 0xFF or a bpf_ctl_rx_reset().
 * Context: any, one caller at a time (the UART interrupt). */
bool bpf_ctl_rx_byte(struct bpf_ctl_rx *rx, uint8_t b);

/* True while a complete frame waits for bpf_ctl_process(): the receiving
 * interrupt wakes the session's thread when this turns true. Context: any. */
bool bpf_ctl_rx_ready(struct bpf_ctl_rx *rx);

/* True inside an unfinished frame: a caller that sees it stay true for too
 * long (a lost 0xFF) calls bpf_ctl_rx_reset(). Context: any. */
bool bpf_ctl_rx_busy(const struct bpf_ctl_rx *rx);

/* Forget the unfinished frame; a complete one still waits.
 * Context: the receiving interrupt, or with it masked. */
void bpf_ctl_rx_reset(struct bpf_ctl_rx *rx);

/* The waiting frame's body (*@len bytes; see rx->truncated), or NULL.
 * Context: thread. */
const uint8_t *bpf_ctl_rx_frame(struct bpf_ctl_rx *rx, size_t *len);

/* Done with the waiting frame: the receiver may take the next. Context: thread. */
void bpf_ctl_rx_release(struct bpf_ctl_rx *rx);

/* ---- what the session asks of the embedder ---- */
/* An object to load (LOAD_END); maps onto struct bpf_load_req. */
struct bpf_ctl_load {
    const void *elf;
    size_t len;
    const char *section; /* NULL: the first program */
    const char *hook;    /* "timer:100", "irq:5", "switch"... */
    const char *name;    /* NULL: the section name */
    uint32_t flags;      /* BPF_CTL_LOAD_* */
};

enum bpf_ctl_state { BPF_CTL_ATTACHED = 0, BPF_CTL_DISABLED = 1 };

/* One program, as LIST shows it. */
struct bpf_ctl_prog {
    uint32_t id;
    char name[BPF_CTL_NAME_MAX];
    char hook[BPF_CTL_HOOK_MAX];
    uint32_t owner;      /* 0: the kernel; else a process id */
    uint32_t ninsns;
    uint32_t mem;        /* bytes */
    uint8_t state;       /* enum bpf_ctl_state */
};

/* A program's run statistics (the fields of struct bpf_prog_stats). */
struct bpf_ctl_stats {
    uint64_t runs;
    uint64_t insns;
    uint32_t overruns;
    uint32_t errors;
    int32_t last_error;
    uint32_t last_fault_pc;
    uint64_t max_insns;
};

/* One map of a program. */
struct bpf_ctl_map {
    uint32_t index;
    char name[BPF_CTL_NAME_MAX];
    struct bpf_map_def def;
};

/* The embedder's side, each a thin call into the program registry (noted on
 * the right). A NULL member makes its requests fail with -ENOTSUP. Programs
 * are named by id; maps by name, or "#n" for the n-th map of the program.
 * Every member is called from bpf_ctl_process()'s thread and takes whatever
 * lock keeps hooks from running programs while it looks. */
struct bpf_ctl_ops {
    /* Send one whole frame (@len bytes) without console text inside it. */
    void (*write)(void *user, const void *bytes, size_t len);
    /* Load and attach. Returns the id (> 0), or -errno with a sentence in @msg
     * (the verifier's, e.g. "insn 4 (opcode 0x85 call): ..."). bpf_registry_load */
    int (*load)(void *user, const struct bpf_ctl_load *req, char *msg, size_t msg_size);
    /* Detach and free. Returns 0, -ENOENT. bpf_registry_unload(r, id, 0) */
    int (*unload)(void *user, uint32_t id);
    /* The program at @index in load order. Returns 0, -ENOENT past the end.
     * bpf_registry_at + bpf_registry_hook_spec */
    int (*prog_at)(void *user, unsigned index, struct bpf_ctl_prog *p);
    /* Returns 0, -ENOENT. bpf_registry_stats */
    int (*stats)(void *user, uint32_t id, struct bpf_ctl_stats *st);
    /* Returns 0, -ESRCH (no program @id), -ENOENT (no such map). bpf_registry_map */
    int (*map_info)(void *user, uint32_t id, const char *map, struct bpf_ctl_map *m);
    /* Copy the value of @key into @value. Returns 0, -ENOENT (no such key or
     * map), -ESRCH. bpf_registry_map_lookup */
    int (*map_lookup)(void *user, uint32_t id, const char *map, const void *key, void *value);
    /* The key after @key (the first if NULL) into @next. Returns 0, -ENOENT
     * (no more keys, or no such map), -ESRCH. bpf_registry_map_next_key */
    int (*map_next_key)(void *user, uint32_t id, const char *map, const void *key, void *next);
    /* Returns 0 or bpf_map_update()'s errors, -ESRCH. bpf_registry_map_update */
    int (*map_update)(void *user, uint32_t id, const char *map, const void *key,
                      const void *value, uint64_t flags);
    /* Take the oldest record. Returns its length, -EAGAIN (empty), -ENOSPC
     * (longer than @cap; it stays), -ENOENT, -ESRCH. bpf_registry_ringbuf_consume */
    int (*ringbuf_consume)(void *user, uint32_t id, const char *map, void *buf, uint32_t cap);
    /* Optional: memory for an object being received, taken at LOAD_BEGIN for
     * its announced size (at most the limit given to bpf_ctl_init) and given
     * back once it is loaded, refused or abandoned, instead of a buffer held
     * for good. NULL: the buffer given to bpf_ctl_init. */
    void *(*obj_alloc)(void *user, size_t size);
    void (*obj_free)(void *user, void *obj);
    /* Log text from position @offset (free-running; an offset the log no longer
     * holds reads from its oldest byte). Returns the bytes copied (0: none yet)
     * and sets *@next to the position after them. */
    int (*log_read)(void *user, uint32_t offset, void *buf, size_t cap, uint32_t *next);
};

/* ---- the session ---- */
/* An object being received. Private to bpf/. */
struct bpf_ctl_loading {
    bool active;
    uint32_t size;       /* announced by LOAD_BEGIN */
    uint32_t crc;        /* announced CRC of the whole object */
    uint32_t got;        /* bytes received, in order */
    uint32_t got_crc;    /* CRC of those bytes */
    uint32_t flags;
    char hook[BPF_CTL_HOOK_MAX];
    char section[BPF_CTL_SECTION_MAX];
    char name[BPF_CTL_NAME_MAX];
};

/* One session per console line. Caller-allocated; fields private to bpf/. */
struct bpf_ctl {
    const struct bpf_ctl_ops *ops;
    void *user;
    const char *board;
    uint8_t *obj;
    size_t obj_size;
    struct bpf_ctl_loading load;
    /* The last answer, sent again for a repeated request (same seq, type
     * and CRC) instead of executing it twice. */
    bool cached;
    uint8_t last_type;
    uint8_t last_seq;
    uint32_t last_crc;
    size_t frame_len;
    uint8_t frame[BPF_CTL_MAX_FRAME];
};

/* Set up @c. @board is the name HELLO answers. @obj (@obj_size bytes, the
 * largest object accepted) receives loads; NULL refuses loading, unless
 * @ops has obj_alloc: then each object gets memory of its own size, up to
 * @obj_size. @ops and @board must outlive @c. Context: thread. */
void bpf_ctl_init(struct bpf_ctl *c, const struct bpf_ctl_ops *ops, void *user, const char *board,
                  void *obj, size_t obj_size);

/* Answer the frame waiting in @rx, if any, through ops->write, and release it.
 * Context: thread (the one that owns @c).
 * Returns: 1 if a frame was taken, 0 if none was waiting. */
int bpf_ctl_process(struct bpf_ctl *c, struct bpf_ctl_rx *rx);

#ifdef __cplusplus
}
#endif
