/* SPDX-License-Identifier: MIT */
/* The one header an eBPF program for Pica includes (clang -O2 -target bpf
 * -I include): the few kernel types libbpf's <bpf/bpf_helpers.h> expects
 * (so programs read like Linux eBPF code without the kernel's UAPI
 * headers), libbpf's helper definitions and macros (SEC, __uint, __type),
 * map types and update flags, and Pica's hook contexts and helpers. */
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

#include <pica/bpf_ctx.h>
