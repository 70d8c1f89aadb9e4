/* SPDX-License-Identifier: MIT */
/* What the user-fs test's kernel side (main.c) and its processes share. */
#pragma once

#include <stdint.h>

/* The kernel sends each process, through a queue it finds by type, the
 * address of a kernel canary the process then passes as a buffer: every
 * such call must be refused (-EFAULT) and the canary stay as it is. */
#define USER_FS_CANARY 0xc0ffee11u
#define USER_FS_CANARY_WORDS 16

struct user_fs_note {
    uint32_t canary_addr; /* kernel RAM */
    uint32_t text_addr;   /* kernel text */
};

/* What fs_user leaves in the tree, which main.c checks. */
#define USER_FS_TEXT "line 1: 42\nline 2: hello\n"
