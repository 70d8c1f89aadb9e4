/* SPDX-License-Identifier: MIT */
/* Hooks and the program registry: the portable half of eBPF in a running
 * system. A hook is a named attach point with a context layout, the rights it
 * grants and the helpers it allows; programs attached to it run in attach
 * order, each with its own instruction budget and statistics, and a program
 * that overruns its budget too often is disabled (the registry then frees it:
 * bpf_registry_reap). The registry loads ELF
 * objects into memory from the embedder's allocator, attaches them by hook
 * name ("timer:100", "irq:5", "switch"...), and answers list, stats, map and
 * detach requests (the shell, picactl and user processes all go through it).
 * Nothing here locks or allocates on its own: struct bpf_registry_env supplies
 * both. Code: bpf/hook.c, bpf/registry.c; notes: docs/bpf.md (Hooks).
 */
#pragma once

#include <pica/bpf.h>
#include <pica/bpf_elf.h>
#include <stdbool.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- hooks ---- */
#define BPF_HOOK_ISR       1u /* may run in an interrupt handler: no sleeping helper */
#define BPF_HOOK_VERDICT   2u /* a program attached with BPF_ATTACH_VERDICT decides: r0 */
#define BPF_HOOK_CTX_WRITE 4u /* the context is writable (else read-only) */
#define BPF_HOOK_ARG       8u /* the attach names an argument ("irq:5", "timer:100") */
#define BPF_HOOK_ARG_MATCH 16u /* ...and a run only reaches programs attached with its arg */

/* What a hook is; constant, supplied by the embedder. */
struct bpf_hook_def {
    const char *name;       /* "timer", "irq", "switch", "syscall", "console"... */
    uint16_t ctx_size;      /* bytes of the context struct a run passes */
    uint16_t flags;         /* BPF_HOOK_* */
    const uint32_t *helpers; /* ids of the helpers programs here may call (call and
                              * callx); NULL or nhelpers 0: none */
    unsigned nhelpers;
    uint64_t default_budget; /* instructions per run unless the attach says */
    uint32_t arg_min, arg_max; /* valid attach arguments (BPF_HOOK_ARG) */
};

/* Per program, kept by bpf_hook_run(). */
struct bpf_prog_stats {
    uint64_t runs;
    uint64_t insns;      /* instructions executed over all runs */
    uint32_t overruns;   /* runs stopped at the budget */
    uint32_t errors;     /* runs that ended in any other fault */
    int32_t last_error;  /* negative errno of the latest run that faulted (overruns
                          * included: -ETIMEDOUT), 0 if none has */
    uint32_t last_fault_pc; /* its instruction */
    uint64_t max_insns;  /* the longest run */
};

#define BPF_ATTACH_VERDICT 1u /* the program's r0 may refuse the event */

/* One program on one hook. Caller-allocated and zeroed (the registry embeds one
 * per program); linked into the hook by bpf_hook_attach(). @hook is NULL while
 * unlinked; bpf_hook_run() writes only @stats and @disabled. */
struct bpf_attach {
    struct bpf_attach *next;
    struct bpf_hook *hook;
    const struct bpf_prog *prog;
    uint32_t arg;            /* irq line, timer period in ms... */
    uint32_t rights;         /* BPF_ATTACH_* */
    uint64_t budget;         /* 0: the hook's default */
    uint32_t max_overruns;   /* disabled after this many overruns; 0: never */
    volatile bool disabled;  /* set by a run at max_overruns: skipped from then on */
    struct bpf_prog_stats stats;
};

/* A hook as the kernel holds it. The kernel's disabled case tests `first`
 * only: one load and one compare. */
struct bpf_hook {
    const struct bpf_hook_def *def;
    struct bpf_attach *volatile first;
};

/* What a run needs from the embedder: the stack and services. One per context
 * that can run programs at the same time (thread, interrupt). */
struct bpf_hook_exec {
    void *stack;
    size_t stack_size;
    const struct bpf_hooks *services;
    void *user;              /* passed to the services and the helpers (bpf_vm_exec) */
    const struct bpf_region *regions; /* granted besides context, stack, maps */
    unsigned nregions;
};

/* The outcome of running every program on a hook once. */
struct bpf_hook_result {
    int64_t verdict;         /* first non-zero int32_t r0 of a BPF_ATTACH_VERDICT program
                              * (the low half, signed: an int function's result), else 0 */
    uint32_t ran;            /* programs run */
    uint64_t insns;          /* instructions, all programs */
};

/* Link @a (prog, arg, rights, budget set; hook NULL) at the end of @h. The caller
 * holds whatever excludes runs of @h (the kernel: interrupts masked). A hook without
 * BPF_HOOK_ARG takes arg 0 only. Stats are not reset.
 * Returns: 0, -EINVAL (@a already linked, no prog, bad arg, verdict right on a
 * hook without verdicts). */
