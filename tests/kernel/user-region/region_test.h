/* SPDX-License-Identifier: MIT */
/* What the user-region test's kernel side and processes agree on. */
#pragma once

#define EP_SLOT 0 /* both: the endpoint (own receives, peer calls) */

enum region_test_op {
    OP_GET_RO = 1, /* answer with a read-only copy of the shared region: w[1] its address */
    OP_GET_RW,     /* answer with the read-write one */
    OP_CHECK,      /* answer with the shared region's first byte (w[1]) */
    OP_REVOKE,     /* revoke every copy given out: w[1] how many */
    OP_GET_SMALL,  /* answer with the next of four small regions */
    OP_DONE,       /* answer with the owner's failures (w[1]) and end */
};

#define SHARED_SIZE 256u
#define PATTERN(i) ((uint8_t)(0x5a ^ (i)))
