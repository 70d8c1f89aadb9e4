/* SPDX-License-Identifier: MIT */
/* The standard helpers (Linux numbering): map lookup/update/delete, ring-buffer
 * output, time, trace print and a pseudo-random number; bpf_helpers_std[] lists them
 * and bpf_helper_find() looks an id up in any table. Every pointer a program passes
 * is checked with bpf_vm_mem() (vm.c) before use; errors return as negative errno in r0.
 * Helpers that change a map (BPF_HELPER_WRITES_MAP) return -EPERM for a map that is
 * read-only to programs; the verifier refuses such calls when it can see the map.
 */
#include "bpf_impl.h"

#include <errno.h>

#define TRACE_MAX 128u

int
bpf_helper_find(const struct bpf_helper *h, unsigned n, uint32_t id)
{
    for (unsigned k = 0; k < n; k++) {
        if (h[k].id == id && h[k].fn != NULL) {
            return (int)k;
        }
    }
    return -1;
}

bool
bpf_helper_allowed(const uint32_t *allowed, unsigned n, uint32_t id)
{
    if (allowed == NULL) {
        return true;
    }
    for (unsigned k = 0; k < n; k++) {
        if (allowed[k] == id) {
            return true;
        }
    }
    return false;
}

static uint64_t
err_ret(int e)
{
    return (uint64_t)(int64_t)e;
}

/* The map in @handle if the program may change it: NULL with *err set otherwise. */
static struct bpf_map *
map_to_write(struct bpf_vm *vm, uint64_t handle, int *err)
{
    struct bpf_map *m = bpf_vm_map(vm, handle);
    *err = -EINVAL;
    if (m != NULL && (m->def.flags & BPF_F_RDONLY_PROG)) {
        *err = -EPERM;
        return NULL;
    }
    return m;
}

static uint64_t
h_map_lookup(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t r3, uint64_t r4,
             uint64_t r5)
{
    (void)r3, (void)r4, (void)r5;
    struct bpf_map *m = bpf_vm_map(vm, map);
    const void *k = m ? bpf_vm_mem(vm, key, m->def.key_size, BPF_REGION_READ) : NULL;
    return k ? (uint64_t)(uintptr_t)bpf_map_lookup(m, k) : 0;
}

static uint64_t
h_map_update(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t value, uint64_t flags,
             uint64_t r5)
{
    (void)r5;
    int err;
    struct bpf_map *m = map_to_write(vm, map, &err);
    if (m == NULL || m->def.type == BPF_MAP_TYPE_RINGBUF) {
        return err_ret(m == NULL ? err : -EINVAL);
    }
    const void *k = bpf_vm_mem(vm, key, m->def.key_size, BPF_REGION_READ);
    const void *v = bpf_vm_mem(vm, value, m->def.value_size, BPF_REGION_READ);
    if (k == NULL || v == NULL) {
        return err_ret(-EFAULT);
    }
    return err_ret(bpf_map_update(m, k, v, flags));
}

static uint64_t
h_map_delete(struct bpf_vm *vm, uint64_t map, uint64_t key, uint64_t r3, uint64_t r4,
             uint64_t r5)
{
    (void)r3, (void)r4, (void)r5;
    int err;
    struct bpf_map *m = map_to_write(vm, map, &err);
    if (m == NULL || m->def.type == BPF_MAP_TYPE_RINGBUF) {
        return err_ret(m == NULL ? err : -EINVAL);
    }
    const void *k = bpf_vm_mem(vm, key, m->def.key_size, BPF_REGION_READ);
    return k ? err_ret(bpf_map_delete(m, k)) : err_ret(-EFAULT);
}

static uint64_t
h_ktime(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
    const struct bpf_exec *x = bpf_vm_exec(vm);
    return x->hooks && x->hooks->time_ns ? x->hooks->time_ns(x->user) : 0;
}

static uint64_t
h_random(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
    const struct bpf_exec *x = bpf_vm_exec(vm);
    if (x->hooks && x->hooks->random_u32) {
        return x->hooks->random_u32(x->user);
    }
    /* xorshift32 fallback: not for secrets; the embedder should set the hook */
    static uint32_t state = 2463534242u;
    uint32_t s = state;
    s ^= s << 13;
    s ^= s >> 17;
    s ^= s << 5;
    state = s;
    return s;
}