int bpf_hook_attach(struct bpf_hook *h, struct bpf_attach *a);

/* Unlink @a; its stats stay, @a->hook becomes NULL. Same locking as attach.
 * Returns 0 or -ENOENT (not linked to @h). */
int bpf_hook_detach(struct bpf_hook *h, struct bpf_attach *a);

/* Run every enabled program of @h whose arg matches (BPF_HOOK_ARG_MATCH) in
 * attach order with @ctx (ctx_size bytes of def; NULL: no context, r2 = 0), each
 * with budget a->budget, else def->default_budget, else BPF_DEFAULT_BUDGET.
 * Fills @res (may be NULL). Never fails: faults are counted in each program's
 * stats. The verdict is the r0 of the first BPF_ATTACH_VERDICT program that
 * finished without a fault and returned non-zero; later programs still run. A
 * program reaching its max_overruns is disabled, not unlinked (the registry
 * unlinks it later). @h must have a def; @x is not checked.
 * Context: as the hook's flags say; one run per @x at a time; never concurrently
 * with attach/detach of @h, nor with env->lock held by another context. */
void bpf_hook_run(struct bpf_hook *h, void *ctx, uint32_t arg, const struct bpf_hook_exec *x,
                  struct bpf_hook_result *res);

/* Run the one program @a (linked to a hook) as bpf_hook_run() would run it,
 * whatever its arg: for hooks whose programs fire apart (a timer per program).
 * Nothing runs if @a is disabled or not linked (@res->ran = 0). Same context
 * and locking rules as bpf_hook_run(). */
void bpf_attach_run(struct bpf_attach *a, void *ctx, const struct bpf_hook_exec *x,
                    struct bpf_hook_result *res);

/* Parse "name" or "name:arg" (decimal, or hex with 0x) against @hooks. Returns
 * the index, -ENOENT (no such hook), -EINVAL (argument missing, not a number,
 * out of arg_min..arg_max, or given to a hook that takes none). *arg (may be
 * NULL) gets the argument (0 if none or on failure). Context: any. */
int bpf_hook_parse(struct bpf_hook *const *hooks, unsigned nhooks, const char *spec,
                   uint32_t *arg);

/* ---- registry ---- */
#define BPF_NAME_MAX 16u

/* Services of the system the registry lives in.
 * Locking contract: the registry functions are thread context and not reentrant
 * (the caller serialises them, e.g. with one mutex). env->lock must exclude every
 * hook run that can reach the registry's programs: when it returns, no run is in
 * progress and none starts until unlock (one CPU: mask interrupts for the runs in
 * interrupt context, and take what serialises runs in threads). The registry holds it only
 * to link/unlink, copy stats and touch map contents, never to allocate, free,
 * verify, or call env->attached. */
struct bpf_registry_env {
    void *(*alloc)(size_t size);      /* 8-byte aligned, or NULL */
    void (*free)(void *p);
    unsigned (*lock)(void);           /* excludes hook runs (kernel: mask interrupts) */
    void (*unlock)(unsigned key);
    struct bpf_hook *const *hooks;    /* the attach points offered */
    unsigned nhooks;
    const struct bpf_helper *helpers; /* every helper the system has */
    unsigned nhelpers;
    size_t max_object;                /* largest ELF image accepted (bytes) */
    size_t max_mem;                   /* largest block one program may take */
    uint32_t max_overruns;            /* default for loads that give none */
    void (*attached)(struct bpf_hook *h, struct bpf_attach *a, bool on); /* may be NULL:
                                       * told after each attach/detach (timers start),
                                       * without the lock; a is &loaded->att */
};

/* One loaded program: one block from env->alloc holding this struct, then the
 * decoded program (ninsns struct bpf_op), then the object's arena (maps and the
 * relocated code), each 8-aligned. Fields are read-only outside bpf/. */
struct bpf_loaded {
    struct bpf_loaded *next;
    uint32_t id;                /* 1, 2, ... never reused while the registry lives */
    char name[BPF_NAME_MAX];
    uint32_t owner;             /* 0: the kernel; else a process id */
    size_t mem;                 /* bytes of the block */
    uint32_t ninsns;            /* instruction slots */
    struct bpf_attach att;
    struct bpf_prog prog;
    struct bpf_elf_obj obj;
};

struct bpf_registry {
    const struct bpf_registry_env *env;
    struct bpf_loaded *first;   /* load order */
    uint32_t next_id;
    uint32_t count;
    size_t mem;                 /* bytes held by all programs */
};

/* What to load and where to attach it. */
struct bpf_load_req {
    const void *elf;            /* ELF object image */
    size_t len;
    const char *section;        /* program section or function; NULL: the first program
                                 * (bpf_elf_load) */
    const char *hook;           /* "switch", "irq:5", "timer:100"... */
    const char *name;           /* NULL: @section, else the program's section name;
                                 * cut to BPF_NAME_MAX - 1 characters */
    uint32_t owner;
    uint32_t rights;            /* BPF_ATTACH_* the loader grants */
    uint64_t budget;            /* 0: the hook's default */
    uint32_t max_overruns;      /* 0: env->max_overruns */
};

