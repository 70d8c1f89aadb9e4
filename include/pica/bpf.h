/* SPDX-License-Identifier: MIT */
/* Pica eBPF virtual machine: the public API of bpf/.
 * Load (verify + pre-decode) a program with bpf_prog_load(), run it with bpf_run().
 * Maps live in caller-provided storage (bpf_map_init); helpers are a caller-extensible
 * table (bpf_helpers_std); ELF objects from clang -target bpf load with bpf_elf_load().
 * Nothing here allocates memory or calls the OS; time, randomness and trace output
 * reach the embedder through struct bpf_hooks. Implementation: bpf/, notes: docs/bpf.md.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- limits ---- */
#define BPF_STACK_SIZE     512u   /* bytes of stack per frame (main and each local call) */
#define BPF_MAX_CALL_DEPTH 8u     /* frames: main + 7 nested local calls */
#define BPF_MAX_INSNS      4096u  /* default program length limit (instruction slots) */
#define BPF_DEFAULT_BUDGET 1000000u /* default executed-instruction budget per run */

/* ---- instructions (RFC 9669 encoding, little-endian) ---- */
struct bpf_insn {
    uint8_t code;  /* opcode byte */
    uint8_t regs;  /* dst in bits 0-3, src in bits 4-7 */
    int16_t off;
    int32_t imm;
};

static inline unsigned
bpf_insn_dst(const struct bpf_insn *i)
{
    return i->regs & 0xfu;
}

static inline unsigned
bpf_insn_src(const struct bpf_insn *i)
{
    return i->regs >> 4;
}

/* Pre-decoded instruction, produced by bpf_prog_load(). The fields are private to
 * bpf/; callers only provide storage: one struct bpf_op per instruction slot. */
struct bpf_op {
    uint8_t op;
    uint8_t dst;
    uint8_t src;
    uint8_t aux;
    int32_t off;    /* memory offset, or absolute target index of a jump/call */
    uint64_t imm;   /* sign-extended immediate, 64-bit constant, or helper index */
};

/* ---- maps ---- */
/* Type numbers match Linux so map definitions written for libbpf load unchanged. */
enum bpf_map_type {
    BPF_MAP_TYPE_HASH = 1,
    BPF_MAP_TYPE_ARRAY = 2,
    BPF_MAP_TYPE_RINGBUF = 27,
};

/* Update flags (Linux values). */
#define BPF_ANY     0u  /* create or replace */
#define BPF_NOEXIST 1u  /* create only */
#define BPF_EXIST   2u  /* replace only */

/* Map flags. */
#define BPF_F_RDONLY_PROG (1u << 7) /* programs may read but not write the values */

struct bpf_map_def {
    uint32_t type;        /* enum bpf_map_type */
    uint32_t key_size;    /* bytes; array: 4; ring buffer: 0 */
    uint32_t value_size;  /* bytes; ring buffer: 0 */
    uint32_t max_entries; /* entries; ring buffer: data bytes, a power of two */
    uint32_t flags;       /* BPF_F_* */
};

/* A map; caller-allocated, fields private to bpf/ except def and name. */
struct bpf_map {
    struct bpf_map_def def;
    char name[16];
    uint8_t *values;     /* value area: the only part programs may address */
    uint8_t *keys;       /* hash: key slots, parallel to values */
    uint32_t *links;     /* hash: next index of each slot's chain */
    uint32_t *buckets;   /* hash: chain heads */
    uint32_t value_stride; /* value_size rounded up to 8 */
    uint32_t nbuckets;
    uint32_t count;      /* hash: entries in use */
    uint32_t free_head;  /* hash: first free slot */
    uint32_t head;       /* ring buffer: producer position (bytes, free-running) */
    uint32_t tail;       /* ring buffer: consumer position */
    uint32_t dropped;    /* ring buffer: records that did not fit */
};

/* Bytes of storage (8-byte aligned) that bpf_map_init() needs for @def, or 0 if @def
 * is invalid. Context: any. */
size_t bpf_map_storage_size(const struct bpf_map_def *def);

/* Set up @m over @storage (at least bpf_map_storage_size(def) bytes, 8-byte aligned,
 * owned by the map until it is no longer used). Values start zeroed; @name may be NULL.
 * Context: thread. Returns: 0, -EINVAL (bad definition or storage), -ENOSPC (too small). */
int bpf_map_init(struct bpf_map *m, const struct bpf_map_def *def, void *storage,
                 size_t storage_size, const char *name);

/* Address of the value for @key, or NULL if absent (array: index out of range).
 * Context: any, but not concurrently with an update of the same map. */
void *bpf_map_lookup(struct bpf_map *m, const void *key);

