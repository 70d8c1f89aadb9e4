/* SPDX-License-Identifier: MIT */
/* The helpers the kernel adds to the VM's standard set (bpf/helpers.c), and
 * the services the standard ones take: time from the kernel's clock,
 * randomness from a per-CPU generator, trace_printk into the log. Which
 * hook may call which helper is in hooks.c; every pointer a helper gets is
 * checked with bpf_vm_mem() first. */
#include "bpf_kern_priv.h"

#include <errno.h>
#include <pica/event.h>
#include <pica/gpio.h>
#include <pica/log.h>
#include <pica/thread.h>
#include <pica/time.h>
#include <string.h>

#include "arch.h"

PICA_LOG_MODULE(bpf);

#pragma weak pica_proc_count
#pragma weak pica_proc_at
#pragma weak pica_gpio_read
#pragma weak pica_gpio_write

#include <pica/proc.h>

static uint64_t
err_ret(int e)
{
    return (uint64_t)(int64_t)e;
}

uint32_t
kern_pid(const struct pica_proc *p)
{
    if (p == NULL || pica_proc_count == NULL) {
        return 0;
    }
    for (unsigned i = 0; i < pica_proc_count(); i++) {
        if (pica_proc_at(i) == p) {
            return i + 1u;
        }
    }
    return 0;
}

static uint64_t
h_smp_id(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
    return 0; /* one CPU */
}

/* The running thread: in a handler, the one it interrupted (as the event's
 * thread is, for a switch the outgoing one). */
static uint64_t
h_pid_tgid(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
    const struct pica_thread *t = pica_thread_self();
    return ((uint64_t)kern_pid(t->proc) << 32) | t->id;
}

static uint64_t
h_comm(struct bpf_vm *vm, uint64_t buf, uint64_t size, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)r3, (void)r4, (void)r5;
    char *dst = size > 0 && size <= 64 ? bpf_vm_mem(vm, buf, size, BPF_REGION_WRITE) : NULL;
    if (dst == NULL) {
        return err_ret(size == 0 || size > 64 ? -EINVAL : -EFAULT);
    }
    const char *name = pica_thread_self()->name;
    size_t n = strlen(name);
    n = n < size - 1 ? n : (size_t)size - 1;
    memcpy(dst, name, n);
    memset(dst + n, 0, (size_t)size - n);
    return 0;
}

static uint64_t
h_uptime_ms(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
    return kern_now_ns() / 1000000u;
}

/* Pins programs may touch: granted by the image (pica_bpf_grant_gpio). */
#define GPIO_GRANTS 32u
static unsigned gpio_pins[GPIO_GRANTS];
static unsigned gpio_count;

int
pica_bpf_grant_gpio(unsigned pin)
{
    unsigned key = arch_irq_lock();
    int err = gpio_count < GPIO_GRANTS ? 0 : -ENOSPC;
    if (err == 0) {
        gpio_pins[gpio_count++] = pin;
    }
    arch_irq_unlock(key);
    return err;
}

static bool
gpio_granted(uint64_t pin)
{
    for (unsigned i = 0; i < gpio_count; i++) {
        if (gpio_pins[i] == pin) {
            return pica_gpio_read != NULL;
        }
    }
    return false;
}

static uint64_t
h_gpio_get(struct bpf_vm *vm, uint64_t pin, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm, (void)r2, (void)r3, (void)r4, (void)r5;
    return gpio_granted(pin) ? err_ret(pica_gpio_read((unsigned)pin)) : err_ret(-EPERM);
}

static uint64_t
h_gpio_set(struct bpf_vm *vm, uint64_t pin, uint64_t value, uint64_t r3, uint64_t r4,
           uint64_t r5)
{
    (void)vm, (void)r3, (void)r4, (void)r5;
    if (!gpio_granted(pin) || pica_gpio_write == NULL) {
        return err_ret(-EPERM);
    }
    return err_ret(pica_gpio_write((unsigned)pin, value != 0));
}

static struct pica_event bpf_events;

struct pica_event *
pica_bpf_events(void)
{
    return &bpf_events;
}

static uint64_t
h_event_set(struct bpf_vm *vm, uint64_t bits, uint64_t r2, uint64_t r3, uint64_t r4,
            uint64_t r5)
{
    (void)vm, (void)r2, (void)r3, (void)r4, (void)r5;
    if (bits == 0 || bits > UINT32_MAX) {
        return err_ret(-EINVAL);
    }
    return err_ret(pica_event_set(&bpf_events, (uint32_t)bits));
}

#define KERN_OWN 7u
static const struct bpf_helper kern_own[KERN_OWN] = {
    {KERN_FUNC_get_smp_processor_id, 0, "get_smp_processor_id", h_smp_id, 0},
    {KERN_FUNC_get_current_pid_tgid, 0, "get_current_pid_tgid", h_pid_tgid, 0},
    {KERN_FUNC_get_current_comm, 2, "get_current_comm", h_comm, 0},
    {PICA_BPF_FUNC_uptime_ms, 0, "pica_uptime_ms", h_uptime_ms, 0},
    {PICA_BPF_FUNC_gpio_get, 1, "pica_gpio_get", h_gpio_get, 0},
    {PICA_BPF_FUNC_gpio_set, 2, "pica_gpio_set", h_gpio_set, 0},
    {PICA_BPF_FUNC_event_set, 1, "pica_event_set", h_event_set, 0},
};

#define KERN_HELPERS_MAX 24u
struct bpf_helper kern_helpers[KERN_HELPERS_MAX];
unsigned kern_helpers_count;

/* ---- services of the standard helpers ---- */

static uint64_t
svc_time_ns(void *user)
{
    (void)user;
    return kern_now_ns();
}

/* xorshift32, seeded from the clock at start; one CPU, and runs at one
 * level at a time per stack, so a plain word is its state. */
static uint32_t rng_state;

static uint32_t
svc_random(void *user)
{
    (void)user;
    uint32_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    rng_state = x;
    return x;
}

static void
svc_trace(void *user, const char *text, size_t len)
{
    (void)user;
    PICA_LOG_INF("%.*s", (int)len, text);
}

const struct bpf_hooks kern_services = {
    .time_ns = svc_time_ns,
    .random_u32 = svc_random,
    .trace = svc_trace,
};

int
kern_helpers_init(void)
{
    unsigned n = 0;
    for (unsigned i = 0; i < bpf_helpers_std_count && n < KERN_HELPERS_MAX; i++) {
        kern_helpers[n++] = bpf_helpers_std[i];
    }
    for (unsigned i = 0; i < KERN_OWN && n < KERN_HELPERS_MAX; i++) {
        kern_helpers[n++] = kern_own[i];
    }
    kern_helpers_count = n;
    rng_state = (uint32_t)pica_uptime_us() | 1u;
    return pica_event_init(&bpf_events);
}