/* Why a load failed: a sentence naming the instruction (or ELF part) and the
 * reason, as the shell and picactl print it. @code is the value returned. */
struct bpf_load_err {
    int code;
    char msg[128];
};

/* An empty registry over @env (which must outlive it). */
void bpf_registry_init(struct bpf_registry *r, const struct bpf_registry_env *env);

/* Load, verify against the hook's helpers, attach. Takes one env->alloc block of
 * struct bpf_loaded + ops + arena, sized by bpf_elf_measure() before anything is
 * verified. Returns the program id (> 0) or a negative errno with @err (may be
 * NULL) filled: -E2BIG (object over max_object, or block over max_mem, or program
 * too long), -ENOENT (no such hook or section), -EINVAL (bad request, bad hook
 * argument, malformed object, or refused: @err->msg names instruction and reason,
 * e.g. "insn 4 (opcode 0x85 call): helper trace_printk is not allowed at hook
 * irq"), -ENOMEM, -EPERM (verdict right asked of a hook without verdicts),
 * -ENOTSUP. On failure nothing stays allocated. */
int bpf_registry_load(struct bpf_registry *r, const struct bpf_load_req *req,
                      struct bpf_load_err *err);

/* Detach and free. Returns 0, -ENOENT; -EPERM if @owner is not 0 and does
 * not own it. */
int bpf_registry_unload(struct bpf_registry *r, uint32_t id, uint32_t owner);

/* Unload every program of @owner (a process that ended); returns how many. */
unsigned bpf_registry_unload_owner(struct bpf_registry *r, uint32_t owner);

/* Unlink and free programs disabled by overruns; returns how many. Thread context. */
unsigned bpf_registry_reap(struct bpf_registry *r);

/* The program @id, or NULL. Valid until it is unloaded. */
struct bpf_loaded *bpf_registry_find(struct bpf_registry *r, uint32_t id);

/* The program at position @index in load order, or NULL past the end. */
struct bpf_loaded *bpf_registry_at(struct bpf_registry *r, unsigned index);

/* A copy of @id's stats taken under the lock. Returns 0 or -ENOENT. */
int bpf_registry_stats(struct bpf_registry *r, uint32_t id, struct bpf_prog_stats *st);

/* The map @name of program @id (or map number @name = "#3"), or NULL. Its def
 * and name may be read freely; its contents change under running programs, so
 * read and write them with the functions below. */
struct bpf_map *bpf_registry_map(struct bpf_registry *r, uint32_t id, const char *name);

/* The hook spec a program is attached with ("irq:5", "switch") into @buf
 * (always NUL-terminated if @size > 0); returns the length it needed. */
size_t bpf_registry_hook_spec(const struct bpf_loaded *l, char *buf, size_t size);

/* Map contents, safe against concurrent runs: each takes env->lock around the map
 * operation and copies under it. @map is as for bpf_registry_map(); @key, @value
 * and @next hold the map's key_size / value_size bytes (read them from the
 * bpf_registry_map() def). Not for ring buffers (-EINVAL). Context: thread.
 * lookup: copies the value of @key into @value. Returns 0, -ENOENT (no program,
 *   map or key).
 * update: @flags BPF_ANY/NOEXIST/EXIST. Returns 0, -ENOENT (no program or map), or
 *   bpf_map_update()'s errors (-EEXIST, -ENOENT, -E2BIG, -EINVAL).
 * delete: Returns 0, -ENOENT, -EINVAL (arrays cannot delete).
 * next_key: the key after @key (NULL: the first) into @next. Returns 0, -ENOENT (no
 *   more keys, or no program or map), -EINVAL. */
int bpf_registry_map_lookup(struct bpf_registry *r, uint32_t id, const char *map,
                            const void *key, void *value);
int bpf_registry_map_update(struct bpf_registry *r, uint32_t id, const char *map,
                            const void *key, const void *value, uint64_t flags);
int bpf_registry_map_delete(struct bpf_registry *r, uint32_t id, const char *map,
                            const void *key);
int bpf_registry_map_next_key(struct bpf_registry *r, uint32_t id, const char *map,
                              const void *key, void *next);

/* Take the oldest record of ring buffer @map into @buf (@cap bytes), under the
 * lock. Returns its length, -EAGAIN (empty), -ENOSPC (longer than @cap; it stays),
 * -ENOENT (no program or map), -EINVAL (not a ring buffer). Context: thread. */
int bpf_registry_ringbuf_consume(struct bpf_registry *r, uint32_t id, const char *map,
                                 void *buf, uint32_t cap);

#ifdef __cplusplus
}
#endif
