/* SPDX-License-Identifier: MIT */
/* User pointer checks (lib/uaccess.h). Ends are computed in 64 bits, so
 * no sum can wrap: a range past 4 GB simply lies in no region. */
#include "uaccess.h"

#include <errno.h>
#include <pica/proc.h>

#include "region.h"

bool
proc_access_ok(const struct pica_proc *p, uint32_t ptr, uint32_t len, unsigned perms)
{
    uint64_t end = (uint64_t)ptr + len;
    unsigned n = p->nregions;
    if (n > sizeof(p->regions) / sizeof(p->regions[0])) {
        n = sizeof(p->regions) / sizeof(p->regions[0]);
    }
    for (unsigned i = 0; i < n; i++) {
        const struct pica_proc_region *r = &p->regions[i];
        uint64_t r_end = (uint64_t)r->base + r->len;
        if ((r->perms & perms) != perms || (r->perms & REGION_PRIV) != 0) {
            continue;
        }
        /* ptr < r_end too, so that an empty range is inside, not at the end. */
        if (ptr >= r->base && ptr < r_end && end <= r_end) {
            return true;
        }
    }
    return false;
}

int
uaccess_copy_str(const struct pica_proc *p, char *dst, uint32_t ptr, uint32_t size)
{
    if (size == 0) {
        return -ENAMETOOLONG;
    }
    for (uint32_t i = 0; i < size; i++) {
        if (i > UINT32_MAX - ptr || !proc_access_ok(p, ptr + i, 1, REGION_R)) {
            dst[i] = '\0';
            return -EFAULT;
        }
        /* Volatile: each byte once, as a sibling thread may change it. */
        char c = *(const volatile char *)(uintptr_t)(ptr + i);
        dst[i] = c;
        if (c == '\0') {
            return (int)i;
        }
    }
    dst[size - 1] = '\0';
    return -ENAMETOOLONG;
}
