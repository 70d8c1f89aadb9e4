/* SPDX-License-Identifier: MIT */
/* Benchmark kernels (bench/bpf) that double as tests: each reads its input from the
 * context, so every load goes through the run-time memory check.
 *   checksum  Internet checksum over 360 bytes      crc32   CRC-32 over 256 bytes
 *   bubble    bubble sort of 32 u32 in a map value  sum     sum of 256 u32
 */
#include "pica_prog.h"

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u32[32]);
} sortbuf SEC(".maps");

SEC("bench/checksum")
int checksum(void *ctx)
{
    const __u16 *p = ctx;
    __u32 sum = 0;
    for (int i = 0; i < 180; i++)
        sum += p[i];
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (__u16)~sum;
}

SEC("bench/crc32")
int crc32(void *ctx)
{
    const __u8 *p = ctx;
    __u32 crc = 0xffffffff;
    for (int i = 0; i < 256; i++) {
        crc ^= p[i];
        for (int b = 0; b < 8; b++)
            crc = (crc >> 1) ^ (0xedb88320 & -(crc & 1));
    }
    return ~crc;
}

SEC("bench/bubble")
int bubble(void *ctx)
{
    __u32 k = 0;
    __u32 *a = bpf_map_lookup_elem(&sortbuf, &k);
    const __u32 *in = ctx;
    if (!a)
        return -1;
    for (int i = 0; i < 32; i++)
        a[i] = in[i];
    for (int i = 0; i < 31; i++)
        for (int j = 0; j < 31 - i; j++)
            if (a[j] > a[j + 1]) {
                __u32 t = a[j];
                a[j] = a[j + 1];
                a[j + 1] = t;
            }
    return a[0];
}

SEC("bench/sum")
int sum(void *ctx)
{
    const __u32 *p = ctx;
    __u32 s = 0;
    for (int i = 0; i < 256; i++)
        s += p[i];
    return s;
}

char LICENSE[] SEC("license") = "MIT";
