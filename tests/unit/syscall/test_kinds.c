/* SPDX-License-Identifier: MIT */
/* Every argument kind through a dispatch generated from kinds.def: strings
 * copied and bounded, two slots (holds ended whichever check fails),
 * NONE rights, both buffers in one call, a retired number and a gap, six
 * registers in order, a path left to its handler, optional handlers
 * present and absent, an in-buffer read in place. The handlers record what reached them. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <pica/event.h>
#include <pica/mutex.h>
#include <pica/proc.h>
#include <pica/sem.h>

#include "cap.h"
#include "core_test.h"
#include "fake_heap.h"
#include "syscall.h"
#include "syscall_handlers.h"
#include "uaccess.h"
#include "user_mem.h"

static struct pica_proc proc;
static struct user_mem mem;
static char seen[256];
static int handled;

int32_t
sys_none(void)
{
    handled++;
    return 7;
}

int32_t
sys_str(const char *name, uint32_t v)
{
    handled++;
    /* A kernel copy, not the user's string. */
    assert_true((uintptr_t)name < mem.ram || (uintptr_t)name >= mem.ram + USER_RAM_SIZE);
    snprintf(seen, sizeof seen, "%s/%u", name, v);
    return (int32_t)strlen(name);
}

int32_t
sys_two_slots(struct pica_sem *a, struct pica_event *b)
{
    handled++;
    return pica_sem_give(a) == 0 && pica_event_set(b, 1) == 0 ? 0 : -EIO;
}

int32_t
sys_any_rights(struct pica_mutex *m, const void *buf, uint32_t len, void *out, uint32_t out_len)
{
    handled++;
    (void)m;
    memcpy(out, buf, len < out_len ? len : out_len);
    return (int32_t)len;
}

int32_t
sys_six(uint32_t a, uint32_t b, uint32_t c, uint32_t d, uint32_t e, uint32_t f)
{
    handled++;
    snprintf(seen, sizeof seen, "%x %x %x %x %x %x", a, b, c, d, e, f);
    return 0;
}

/* A path reaches its handler as the user's address, copied there. */
int32_t
sys_path(uint32_t p, uint32_t v)
{
    handled++;
    char copy[PICA_SYSCALL_PATH_MAX];
    int n = uaccess_copy_str(&proc, copy, p, sizeof copy);
    if (n >= 0) {
        snprintf(seen, sizeof seen, "%s/%u", copy, v);
    }
    return n;
}

/* An in-buffer read in place reaches its handler as the user's memory,
 * however short: nothing was copied onto the kernel stack. */
int32_t
sys_inref(struct pica_sem *s, const void *buf, uint32_t len)
{
    handled++;
    (void)s;
    assert_true((uintptr_t)buf >= mem.text && (uintptr_t)buf - mem.text < USER_TEXT_SIZE);
    snprintf(seen, sizeof seen, "%.*s", (int)len, (const char *)buf);
    return (int32_t)len;
}

/* sys_absent is never defined: the dispatch answers -ENOSYS for it. */
int32_t
sys_present(uint32_t v)
{
    handled++;
    return (int32_t)v + 1;
}

static int32_t
call6(uint32_t nr, uint32_t a0, uint32_t a1, uint32_t a2, uint32_t a3, uint32_t a4, uint32_t a5)
{
    struct syscall_args args = {{a0, a1, a2, a3, a4, a5}, nr};
    return syscall_invoke(&proc, &args);
}

static int32_t
call(uint32_t nr, uint32_t a0, uint32_t a1)
{
    return call6(nr, a0, a1, 0, 0, 0, 0);
}

static void
boot(void)
{
    core_boot();
    mem = user_mem_setup(&proc, 4096);
    handled = 0;
}

