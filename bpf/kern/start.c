/* SPDX-License-Identifier: MIT */
/* eBPF in the kernel, put together: the registry over the kernel heap and
 * hooks, the lock that orders its users, and pica_bpf_start(). */
#include "bpf_kern_priv.h"

#include <errno.h>
#include <pica/board.h>
#include <pica/heap.h>
#include <pica/mutex.h>
#include <stdio.h>
#include <string.h>

static struct bpf_registry registry;
static struct pica_mutex registry_lock;
static bool started;

static const struct bpf_registry_env registry_env = {
    .alloc = pica_malloc,
    .free = pica_free,
    .lock = kern_runs_exclude,
    .unlock = kern_runs_allow,
    .hooks = kern_hook_table,
    .nhooks = KERN_HOOKS,
    .helpers = kern_helpers,
    .nhelpers = 0, /* set at start, once the table is filled */
    .max_object = PICA_CFG_BPF_MAX_OBJECT,
    .max_mem = PICA_CFG_BPF_MAX_MEM,
    .max_overruns = PICA_CFG_BPF_MAX_OVERRUNS,
    .attached = kern_attached,
};
static struct bpf_registry_env env;

struct bpf_registry *
pica_bpf_registry(void)
{
    return &registry;
}

void
pica_bpf_lock(void)
{
    (void)pica_mutex_lock(&registry_lock, PICA_FOREVER);
}

void
pica_bpf_unlock(void)
{
    (void)pica_mutex_unlock(&registry_lock);
}

int
pica_bpf_load(const struct bpf_load_req *req, struct bpf_load_err *err)
{
    if (!started || req == NULL || err == NULL) {
        return -EINVAL;
    }
    struct bpf_load_req r = *req;
    /* "irq:console" names the console's receive line, whatever the board. */
    char spec[16];
    if (r.hook != NULL && strcmp(r.hook, "irq:console") == 0) {
        snprintf(spec, sizeof(spec), "irq:%u", board_info()->console_irq);
        r.hook = spec;
    }
    uint32_t arg;
    int idx = bpf_hook_parse(kern_hook_table, KERN_HOOKS, r.hook, &arg);
    if (idx == KERN_HOOK_TIMER && kern_timers_free() == 0) {
        err->code = -ENOSPC;
        strcpy(err->msg, "every timer hook slot is taken");
        return -ENOSPC;
    }
    pica_bpf_lock();
    int id = bpf_registry_load(&registry, &r, err);
    pica_bpf_unlock();
    return id;
}

int
pica_bpf_unload(uint32_t id)
{
    pica_bpf_lock();
    int err = bpf_registry_unload(&registry, id, 0);
    pica_bpf_unlock();
    return err;
}

int
pica_bpf_start(void)
{
    if (started) {
        return -EALREADY;
    }
    int err = kern_helpers_init();
    if (err == 0) {
        err = pica_mutex_init(&registry_lock);
    }
    if (err == 0) {
        err = kern_hooks_init();
    }
    if (err != 0) {
        return err;
    }
    env = registry_env;
    env.nhelpers = kern_helpers_count;
    bpf_registry_init(&registry, &env);
    started = true;
    return kern_ctl_start();
}
