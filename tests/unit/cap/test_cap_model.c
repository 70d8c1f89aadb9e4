/* SPDX-License-Identifier: MIT */
/* Capability slots (kernel/proc/cap.c) against a model (cap_model.h): random
 * inserts, copies, mints, moves, deletes, revokes, transfers and process
 * ends in two processes from fixed seeds, every slot, children list, quota
 * and owned object compared after every step. A failure names the seed
 * and the step; replay it with that seed alone. */
#include <stdio.h>
#include <string.h>

#include <pica/sem.h>

#include "cap.h"
#include "cap_model.h"
#include "core_test.h"
#include "fake_heap.h"

#define STEPS_PER_SEED 4000u

static const uint32_t seeds[] = {1, 2, 3, 42, 1234, 0xC0FFEEu, 0xDEADBEEFu, 20240601u};

static struct cap_model model;
static uint64_t rng;
static const char *failed;
static uint32_t failed_seed;
static unsigned steps_run;
static unsigned done[CAP_MODEL_KINDS];
static unsigned revoked, destroyed, refused;

/* splitmix64: any seed gives a full-period stream. */
static uint64_t
rng_next(void)
{
    uint64_t z = (rng += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static const char *
run_seed(uint32_t seed)
{
    rng = seed;
    /* Room for 2 to 9 semaphores: quota refusals come up too. */
    uint32_t quota = (2u + seed % 8u) * cap_obj_charge(sizeof(struct pica_sem));
    cap_model_init(&model, quota);
    for (unsigned i = 0; i < STEPS_PER_SEED; i++) {
        uint64_t r = rng_next();
        uint8_t op[CAP_MODEL_OP_BYTES];
        memcpy(op, &r, sizeof op);
        const char *why = cap_model_step(&model, op);
        steps_run++;
        if (why != NULL) {
            return why;
        }
    }
    const char *why = cap_model_finish(&model);
    for (unsigned k = 0; k < CAP_MODEL_KINDS; k++) {
        done[k] += model.done[k];
    }
    revoked += model.revoked;
    destroyed += model.destroyed;
    refused += model.refused;
    return why;
}

static void
model_thread(void *arg)
{
    (void)arg;
    for (unsigned i = 0; i < sizeof seeds / sizeof seeds[0] && failed == NULL; i++) {
        failed_seed = seeds[i];
        failed = run_seed(seeds[i]);
    }
}

static void
test_random_operations_match_the_model(void **state)
{
    (void)state;
    core_boot();
    core_spawn("model", model_thread, NULL, 10);
    assert_int_equal(fake_run(UINT64_MAX), FAKE_IDLE_FOREVER);
    if (failed != NULL) {
        fail_msg("seed %#x: %s", (unsigned)failed_seed, failed);
    }
    printf("%u steps: %u inserts, %u copies, %u mints, %u moves, %u deletes, %u revokes "
           "(%u slots), %u transfers, %u ends, %u refused; %u objects destroyed\n",
           steps_run, done[CAP_MODEL_INSERT], done[CAP_MODEL_COPY], done[CAP_MODEL_MINT],
           done[CAP_MODEL_MOVE], done[CAP_MODEL_DELETE], done[CAP_MODEL_REVOKE], revoked,
           done[CAP_MODEL_TRANSFER], done[CAP_MODEL_END], refused, destroyed);
    assert_true(steps_run >= 20000);
    /* The run reached every kind of operation, and deep enough trees. */
    for (unsigned k = 0; k < CAP_MODEL_KINDS; k++) {
        assert_true(done[k] >= 20);
    }
    assert_true(revoked >= 500);
    assert_true(destroyed >= 100);
    assert_true(refused >= 1000);
    assert_int_equal(fake_heap_live(), 0);
}

static const struct core_test tests[] = {
    CORE_TEST(test_random_operations_match_the_model),
};

CORE_TEST_MAIN(tests)
