/* SPDX-License-Identifier: MIT */
/* The kernel's main() in an image made by pica_add_user_app(): the kernel
 * starts the image's processes at boot by itself (kernel/proc/proc.c), so
 * there is nothing left to do here; returning ends only the main thread,
 * and the processes run on. Kernel code, not part of any process. */
#include <pica/pica.h>

int
main(void)
{
    return 0;
}