static void
test_numbers(void **state)
{
    (void)state;
    boot();
    assert_int_equal(SYSCALL_COUNT, 11);
    assert_int_equal(call(0, 0, 0), 7);
    assert_int_equal(call(4, 0, 0), -ENOSYS); /* retired */
    assert_int_equal(call(5, 0, 0), -ENOSYS); /* never used */
    assert_int_equal(call(11, 0, 0), -ENOSYS);
    assert_int_equal(call(UINT32_MAX, 0, 0), -ENOSYS);
    assert_int_equal(call6(6, 1, 2, 3, 0xa, 0xb, 0xffffffffu), 0);
    assert_string_equal(seen, "1 2 3 a b ffffffff");
    assert_int_equal(handled, 2);
    assert_null(syscall_name(4));
    assert_string_equal(syscall_name(6), "six");
}

static void
test_strings(void **state)
{
    (void)state;
    boot();
    char *ram = user_ptr(mem.ram);
    strcpy(ram, "name");
    assert_int_equal(call(1, mem.ram, 42), 4);
    assert_string_equal(seen, "name/42");
    /* The longest that fits, NUL included, and one more. */
    memset(ram, 'x', PICA_SYSCALL_STR_MAX - 1);
    ram[PICA_SYSCALL_STR_MAX - 1] = '\0';
    assert_int_equal(call(1, mem.ram, 0), PICA_SYSCALL_STR_MAX - 1);
    ram[PICA_SYSCALL_STR_MAX - 1] = 'x';
    ram[PICA_SYSCALL_STR_MAX] = '\0';
    assert_int_equal(call(1, mem.ram, 0), -ENAMETOOLONG);
    assert_int_equal(call(1, mem.gap, 0), -EFAULT);
    assert_int_equal(call(1, 0, 0), -EFAULT);
    assert_int_equal(call(1, UINT32_MAX, 0), -EFAULT);
    /* Running into the end of RAM before its NUL. */
    memset(user_ptr(mem.ram + USER_RAM_SIZE - 4), 'y', 4);
    assert_int_equal(call(1, mem.ram + USER_RAM_SIZE - 4, 0), -EFAULT);
    assert_int_equal(handled, 2);
}

static void
test_paths_and_optional_handlers(void **state)
{
    (void)state;
    boot();
    char *ram = user_ptr(mem.ram);
    memset(ram, 'p', PICA_SYSCALL_PATH_MAX - 1);
    ram[0] = '/';
    ram[PICA_SYSCALL_PATH_MAX - 1] = '\0';
    assert_int_equal(call(7, mem.ram, 5), PICA_SYSCALL_PATH_MAX - 1);
    assert_int_equal(strlen(seen), PICA_SYSCALL_PATH_MAX - 1 + 2);
    ram[PICA_SYSCALL_PATH_MAX - 1] = 'p';
    ram[PICA_SYSCALL_PATH_MAX] = '\0';
    assert_int_equal(call(7, mem.ram, 5), -ENAMETOOLONG);
    assert_int_equal(call(7, mem.gap, 5), -EFAULT);
    assert_int_equal(handled, 3);
    /* Not linked: -ENOSYS before any argument is looked at. */
    assert_int_equal(call(8, mem.gap, 99), -ENOSYS);
    assert_int_equal(call(8, mem.ram, 0), -ENOSYS);
    assert_int_equal(call(9, 41, 0), 42);
    assert_int_equal(handled, 4);
    assert_string_equal(syscall_name(8), "absent");
}

