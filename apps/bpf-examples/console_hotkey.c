/* SPDX-License-Identifier: MIT */
/* A console hotkey: on `console`, Ctrl-T (0x14) is taken before the shell
 * sees it; each press is counted, stamped into a ring buffer and sets bit 0
 * of the programs' event group (pica_bpf_events()), which a thread may wait
 * on. Other bytes pass through.
 *   picactl load console_hotkey.o --attach console
 *   picactl ringbuf console_hotkey/presses */
#include <pica/bpf_prog.h>

#define HOTKEY 0x14

struct {
    __uint(type, BPF_MAP_TYPE_ARRAY);
    __uint(max_entries, 1);
    __type(key, __u32);
    __type(value, __u64);
} count SEC(".maps");

struct {
    __uint(type, BPF_MAP_TYPE_RINGBUF);
    __uint(max_entries, 256);
} presses SEC(".maps");

SEC("pica/console")
int console_hotkey(struct pica_bpf_console_ctx *ctx)
{
    if (ctx->byte != HOTKEY)
        return 0;
    __u32 zero = 0;
    __u64 *n = bpf_map_lookup_elem(&count, &zero);
    if (n != 0)
        *n += 1;
    __u64 when = ctx->now_ns;
    bpf_ringbuf_output(&presses, &when, sizeof(when), 0);
    pica_event_set(1);
    return 1; /* consumed */
}

char LICENSE[] SEC("license") = "MIT";
