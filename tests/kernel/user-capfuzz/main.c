/* SPDX-License-Identifier: MIT */
/* Random capability operations from two processes, checked against a
 * model (qemu.user-capfuzz). The workers A and B (worker.c) each call a
 * command endpoint the kernel gave them in slot CF_CMD; this thread holds
 * both calls and answers one at a time with the next command. A fixed-seed
 * PRNG picks each step's operation, worker and arguments (ops.c): create
 * a semaphore, endpoint or notification; copy, mint, move, delete, revoke
 * a slot; read a slot's info and badge; pass capabilities from one worker
 * to the other through the endpoint both hold in slot CF_PEER; take a
 * kernel object; or exit and start again. Errors are drawn on purpose.
 * Slots below CF_FIXED (the two endpoints and the mutex the SDK makes for
 * its malloc lock) are never deleted or moved, but may be copied, passed
 * and revoked.
 * Every result must be the model's (model.c), and after every step both
 * slot tables, their derivation lists and the quotas must be the model's
 * (model_check.c). At the end both workers exit: no quota is left and the
 * heap is as it was. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <pica/heap.h>
#include <pica/ipc.h>
#include <pica/mutex.h>
#include <pica/pica.h>
#include <pica/proc.h>

#include "capfuzz.h"
#include "fuzz.h"

#define STEPS 2000
#define SEED 0x2545F491u

static struct fuzz fuzz;

static const char *const op_names[FUZZ_OPS] = {
    "sem", "ep", "ntfn", "copy", "mint", "move", "delete", "revoke", "query", "pass", "give", "end",
};
static const char *const err_names[FUZZ_ERRS] = {
    "EBADF", "EPERM", "EINVAL", "EEXIST", "ENOSPC", "ENOMEM", "EAGAIN", "other",
};

/* The refusals the run must have reached: the error cases it exists for. */
static const struct {
    uint8_t op, err;
} wanted[] = {
    {FUZZ_SEM, ERR_NOMEM},    {FUZZ_COPY, ERR_BADF},   {FUZZ_COPY, ERR_PERM},
    {FUZZ_COPY, ERR_INVAL},   {FUZZ_COPY, ERR_EXIST},  {FUZZ_MINT, ERR_PERM},
    {FUZZ_MINT, ERR_INVAL},   {FUZZ_MOVE, ERR_BADF},   {FUZZ_MOVE, ERR_EXIST},
    {FUZZ_DELETE, ERR_BADF},  {FUZZ_REVOKE, ERR_BADF}, {FUZZ_PASS, ERR_BADF},
    {FUZZ_PASS, ERR_PERM},    {FUZZ_PASS, ERR_INVAL},  {FUZZ_PASS, ERR_EXIST},
    {FUZZ_PASS, ERR_NOSPC},   {FUZZ_PASS, ERR_AGAIN},
};

uint32_t
fuzz_rand(struct fuzz *f)
{
    uint32_t x = f->rng; /* xorshift32 */
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    f->rng = x;
    return x;
}

static unsigned
checks(const struct fuzz *f)
{
    return f->model.checks + f->results;
}

void
fuzz_mismatch(struct fuzz *f, const char *fmt, ...)
{
    printf("user-capfuzz: MISMATCH at step %u (%s): ", f->step, f->op);
    va_list ap;
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    printf("\nuser-capfuzz: %u steps, %u checks, 1 mismatches\n", f->step, checks(f));
    pica_exit(1);
}

void
fuzz_cmd(struct fuzz *f, unsigned x, const uint32_t w[4])
{
    struct pica_msg m = {.w = {w[0], w[1], w[2], w[3]}};
    int err = pica_ep_reply(&f->reply[x], &m);
    if (err != 0) {
        fuzz_mismatch(f, "%c: no call to answer (%d)", 'A' + x, err);
    }
}

void
fuzz_report(struct fuzz *f, unsigned x, uint32_t out[4])
{
    struct pica_msg m;
    memset(&m, 0, sizeof m);
    int err = pica_ep_recv(&f->cmd[x], &m, &f->reply[x], PICA_MS(2000));
    if (err != 0 || !(m.info & PICA_MSG_CALL)) {
        fuzz_mismatch(f, "%c: no outcome (%d, info %#lx)", 'A' + x, err, (unsigned long)m.info);
    }
    memcpy(out, m.w, sizeof m.w);
}

void
fuzz_run(struct fuzz *f, unsigned x, const uint32_t w[4], uint32_t out[4])
{
    fuzz_cmd(f, x, w);
    fuzz_report(f, x, out);
}

