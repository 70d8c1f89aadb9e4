/* SPDX-License-Identifier: MIT */
/* Host memory for a test process (user_mem.h). */
#define _GNU_SOURCE
#include "user_mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "region.h"

static struct pica_proc_image test_image;

struct user_mem
user_mem_setup(struct pica_proc *p, uint32_t quota)
{
    static char *base;
    if (base == NULL) {
        /* text, a page of gap, RAM, a page of gap, the grant */
        size_t size = USER_TEXT_SIZE + 0x1000u + USER_RAM_SIZE + 0x1000u + 0x1000u;
        base = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT,
                    -1, 0);
        if (base == MAP_FAILED || (uintptr_t)base + size > UINT32_MAX) {
            fprintf(stderr, "no memory below 4 GB for the test process\n");
            exit(1);
        }
    }
    struct user_mem m;
    m.text = (uint32_t)(uintptr_t)base;
    m.gap = m.text + USER_TEXT_SIZE + 0x800u;
    m.ram = m.text + USER_TEXT_SIZE + 0x1000u;
    m.grant = m.ram + USER_RAM_SIZE + 0x1000u;
    memset(p, 0, sizeof *p);
    memset(&test_image, 0, sizeof test_image);
    test_image.name = "test";
    test_image.obj_quota = quota;
    p->image = &test_image;
    p->state = PICA_PROC_RUNNING;
    p->regions[0] = (struct pica_proc_region){m.text, USER_TEXT_SIZE, REGION_R | REGION_X, NULL};
    p->regions[1] = (struct pica_proc_region){m.ram, USER_RAM_SIZE, REGION_R | REGION_W, NULL};
    p->regions[2] = (struct pica_proc_region){m.grant, USER_GRANT_SIZE, REGION_R, NULL};
    p->nregions = 3;
    return m;
}
