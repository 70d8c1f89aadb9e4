/* SPDX-License-Identifier: MIT */
/* Common header of the test and benchmark programs built with clang -target bpf.
 * It supplies the few kernel types libbpf's <bpf/bpf_helpers.h> expects, so the
 * programs read like Linux eBPF code without needing the kernel's UAPI headers.
 */
#pragma once

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef short __s16;
typedef int __s32;
typedef long long __s64;
typedef __u16 __be16;
typedef __u32 __be32;
typedef __u64 __be64;
typedef __u32 __wsum;
enum { BPF_MAP_TYPE_HASH = 1, BPF_MAP_TYPE_ARRAY = 2, BPF_MAP_TYPE_RINGBUF = 27 };
enum { BPF_ANY = 0, BPF_NOEXIST = 1, BPF_EXIST = 2 };
#include <bpf/bpf_helpers.h>

/* The legacy SEC("maps") layout. */
struct bpf_map_def_legacy {
    unsigned int type, key_size, value_size, max_entries, map_flags;
};