static uint64_t
h_ringbuf_output(struct bpf_vm *vm, uint64_t map, uint64_t data, uint64_t size, uint64_t flags,
                 uint64_t r5)
{
    (void)flags, (void)r5;
    int err;
    struct bpf_map *m = map_to_write(vm, map, &err);
    if (m == NULL || m->def.type != BPF_MAP_TYPE_RINGBUF || size > UINT32_MAX) {
        return err_ret(m == NULL ? err : -EINVAL);
    }
    const void *p = size ? bpf_vm_mem(vm, data, size, BPF_REGION_READ) : NULL;
    if (size && p == NULL) {
        return err_ret(-EFAULT);
    }
    return err_ret(bpf_ringbuf_output(m, p, (uint32_t)size));
}

/* One conversion of trace_printk: @spec points after '%'; returns chars consumed. */
static unsigned
trace_conv(struct bpf_vm *vm, struct bpf_fmt *f, const char *spec, size_t left, uint64_t arg)
{
    unsigned n = 0;
    while (n < left && spec[n] == 'l') {
        n++;
    }
    char c = n < left ? spec[n] : '\0';
    bool wide = n > 0;
    switch (c) {
    case 'd':
    case 'i':
        bpf_fmt_dec(f, wide ? (int64_t)arg : (int64_t)(int32_t)arg);
        break;
    case 'u':
        bpf_fmt_udec(f, wide ? arg : (uint32_t)arg);
        break;
    case 'x':
        bpf_fmt_hex(f, wide ? arg : (uint32_t)arg, 1);
        break;
    case 'p':
        bpf_fmt_str(f, "0x");
        bpf_fmt_hex(f, arg, 1);
        break;
    case 'c':
        bpf_fmt_chr(f, (char)arg);
        break;
    case 's':
        for (unsigned k = 0; k < TRACE_MAX; k++) {
            const char *ch = bpf_vm_mem(vm, arg + k, 1, BPF_REGION_READ);
            if (ch == NULL || *ch == '\0') {
                break;
            }
            bpf_fmt_chr(f, *ch);
        }
        break;
    default:
        bpf_fmt_chr(f, '?');
        return n < left ? n + 1 : n;
    }
    return n + 1;
}

static uint64_t
h_trace_printk(struct bpf_vm *vm, uint64_t fmt, uint64_t fmt_size, uint64_t a1, uint64_t a2,
               uint64_t a3)
{
    const char *s = fmt_size ? bpf_vm_mem(vm, fmt, fmt_size, BPF_REGION_READ) : NULL;
    if (s == NULL) {
        return err_ret(-EFAULT);
    }
    char out[TRACE_MAX];
    struct bpf_fmt f;
    uint64_t args[3] = { a1, a2, a3 };
    unsigned used = 0;
    bpf_fmt_init(&f, out, sizeof(out));
    for (size_t k = 0; k < fmt_size && s[k] != '\0'; k++) {
        if (s[k] != '%' || k + 1 >= fmt_size) {
            bpf_fmt_chr(&f, s[k]);
        } else if (s[k + 1] == '%') {
            bpf_fmt_chr(&f, '%');
            k++;
        } else {
            uint64_t arg = used < 3 ? args[used] : 0;
            used++;
            k += trace_conv(vm, &f, &s[k + 1], fmt_size - k - 1, arg);
        }
    }
    const struct bpf_exec *x = bpf_vm_exec(vm);
    size_t len = f.len < sizeof(out) ? f.len : sizeof(out) - 1;
    if (x->hooks && x->hooks->trace) {
        x->hooks->trace(x->user, out, len);
    }
    return len;
}

const struct bpf_helper bpf_helpers_std[] = {
    { BPF_FUNC_map_lookup_elem, 2, "map_lookup_elem", h_map_lookup, 0 },
    { BPF_FUNC_map_update_elem, 4, "map_update_elem", h_map_update, BPF_HELPER_WRITES_MAP },
    { BPF_FUNC_map_delete_elem, 2, "map_delete_elem", h_map_delete, BPF_HELPER_WRITES_MAP },
    { BPF_FUNC_ktime_get_ns, 0, "ktime_get_ns", h_ktime, 0 },
    { BPF_FUNC_trace_printk, 2, "trace_printk", h_trace_printk, 0 },
    { BPF_FUNC_get_prandom_u32, 0, "get_prandom_u32", h_random, 0 },
    { BPF_FUNC_ringbuf_output, 4, "ringbuf_output", h_ringbuf_output, BPF_HELPER_WRITES_MAP },
};

const unsigned bpf_helpers_std_count = sizeof(bpf_helpers_std) / sizeof(bpf_helpers_std[0]);