static enum fuzz_err
err_of(int err)
{
    switch (-err) {
    case EBADF:
        return ERR_BADF;
    case EPERM:
        return ERR_PERM;
    case EINVAL:
        return ERR_INVAL;
    case EEXIST:
        return ERR_EXIST;
    case ENOSPC:
        return ERR_NOSPC;
    case ENOMEM:
        return ERR_NOMEM;
    case EAGAIN:
        return ERR_AGAIN;
    default:
        return ERR_OTHER;
    }
}

void
fuzz_expect(struct fuzz *f, enum fuzz_op op, int got, int want)
{
    if (got != want) {
        fuzz_mismatch(f, "returned %d, model %d", got, want);
    }
    f->results++;
    if (got >= 0) {
        f->ok[op]++;
    } else {
        f->refused[op][err_of(got)]++;
    }
}

void
fuzz_same(struct fuzz *f, const char *what, uint32_t got, uint32_t want)
{
    if (got != want) {
        fuzz_mismatch(f, "%s %#lx, model %#lx", what, (unsigned long)got, (unsigned long)want);
    }
    f->results++;
}

void
fuzz_check(struct fuzz *f)
{
    if (model_check(&f->model) != 0) {
        fuzz_mismatch(f, "%s", f->model.why);
    }
}

void
fuzz_start(struct fuzz *f, unsigned x)
{
    struct pica_proc *p = f->model.procs[x];
    int got = pica_proc_give(p, PICA_CAP_EP, &f->cmd[x], PICA_RIGHT_WRITE);
    fuzz_same(f, "command slot", (uint32_t)got, CF_CMD);
    fuzz_same(f, "command slot (model)",
              (uint32_t)model_give(&f->model, x, f->cmd_obj[x], PICA_RIGHT_WRITE), CF_CMD);
    got = pica_proc_give(p, PICA_CAP_EP, &f->peer, PICA_RIGHTS_ALL);
    fuzz_same(f, "shared slot", (uint32_t)got, CF_PEER);
    fuzz_same(f, "shared slot (model)",
              (uint32_t)model_give(&f->model, x, f->peer_obj, PICA_RIGHTS_ALL), CF_PEER);
    int err = pica_proc_start(p);
    if (err != 0) {
        fuzz_mismatch(f, "%c: pica_proc_start: %d", 'A' + x, err);
    }
    uint32_t hello[4];
    fuzz_report(f, x, hello);
    /* Before user_main(), the SDK made its lock (user/lock.c). */
    int lock = model_create(&f->model, x, PICA_CAP_MUTEX,
                            cap_obj_charge(sizeof(struct pica_mutex)));
    fuzz_same(f, "lock slot (model)", (uint32_t)lock, CF_LOCK);
    if (model_created(&f->model, x, CF_LOCK, p->caps[CF_LOCK].obj) != 0) {
        fuzz_mismatch(f, "%c: the lock has the address of another live object", 'A' + x);
    }
}

void
fuzz_stop(struct fuzz *f, unsigned x)
{
    const struct pica_proc *p = f->model.procs[x];
    fuzz_cmd(f, x, (const uint32_t[4]){CF_W0(CF_EXIT, 0), 0, 0, 0});
    for (unsigned i = 0; i < 1000 && p->state == PICA_PROC_RUNNING; i++) {
        (void)pica_sleep(PICA_MS(1));
    }
    if (p->state != PICA_PROC_EXITED || p->exit_code != 0) {
        fuzz_mismatch(f, "%c: state %u, exit code %d", 'A' + x, p->state, p->exit_code);
    }
    model_end(&f->model, x);
}

static void
setup(struct fuzz *f, struct pica_proc *a, struct pica_proc *b)
{
    struct model *m = &f->model;
    model_init(m, a, b);
    for (unsigned x = 0; x < MODEL_PROCS; x++) {
        (void)pica_ep_init(&f->cmd[x]);
        pica_reply_init(&f->reply[x]);
        f->cmd_obj[x] = model_kernel_obj(m, &f->cmd[x], PICA_CAP_EP);
    }
    (void)pica_ep_init(&f->peer);
    (void)pica_ep_init(&f->spare_ep);
    (void)pica_sem_init(&f->sem, 0, 1);
    (void)pica_ntfn_init(&f->ntfn);
    f->peer_obj = model_kernel_obj(m, &f->peer, PICA_CAP_EP);
    f->spare_ep_obj = model_kernel_obj(m, &f->spare_ep, PICA_CAP_EP);
    f->sem_obj = model_kernel_obj(m, &f->sem, PICA_CAP_SEM);
    f->ntfn_obj = model_kernel_obj(m, &f->ntfn, PICA_CAP_NTFN);
    f->rng = SEED;
}

