/* SPDX-License-Identifier: MIT */
/* The object system calls (kernel/proc/syscalls.def): semaphores, mutexes,
 * queues and event flags that user code creates, uses and deletes by slot,
 * and the slot calls cap_delete and cap_info. The generated decoder has
 * already resolved each slot to its object with the rights the .def names
 * and checked each buffer; what is left here is what only the call knows
 * (sizes, bits), checked before the object's function is called, so that
 * no user argument reaches a kernel check (PICA_CHECK). New objects come
 * from the caller's quota (kernel/proc/cap.c) and get every right. */
#include <errno.h>
#include <stdint.h>

#include <pica/event.h>
#include <pica/mutex.h>
#include <pica/proc.h>
#include <pica/queue.h>
#include <pica/sem.h>

#include "cap.h"
#include "proc_priv.h"
#include "region.h"
#include "syscall.h"
#include "syscall_handlers.h"

/* Put a new object the caller owns in a slot with every right, or free it. */
static int32_t
object_insert(struct pica_proc *p, enum pica_cap_type type, void *obj)
{
    return cap_insert_new(p, type, obj, PICA_RIGHTS_ALL);
}

int32_t
sys_cap_delete(uint32_t slot)
{
    return cap_delete(syscall_proc(), slot);
}

int32_t
sys_cap_info(uint32_t slot)
{
    return cap_info(syscall_proc(), slot);
}

int32_t
sys_sem_create(uint32_t initial, uint32_t max)
{
    if (max == 0 || max > INT32_MAX || initial > max) {
        return -EINVAL;
    }
    struct pica_proc *p = syscall_proc();
    struct pica_sem *s = cap_obj_alloc(p, PICA_CAP_SEM, sizeof *s);
    if (s == NULL) {
        return -ENOMEM;
    }
    (void)pica_sem_init(s, initial, max);
    return object_insert(p, PICA_CAP_SEM, s);
}

int32_t
sys_sem_take(struct pica_sem *sem, uint32_t timeout_us)
{
    return pica_sem_take(sem, syscall_timeout(timeout_us));
}

int32_t
sys_sem_give(struct pica_sem *sem)
{
    return pica_sem_give(sem);
}

int32_t
sys_mutex_create(void)
{
    struct pica_proc *p = syscall_proc();
    struct pica_mutex *m = cap_obj_alloc(p, PICA_CAP_MUTEX, sizeof *m);
    if (m == NULL) {
        return -ENOMEM;
    }
    (void)pica_mutex_init(m);
    return object_insert(p, PICA_CAP_MUTEX, m);
}

int32_t
sys_mutex_lock(struct pica_mutex *mutex, uint32_t timeout_us)
{
    return pica_mutex_lock(mutex, syscall_timeout(timeout_us));
}

int32_t
sys_mutex_unlock(struct pica_mutex *mutex)
{
    return pica_mutex_unlock(mutex);
}

int32_t
sys_queue_create(uint32_t item_size, uint32_t depth)
{
    if (item_size == 0 || depth == 0) {
        return -EINVAL;
    }
    /* The ring follows the queue in the same block. Sizes past the quota
     * (every quota is below 4 GB) fail below as -ENOMEM; here only what
     * would not fit in the arithmetic is refused. */
    uint64_t ring = (uint64_t)item_size * depth;
    if (ring > UINT32_MAX / 4) {
        return -ENOMEM;
    }
    struct pica_proc *p = syscall_proc();
    size_t head = (sizeof(struct pica_queue) + 7u) & ~(size_t)7u;
    struct pica_queue *q = cap_obj_alloc(p, PICA_CAP_QUEUE, head + (size_t)ring);
    if (q == NULL) {
        return -ENOMEM;
    }
    (void)pica_queue_init(q, (char *)q + head, item_size, depth);
    return object_insert(p, PICA_CAP_QUEUE, q);
}

int32_t
sys_queue_send(struct pica_queue *queue, const void *item, uint32_t len, uint32_t timeout_us)
{
    /* msg_size stays readable after a destroy (the object is held). */
    if (len != queue->msg_size) {
        return -EINVAL;
    }
    return pica_queue_send(queue, item, syscall_timeout(timeout_us));
}

int32_t
sys_queue_recv(struct pica_queue *queue, void *item, uint32_t len, uint32_t timeout_us)
{
    if (len != queue->msg_size) {
        return -EINVAL;
    }
    return pica_queue_recv(queue, item, syscall_timeout(timeout_us));
}

int32_t
sys_event_create(void)
{
    struct pica_proc *p = syscall_proc();
    struct pica_event *e = cap_obj_alloc(p, PICA_CAP_EVENT, sizeof *e);
    if (e == NULL) {
        return -ENOMEM;
    }
    (void)pica_event_init(e);
    return object_insert(p, PICA_CAP_EVENT, e);
}

static bool
event_bits_ok(uint32_t bits)
{
    return (bits & ~PICA_EV_BITS) == 0;
}

int32_t
sys_event_set(struct pica_event *event, uint32_t bits)
{
    if (bits == 0 || !event_bits_ok(bits)) {
        return -EINVAL;
    }
    return pica_event_set(event, bits);
}

int32_t
sys_event_clear(struct pica_event *event, uint32_t bits)
{
    if (!event_bits_ok(bits)) {
        return -EINVAL;
    }
    return pica_event_clear(event, bits);
}

int32_t
sys_event_wait(struct pica_event *event, uint32_t bits, uint32_t options, uint32_t timeout_us)
{
    if (bits == 0 || !event_bits_ok(bits) || (options & ~(PICA_EV_ALL | PICA_EV_CLEAR)) != 0) {
        return -EINVAL;
    }
    return pica_event_wait(event, bits, options, syscall_timeout(timeout_us));
}

int32_t
sys_cap_copy(uint32_t src, uint32_t dst, uint32_t rights)
{
    return cap_copy(syscall_proc(), src, dst, rights);
}

int32_t
sys_cap_mint(uint32_t src, uint32_t dst, uint32_t rights, uint32_t badge)
{
    return cap_mint(syscall_proc(), src, dst, rights, badge);
}

int32_t
sys_cap_move(uint32_t src, uint32_t dst)
{
    return cap_move(syscall_proc(), src, dst);
}

int32_t
sys_cap_revoke(uint32_t slot)
{
    uint32_t n = 0;
    int err = cap_revoke(syscall_proc(), slot, &n);
    return err < 0 ? err : (int32_t)n;
}

int32_t
sys_cap_badge(uint32_t slot)
{
    return cap_badge(syscall_proc(), slot);
}

int32_t
sys_region_create(uint32_t base, uint32_t len, uint32_t rights)
{
    struct pica_proc *p = syscall_proc();
    /* One MPU region or PMP entry in any process that maps it: a power of
     * two of at least 32 bytes, aligned to its size, in the caller's RAM. */
    const struct pica_proc_region *ram = &p->regions[1];
    if (len < 32u || (len & (len - 1u)) != 0 || (base & (len - 1u)) != 0 || base < ram->base ||
        len > ram->len || base - ram->base > ram->len - len ||
        (rights & ~PICA_RIGHTS_ALL) != 0 || !(rights & PICA_RIGHT_READ)) {
        return -EINVAL;
    }
    struct pica_proc_region *r = cap_obj_alloc(p, PICA_CAP_REGION, sizeof *r);
    if (r == NULL || proc_region_encode_ready() != 0) {
        cap_obj_free(r);
        return -ENOMEM;
    }
    *r = (struct pica_proc_region){base, len, REGION_R | REGION_W, NULL};
    return cap_insert_new(p, PICA_CAP_REGION, r, rights);
}