/* Insert or replace per @flags (BPF_ANY / BPF_NOEXIST / BPF_EXIST). @key and @value may
 * point into the map's own values (copies are memmoves). BPF_F_RDONLY_PROG does not
 * apply here: it limits programs, which write maps through the helpers.
 * Returns: 0, -EEXIST, -ENOENT, -E2BIG (hash full or index out of range), -EINVAL. */
int bpf_map_update(struct bpf_map *m, const void *key, const void *value, uint64_t flags);

/* Remove @key. Returns: 0, -ENOENT, -EINVAL (arrays cannot delete). */
int bpf_map_delete(struct bpf_map *m, const void *key);

/* Key following @key in iteration order (first key if @key is NULL) into @next.
 * Returns: 0, -ENOENT (no more keys), -EINVAL. */
int bpf_map_next_key(struct bpf_map *m, const void *key, void *next);

/* Append one record to a ring buffer. Returns: 0, -EAGAIN (no room), -EINVAL (also if
 * @data overlaps the ring's own storage). */
int bpf_ringbuf_output(struct bpf_map *m, const void *data, uint32_t size);

/* Take the oldest record into @buf (@cap bytes). Returns its length, -EAGAIN (empty),
 * -ENOSPC (record longer than @cap; it stays queued), -EINVAL. */
int bpf_ringbuf_consume(struct bpf_map *m, void *buf, uint32_t cap);

/* ---- helpers ---- */
struct bpf_vm; /* the running program, as helpers see it */

typedef uint64_t (*bpf_helper_fn)(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3,
                                  uint64_t r4, uint64_t r5);

/* Helper flags. */
#define BPF_HELPER_WRITES_MAP 1u /* r1 is a map the helper changes: the verifier refuses a
                                  * call where r1 may hold a BPF_F_RDONLY_PROG map, and the
                                  * helper itself must return -EPERM for one at run time */

/* One helper. @nargs registers (r1..) must be initialised at each call (verifier). */
struct bpf_helper {
    uint32_t id;
    uint8_t nargs;
    const char *name;
    bpf_helper_fn fn;
    unsigned flags; /* BPF_HELPER_* */
};

/* Helper numbers shared with Linux, so programs using <bpf/bpf_helpers.h> call them. */
enum bpf_helper_id {
    BPF_FUNC_map_lookup_elem = 1,
    BPF_FUNC_map_update_elem = 2,
    BPF_FUNC_map_delete_elem = 3,
    BPF_FUNC_ktime_get_ns = 5,
    BPF_FUNC_trace_printk = 6,
    BPF_FUNC_get_prandom_u32 = 7,
    BPF_FUNC_ringbuf_output = 130,
};

/* The standard helpers above. An embedder that adds its own copies these entries into a
 * larger array (ids must be unique) and passes that array in struct bpf_prog_opts. */
extern const struct bpf_helper bpf_helpers_std[];
extern const unsigned bpf_helpers_std_count;

/* Host pointer for [addr, addr + len) if the running program may access it with
 * @rights (BPF_REGION_*), else NULL. Helpers use it for every pointer argument. */
void *bpf_vm_mem(struct bpf_vm *vm, uint64_t addr, uint64_t len, unsigned rights);

/* The map a program passes as a helper argument, or NULL if it is not one of the
 * program's maps. */
struct bpf_map *bpf_vm_map(struct bpf_vm *vm, uint64_t handle);

/* The run's parameters (for embedder helpers that need exec->user or hooks). */
struct bpf_exec *bpf_vm_exec(struct bpf_vm *vm);

/* Services the standard helpers take from the embedder; any member may be NULL
 * (time reads 0, trace output is dropped, the random generator is a built-in xorshift). */
struct bpf_hooks {
    uint64_t (*time_ns)(void *user);
    uint32_t (*random_u32)(void *user);
    void (*trace)(void *user, const char *text, size_t len);
};

/* ---- programs ---- */
struct bpf_prog_opts {
    const struct bpf_helper *helpers; /* NULL: bpf_helpers_std */
    unsigned nhelpers;
    struct bpf_map *const *maps;      /* lddw map references index this table */
    unsigned nmaps;
    uint32_t max_insns;               /* 0: BPF_MAX_INSNS */
    const uint32_t *allowed;          /* ids of the helpers the program may call (call and
                                       * callx); NULL: every helper of the table */
    unsigned nallowed;
    const char *allowed_at;           /* where @allowed applies, for messages ("irq"):
                                       * "... is not allowed at hook irq"; NULL: "this hook" */
};

/* Why the verifier refused a program. @reason is static text; it may contain %n (the
 * helper's or map's name), %i (the helper id), %w (where: "hook <where>" or "this
 * hook"), %o, %z and %l (an access's offset, size and the limit it passed), which
 * bpf_verr_format() replaces with the fields below. */