/* One line per operation: how many succeeded, how many were refused, why. */
static void
print_counts(const struct fuzz *f)
{
    for (unsigned op = 0; op < FUZZ_OPS; op++) {
        char line[160];
        unsigned refused = 0;
        for (unsigned e = 0; e < FUZZ_ERRS; e++) {
            refused += f->refused[op][e];
        }
        int n = snprintf(line, sizeof line, "user-capfuzz: %-6s %4u ok %4u refused", op_names[op],
                         f->ok[op], refused);
        for (unsigned e = 0; e < FUZZ_ERRS && n > 0 && (size_t)n < sizeof line; e++) {
            if (f->refused[op][e] != 0) {
                n += snprintf(line + n, sizeof line - (size_t)n, " %s %u", err_names[e],
                              f->refused[op][e]);
            }
        }
        puts(line);
    }
    printf("user-capfuzz: %u slots revoked, %u sends refused for a slot filled while the "
           "receiver waited\n",
           f->revoked, f->late);
    printf("user-capfuzz: privileged stack use A %lu, B %lu of %u bytes\n",
           (unsigned long)f->model.procs[0]->kstack_used_max,
           (unsigned long)f->model.procs[1]->kstack_used_max, (unsigned)PICA_CFG_SYSCALL_STACK);
}

/* Every operation succeeded, and every error case was reached. */
static unsigned
coverage_gaps(const struct fuzz *f)
{
    unsigned gaps = 0;
    for (unsigned op = 0; op < FUZZ_OPS; op++) {
        if (f->ok[op] == 0) {
            printf("user-capfuzz: FAIL %s never succeeded\n", op_names[op]);
            gaps++;
        }
    }
    for (unsigned i = 0; i < sizeof wanted / sizeof wanted[0]; i++) {
        if (f->refused[wanted[i].op][wanted[i].err] == 0) {
            printf("user-capfuzz: FAIL %s never refused with %s\n", op_names[wanted[i].op],
                   err_names[wanted[i].err]);
            gaps++;
        }
    }
    if (f->late == 0) {
        printf("user-capfuzz: FAIL no send refused for a slot filled meanwhile\n");
        gaps++;
    }
    return gaps;
}

/* Both workers exit; their quotas and the heap are back. */
static unsigned
finish(struct fuzz *f, const struct pica_heap_stats *before)
{
    for (unsigned x = 0; x < MODEL_PROCS; x++) {
        snprintf(f->op, sizeof f->op, "the end: %c exits", 'A' + x);
        fuzz_stop(f, x);
        fuzz_check(f);
    }
    unsigned failures = 0;
    for (unsigned x = 0; x < MODEL_PROCS; x++) {
        struct pica_proc *p = f->model.procs[x];
        if (p->quota_used != 0 || pica_proc_kill(p, 0) != -ESRCH) {
            printf("user-capfuzz: FAIL %c: quota %lu left, or still running\n", 'A' + x,
                   (unsigned long)p->quota_used);
            failures++;
        }
    }
    struct pica_heap_stats after;
    pica_heap_stats(&after);
    if (after.free_bytes != before->free_bytes) {
        printf("user-capfuzz: FAIL heap %lu bytes free before, %lu after\n",
               (unsigned long)before->free_bytes, (unsigned long)after.free_bytes);
        failures++;
    }
    return failures;
}

int
main(void)
{
    pica_idle_set_busy(true); /* deterministic under icount (qemu-facts) */
    struct fuzz *f = &fuzz;
    struct pica_proc *a = pica_proc_find("capfuzz_a");
    struct pica_proc *b = pica_proc_find("capfuzz_b");
    if (a == NULL || b == NULL) {
        printf("user-capfuzz: processes missing\n");
        pica_exit(1);
    }
    struct pica_heap_stats before;
    pica_heap_stats(&before);
    setup(f, a, b);
    snprintf(f->op, sizeof f->op, "the start");
    fuzz_start(f, 0);
    fuzz_start(f, 1);
    fuzz_check(f);
    for (f->step = 1; f->step <= STEPS; f->step++) {
        fuzz_step(f);
        fuzz_check(f);
    }
    f->step = STEPS;
    unsigned failures = finish(f, &before);
    print_counts(f);
    failures += coverage_gaps(f);
    printf("user-capfuzz: %u steps, %u checks, 0 mismatches (seed %#lx, %lu ms)\n", STEPS,
           checks(f), (unsigned long)SEED, (unsigned long)(pica_uptime_us() / 1000u));
    printf("user-capfuzz: %u failures\n", failures);
    pica_exit(failures == 0 ? 0 : 1);
}
