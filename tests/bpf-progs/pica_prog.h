/* SPDX-License-Identifier: MIT */
/* Common header of the test and benchmark programs built with clang -target bpf.
 * It supplies the few kernel types libbpf's <bpf/bpf_helpers.h> expects, so the
 * programs read like Linux eBPF code without needing the kernel's UAPI headers.
 */
#pragma once

#include <pica/bpf_prog.h>

/* The legacy SEC("maps") layout. */
struct bpf_map_def_legacy {
    unsigned int type, key_size, value_size, max_entries, map_flags;
};
