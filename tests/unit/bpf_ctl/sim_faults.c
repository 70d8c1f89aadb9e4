/* SPDX-License-Identifier: MIT */
/* Line faults for the simulated board (sim_faults.h). */
#include "sim_faults.h"

#include <string.h>

void
sim_faults_init(struct sim_faults *f, unsigned kinds, double rate, uint64_t seed)
{
    f->kinds = kinds;
    f->rate = rate;
    f->rng = seed * 0x9E3779B97F4A7C15ull + 1; /* never 0: xorshift would stay there */
    f->hits = 0;
}

static uint64_t
next_random(struct sim_faults *f)
{
    f->rng ^= f->rng >> 12;
    f->rng ^= f->rng << 25;
    f->rng ^= f->rng >> 27;
    return f->rng * 0x2545F4914F6CDD1Dull;
}

int
sim_faults_parse(const char *text, unsigned *kinds)
{
    static const struct {
        const char *name;
        unsigned kind;
    } names[] = {
        { "drop", SIM_FAULT_DROP }, { "dup", SIM_FAULT_DUP }, { "corrupt", SIM_FAULT_CORRUPT },
        { "reorder", SIM_FAULT_REORDER }, { "all", SIM_FAULT_ALL }, { "none", 0 },
    };
    *kinds = 0;
    while (*text != '\0') {
        size_t len = strcspn(text, ",");
        unsigned i = 0;
        while (i < sizeof names / sizeof names[0] &&
               (strlen(names[i].name) != len || strncmp(names[i].name, text, len) != 0)) {
            i++;
        }
        if (i == sizeof names / sizeof names[0]) {
            return -1;
        }
        *kinds |= names[i].kind;
        text += len + (text[len] == ',');
    }
    return 0;
}

/* The kind that hits this byte, or 0. */
static unsigned
pick(struct sim_faults *f)
{
    if (f->kinds == 0 || (double)(next_random(f) >> 11) / 9007199254740992.0 >= f->rate) {
        return 0;
    }
    for (;;) {
        unsigned kind = 1u << (next_random(f) % 4);
        if (f->kinds & kind) {
            f->hits++;
            return kind;
        }
    }
}

size_t
sim_faults_apply(struct sim_faults *f, const uint8_t *in, size_t n, uint8_t *out)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned kind = pick(f);
        if (kind == SIM_FAULT_DROP) {
            continue;
        }
        if (kind == SIM_FAULT_REORDER && i + 1 < n) { /* the last byte has no partner */
            out[o++] = in[i + 1];
            out[o++] = in[i];
            i++;
            continue;
        }
        uint8_t b = in[i];
        if (kind == SIM_FAULT_CORRUPT) {
            b ^= (uint8_t)(1u << (next_random(f) % 8));
        }
        if (kind == SIM_FAULT_DUP) {
            out[o++] = b;
        }
        out[o++] = b;
    }
    return o;
}
