/* SPDX-License-Identifier: MIT */
/* picolibc's locks in a process. The only lock picolibc's malloc takes is
 * its recursive __lock___libc_recursive_mutex: here one mutex of the
 * process (a slot), with the owner and depth kept in user memory, so
 * threads of one process can allocate at once. Locks picolibc would make
 * at run time are not used by the parts a process links; they are no-ops.
 * Every retargetable lock call is defined here, so the C library's default
 * (no locking) is never linked in beside it. */
#include <stdint.h>
#include <sys/lock.h>

#include "sdk.h"

struct __lock {
    int slot;        /* the mutex; negative: none (then no locking) */
    void *owner;     /* the owner's thread pointer */
    unsigned depth;
};

struct __lock __lock___libc_recursive_mutex = {.slot = -1};

void
user_lock_init(void)
{
    __lock___libc_recursive_mutex.slot = pica_sys_mutex_create();
}

void
__retarget_lock_acquire_recursive(_LOCK_T lock)
{
    if (lock == NULL || lock->slot < 0) {
        return;
    }
    void *self = __builtin_thread_pointer();
    if (lock->owner == self) {
        lock->depth++;
        return;
    }
    while (pica_sys_mutex_lock(lock->slot, SYS_FOREVER) != 0) {
    }
    lock->owner = self;
    lock->depth = 1;
}

void
__retarget_lock_release_recursive(_LOCK_T lock)
{
    if (lock == NULL || lock->slot < 0 || lock->owner != __builtin_thread_pointer()) {
        return;
    }
    if (--lock->depth == 0) {
        lock->owner = NULL;
        (void)pica_sys_mutex_unlock(lock->slot);
    }
}

int
__retarget_lock_try_acquire_recursive(_LOCK_T lock)
{
    __retarget_lock_acquire_recursive(lock);
    return 1;
}

void
__retarget_lock_acquire(_LOCK_T lock)
{
    __retarget_lock_acquire_recursive(lock);
}

void
__retarget_lock_release(_LOCK_T lock)
{
    __retarget_lock_release_recursive(lock);
}

int
__retarget_lock_try_acquire(_LOCK_T lock)
{
    return __retarget_lock_try_acquire_recursive(lock);
}

void
__retarget_lock_init(_LOCK_T *lock)
{
    *lock = NULL;
}

void
__retarget_lock_init_recursive(_LOCK_T *lock)
{
    *lock = NULL;
}

void
__retarget_lock_close(_LOCK_T lock)
{
    (void)lock;
}

void
__retarget_lock_close_recursive(_LOCK_T lock)
{
    (void)lock;
}
