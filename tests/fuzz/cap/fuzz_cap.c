/* SPDX-License-Identifier: MIT */
/* libFuzzer target: kernel/proc/cap.c driven by the model of
 * tests/unit/cap/cap_model.h, the same operations and checks as ctest
 * unit.cap.model, from fuzz bytes: the first byte sets the processes'
 * quota (0 to 7 semaphores), then every CAP_MODEL_OP_BYTES bytes are one
 * operation; both processes end at the end of the input. A difference
 * from the model, a kernel lock left held or a revoke left open aborts
 * with the step and what differed. The kernel around cap.c is
 * kernel_fake.c: no threads, so nothing here blocks or wakes. */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include <pica/sem.h>

#include "cap.h"
#include "cap_model.h"
#include "kernel_fake.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct cap_model model;

static void
check(const char *why)
{
    if (why == NULL && !kernel_fake_is_quiet()) {
        why = "the kernel lock or a no-kill section left open";
    }
    if (why != NULL) {
        fprintf(stderr, "fuzz_cap: %s\n", why);
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size == 0) {
        return 0;
    }
    cap_model_init(&model, (data[0] % 8u) * cap_obj_charge(sizeof(struct pica_sem)));
    for (size_t i = 1; i + CAP_MODEL_OP_BYTES <= size; i += CAP_MODEL_OP_BYTES) {
        check(cap_model_step(&model, data + i));
    }
    check(cap_model_finish(&model));
    return 0;
}