static void
test_two_slots_and_holds(void **state)
{
    (void)state;
    boot();
    struct pica_sem *s = cap_obj_alloc(&proc, PICA_CAP_SEM, sizeof *s);
    struct pica_event *e = cap_obj_alloc(&proc, PICA_CAP_EVENT, sizeof *e);
    pica_sem_init(s, 0, 1);
    pica_event_init(e);
    int ss = cap_insert(&proc, PICA_CAP_SEM, s, PICA_RIGHTS_ALL, true);
    int es = cap_insert(&proc, PICA_CAP_EVENT, e, PICA_RIGHTS_ALL, true);
    int e_w = cap_insert(&proc, PICA_CAP_EVENT, e, PICA_RIGHT_WRITE, false);
    int s_w = cap_insert(&proc, PICA_CAP_SEM, s, PICA_RIGHT_WRITE, false);
    assert_int_equal(call(2, (uint32_t)ss, (uint32_t)es), 0);
    assert_int_equal(pica_sem_count(s), 1);
    assert_int_equal(pica_event_get(e), 1);
    assert_int_equal(call(2, (uint32_t)ss, (uint32_t)e_w), -EPERM); /* no GRANT */
    assert_int_equal(call(2, (uint32_t)s_w, (uint32_t)es), -EPERM); /* no READ */
    assert_int_equal(call(2, (uint32_t)es, (uint32_t)ss), -EBADF);  /* swapped */
    assert_int_equal(call(2, (uint32_t)ss, 31), -EBADF);
    assert_int_equal(handled, 1);
    /* Every failed second check ended the first hold: delete frees at once. */
    assert_int_equal(cap_delete(&proc, (uint32_t)ss), 0);
    assert_int_equal(cap_delete(&proc, (uint32_t)es), 0);
    assert_int_equal(fake_heap_live(), 0);
    cap_release_all(&proc);
}

static void
test_buffers_and_no_rights(void **state)
{
    (void)state;
    boot();
    struct pica_mutex m;
    pica_mutex_init(&m);
    int ms = cap_insert(&proc, PICA_CAP_MUTEX, &m, 0, false);
    memcpy(user_ptr(mem.text), "0123456789", 10);
    assert_int_equal(call6(3, (uint32_t)ms, mem.text, 10, mem.ram, 10, 0), 10);
    assert_memory_equal(user_ptr(mem.ram), "0123456789", 10);
    /* Out-buffer in text: refused; in-buffer wrapping: refused. */
    assert_int_equal(call6(3, (uint32_t)ms, mem.ram, 10, mem.text, 10, 0), -EFAULT);
    assert_int_equal(call6(3, (uint32_t)ms, mem.ram, UINT32_MAX, mem.ram, 10, 0), -EFAULT);
    assert_int_equal(call6(3, (uint32_t)ms, mem.ram, 0, mem.gap, 0, 0), -EFAULT);
    /* Slot first, left to right: a bad slot hides bad buffers. */
    assert_int_equal(call6(3, 9, mem.gap, 10, mem.gap, 10, 0), -EBADF);
    assert_int_equal(handled, 1);
    cap_release_all(&proc);
}

static void
test_buffers_read_in_place(void **state)
{
    (void)state;
    boot();
    struct pica_sem s;
    pica_sem_init(&s, 0, 1);
    int ss = cap_insert(&proc, PICA_CAP_SEM, &s, PICA_RIGHT_READ, false);
    memcpy(user_ptr(mem.text), "abc", 3);
    assert_int_equal(call6(10, (uint32_t)ss, mem.text, 3, 0, 0, 0), 3);
    assert_string_equal(seen, "abc");
    /* Checked as an in-buffer: outside every region, wrapping, a bad slot. */
    assert_int_equal(call6(10, (uint32_t)ss, mem.gap, 3, 0, 0, 0), -EFAULT);
    assert_int_equal(call6(10, (uint32_t)ss, mem.text, UINT32_MAX, 0, 0, 0), -EFAULT);
    assert_int_equal(call6(10, 9, mem.text, 3, 0, 0, 0), -EBADF);
    assert_int_equal(handled, 1);
    cap_release_all(&proc);
}

static const struct core_test tests[] = {
    CORE_TEST(test_numbers),
    CORE_TEST(test_strings),
    CORE_TEST(test_paths_and_optional_handlers),
    CORE_TEST(test_two_slots_and_holds),
    CORE_TEST(test_buffers_and_no_rights),
    CORE_TEST(test_buffers_read_in_place),
};

CORE_TEST_MAIN(tests)