struct bpf_verr {
    uint32_t pc;        /* instruction index */
    uint8_t opcode;     /* its opcode byte */
    int8_t reg;         /* the register concerned, or -1 */
    const char *reason; /* static text */
    const char *name;   /* the helper or map concerned (%n), or NULL */
    uint32_t id;        /* the helper id concerned (%i) */
    const char *where;  /* bpf_prog_opts.allowed_at (%w), or NULL */
    int64_t off;        /* a refused access: its offset into the map value (%o), */
    uint32_t size;      /* its size in bytes (%z) */
    uint32_t limit;     /* and the value's size in bytes (%l) */
};

/* Check a program without loading it (rules: docs/bpf.md). @scratch: @n slots of working
 * memory, so the verifier needs no heap and little stack. Context: thread.
 * Returns: 0, -EINVAL (refused, @err filled), -E2BIG (too long, @err filled). */
int bpf_verify(const struct bpf_insn *insns, uint32_t n, const struct bpf_prog_opts *opts,
               struct bpf_op *scratch, struct bpf_verr *err);

/* "insn 3 (opcode 0x4f or): reason (r0)" into @buf, with %n, %i, %w, %o, %z and %l of
 * the reason replaced ("insn 4 (opcode 0x85 call): helper trace_printk is not allowed at
 * hook irq", "insn 0 (opcode 0x85 call): call to unknown helper 99", "insn 3 (opcode
 * 0x7b stxdw): access at offset 512 of 8 bytes is outside map '.bss' value (32 bytes)");
 * returns the length it needed. */
size_t bpf_verr_format(const struct bpf_verr *err, char *buf, size_t size);

/* A loaded program. Caller-allocated; fields private to bpf/. */
struct bpf_prog {
    struct bpf_op *ops;
    uint32_t len;
    const struct bpf_helper *helpers;
    unsigned nhelpers;
    struct bpf_map *const *maps;
    unsigned nmaps;
    const uint32_t *allowed; /* callx: ids it may reach (NULL: all); from the opts */
    unsigned nallowed;
};

/* Verify @insns, then pre-decode them into @ops (@cap slots, at least @n). @opts and the
 * tables it points to must outlive @p; @insns need not. Context: thread.
 * Returns: 0, -EINVAL / -E2BIG (refused, @err filled), -ENOSPC (@cap too small). */
int bpf_prog_load(struct bpf_prog *p, struct bpf_op *ops, uint32_t cap,
                  const struct bpf_insn *insns, uint32_t n, const struct bpf_prog_opts *opts,
                  struct bpf_verr *err);

/* ---- running ---- */
#define BPF_REGION_READ  1u
#define BPF_REGION_WRITE 2u

/* Memory a run may touch besides its context, its stack and its maps' values. */
struct bpf_region {
    void *base;
    size_t len;
    unsigned rights; /* BPF_REGION_READ | BPF_REGION_WRITE */
};

/* One run: inputs, then results filled by bpf_run(). */
struct bpf_exec {
    void *ctx;              /* passed in r1 (r2 = ctx_len); may be NULL */
    size_t ctx_len;
    unsigned ctx_rights;    /* BPF_REGION_* for the context */
    void *stack;            /* frames of BPF_STACK_SIZE bytes, 8-byte aligned */
    size_t stack_size;      /* at least BPF_STACK_SIZE; more allows deeper local calls */
    const struct bpf_region *regions;
    unsigned nregions;
    uint64_t budget;        /* most instructions a run executes (lddw counts once); the
                             * one past it is not run: -ETIMEDOUT. 0: BPF_DEFAULT_BUDGET */
    const struct bpf_hooks *hooks;
    void *user;             /* passed to the hooks */
    /* results */
    uint64_t r0;            /* the program's return value */
    uint64_t executed;      /* instructions executed (not counting a faulting one) */
    uint32_t fault_pc;      /* instruction of the fault (budget: the first not run) */
    const char *fault;      /* reason of the fault, or NULL */
};

/* Run @p once. A fault never touches memory outside the granted regions.
 * Context: any; one run per struct bpf_exec and stack at a time.
 * Returns: 0 (result in exec->r0), -EFAULT (bad memory access), -ETIMEDOUT (budget
 * exhausted), -ELOOP (call depth), -ENOSYS (callx to an unknown helper), -EINVAL. */
int bpf_run(const struct bpf_prog *p, struct bpf_exec *exec);

/* ---- disassembly ---- */
/* One instruction (two slots for lddw) in the conformance assembly dialect into @buf.
 * Returns the number of slots consumed (1 or 2). */
unsigned bpf_disasm_insn(const struct bpf_insn *insns, uint32_t n, uint32_t pc, char *buf,
                         size_t size);

#ifdef __cplusplus
}
#endif
