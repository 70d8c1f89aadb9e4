/* SPDX-License-Identifier: MIT */
/* Verifier rules: for each, a program that must be refused (with the instruction
 * index and reason) next to a close one that must pass. */
#include "bpf_test_util.h"

#include <string.h>

static struct bpf_verr err;

/* Refused at @pc with a reason containing @needle. */
static void
refused(const struct bpf_insn *p, uint32_t n, uint32_t pc, const char *needle)
{
    int rc = bpf_test_verify(p, n, NULL, &err);
    char msg[200];
    bpf_verr_format(&err, msg, sizeof(msg));
    print_message("%s\n", msg);
    assert_true(rc == -EINVAL || rc == -E2BIG);
    assert_int_equal(err.pc, pc);
    assert_non_null(strstr(msg, needle));
}

static void
accepted(const struct bpf_insn *p, uint32_t n)
{
    assert_int_equal(bpf_test_verify(p, n, NULL, &err), 0);
}

static void
test_unknown_opcode(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { MOV64_IMM(0, 0), INSN(0xff, 0, 0, 0, 0), EXIT() };
    struct bpf_insn ok[] = { MOV64_IMM(0, 0), INSN(0xa7, 0, 0, 0, 0), EXIT() };
    refused(bad, N(bad), 1, "unknown opcode");
    accepted(ok, N(ok));
}

static void
test_nonzero_reserved_fields(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { MOV64_IMM(0, 0), INSN(0x95, 0, 0, 0, 1) };
    struct bpf_insn bad_off[] = { INSN(0xb7, 0, 0, 3, 0), EXIT() };
    struct bpf_insn bad_end[] = { MOV64_IMM(0, 0), INSN(0xdc, 0, 0, 0, 24), EXIT() };
    refused(bad, N(bad), 1, "immediate field must be 0");
    refused(bad_off, N(bad_off), 0, "offset");
    refused(bad_end, N(bad_end), 1, "immediate");
}

static void
test_register_out_of_range(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { MOV64_IMM(0, 0), INSN(0x0f, 0, 11, 0, 0), EXIT() };
    struct bpf_insn ok[] = { MOV64_IMM(0, 0), INSN(0x0f, 0, 10, 0, 0), EXIT() };
    refused(bad, N(bad), 1, "register out of range");
    accepted(ok, N(ok));
}

static void
test_write_to_r10(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { MOV64_IMM(10, 0), MOV64_IMM(0, 0), EXIT() };
    struct bpf_insn bad_ld[] = { INSN(0x79, 10, 1, 0, 0), MOV64_IMM(0, 0), EXIT() };
    struct bpf_insn ok[] = { MOV64_REG(1, 10), MOV64_IMM(0, 0), EXIT() };
    refused(bad, N(bad), 0, "r10");
    refused(bad_ld, N(bad_ld), 0, "r10");
    accepted(ok, N(ok));
}

static void
test_jump_out_of_program(void **state)
{
    (void)state;
    struct bpf_insn fwd[] = { MOV64_IMM(0, 0), INSN(0x05, 0, 0, 2, 0), EXIT() };
    struct bpf_insn back[] = { MOV64_IMM(0, 0), INSN(0x05, 0, 0, -3, 0), EXIT() };
    struct bpf_insn ok[] = { MOV64_IMM(0, 0), INSN(0x05, 0, 0, 0, 0), EXIT() };
    refused(fwd, N(fwd), 1, "outside the program");
    refused(back, N(back), 1, "outside the program");
    accepted(ok, N(ok));
}

static void
test_jump_into_lddw(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { INSN(0x05, 0, 0, 1, 0), LDDW_LO(0, 1), LDDW_HI(1), EXIT() };
    struct bpf_insn ok[] = { INSN(0x05, 0, 0, 0, 0), LDDW_LO(0, 1), LDDW_HI(1), EXIT() };
    struct bpf_insn half[] = { MOV64_IMM(0, 0), LDDW_LO(0, 1) };
    refused(bad, N(bad), 0, "second slot of lddw");
    accepted(ok, N(ok));
    refused(half, N(half), 1, "second slot");
}

static void
test_fall_off_the_end(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { MOV64_IMM(0, 0) };
    struct bpf_insn cond[] = { MOV64_IMM(0, 0), JMP_IMM(OP_JEQ, 0, 0, -2) };
    refused(bad, N(bad), 0, "fall off");
    refused(cond, N(cond), 1, "fall off");
}

static void
test_unknown_helper(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { CALL(4242), EXIT() };
    struct bpf_insn ok[] = { CALL(BPF_FUNC_ktime_get_ns), EXIT() };
    refused(bad, N(bad), 0, "unknown helper");
    accepted(ok, N(ok));
}

/* A helper id with no entry in the table: the message gives the id. */
static void
test_unknown_helper_message_gives_the_id(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { CALL(99), EXIT() };
    char msg[200];
    assert_int_equal(bpf_test_verify(bad, N(bad), NULL, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "insn 0 (opcode 0x85 call): call to unknown helper 99");
    assert_int_equal(err.id, 99);
    assert_null(err.name);
}

/* r1..r4 set, then trace_printk at insn 4 */
#define TRACE_AT_4                                                                       \
    MOV64_IMM(1, 0), MOV64_IMM(2, 0), MOV64_IMM(3, 0), MOV64_IMM(4, 0),                  \
        CALL(BPF_FUNC_trace_printk), EXIT()

/* With an allowed list, a helper of the table that is not on it is refused, named. */
static void
test_helper_not_allowed_is_named(void **state)
{
    (void)state;
    static const uint32_t maps_only[] = { BPF_FUNC_map_lookup_elem, BPF_FUNC_ktime_get_ns };
    struct bpf_prog_opts opts = { .allowed = maps_only, .nallowed = N(maps_only) };
    struct bpf_insn bad[] = { TRACE_AT_4 };
    struct bpf_insn ok[] = { CALL(BPF_FUNC_ktime_get_ns), EXIT() };
    char msg[200];
    assert_int_equal(bpf_test_verify(bad, N(bad), &opts, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "insn 4 (opcode 0x85 call): helper trace_printk is not allowed "
                             "at this hook");
    assert_string_equal(err.name, "trace_printk");
    assert_int_equal(err.id, BPF_FUNC_trace_printk);
    opts.allowed_at = "irq";
    assert_int_equal(bpf_test_verify(bad, N(bad), &opts, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "insn 4 (opcode 0x85 call): helper trace_printk is not allowed "
                             "at hook irq");
    assert_int_equal(bpf_test_verify(ok, N(ok), &opts, &err), 0);
    /* an unknown id is still "unknown", whatever the list says */
    struct bpf_insn unknown[] = { CALL(99), EXIT() };
    static const uint32_t with_99[] = { 99 };
    opts.allowed = with_99;
    opts.nallowed = 1;
    assert_int_equal(bpf_test_verify(unknown, N(unknown), &opts, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "insn 0 (opcode 0x85 call): call to unknown helper 99");
    /* an empty list allows nothing; no list allows the whole table */
    opts.nallowed = 0;
    assert_int_equal(bpf_test_verify(ok, N(ok), &opts, &err), -EINVAL);
    opts.allowed = NULL;
    assert_int_equal(bpf_test_verify(bad, N(bad), &opts, &err), 0);
}

/* A later refusal of another kind does not keep the helper fields of an earlier one. */
static void
test_helper_fields_cleared_by_next_refusal(void **state)
{
    (void)state;
    static const uint32_t none[1];
    struct bpf_prog_opts opts = { .allowed = none, .nallowed = 0, .allowed_at = "irq" };
    struct bpf_insn bad[] = { TRACE_AT_4 };
    struct bpf_insn other[] = { MOV64_IMM(0, 0), INSN(0x4f, 0, 7, 0, 0), EXIT() };
    assert_int_equal(bpf_test_verify(bad, N(bad), &opts, &err), -EINVAL);
    assert_non_null(err.name);
    assert_int_equal(bpf_verify(other, N(other), &opts, (struct bpf_op[3]){ 0 }, &err), -EINVAL);
    assert_null(err.name);
    assert_null(err.where);
    assert_int_equal(err.limit, 0);
}

static void
test_local_call_to_nowhere(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { CALL_LOCAL(5), EXIT() };
    struct bpf_insn ok[] = { CALL_LOCAL(1), EXIT(), MOV64_IMM(0, 1), EXIT() };
    refused(bad, N(bad), 0, "local call target");
    accepted(ok, N(ok));
}

static void
test_stack_offset_outside_frame(void **state)
{
    (void)state;
    struct bpf_insn below[] = { INSN(0x7a, 10, 0, -520, 1), MOV64_IMM(0, 0), EXIT() };
    struct bpf_insn above[] = { INSN(0x7a, 10, 0, -4, 1), MOV64_IMM(0, 0), EXIT() };
    struct bpf_insn ok[] = { INSN(0x7a, 10, 0, -512, 1), INSN(0x7a, 10, 0, -8, 1),
                             MOV64_IMM(0, 0), EXIT() };
    refused(below, N(below), 0, "frame");
    refused(above, N(above), 0, "frame");
    accepted(ok, N(ok));
}

static void
test_too_long(void **state)
{
    (void)state;
    struct bpf_insn p[] = { MOV64_IMM(0, 0), MOV64_IMM(0, 0), MOV64_IMM(0, 0), EXIT() };
    struct bpf_prog_opts o = { .max_insns = 3 };
    assert_int_equal(bpf_test_verify(p, N(p), &o, &err), -E2BIG);
    o.max_insns = 4;
    assert_int_equal(bpf_test_verify(p, N(p), &o, &err), 0);
    assert_int_equal(bpf_test_verify(p, 0, NULL, &err), -EINVAL);
}

static void
test_uninitialised_register_per_path(void **state)
{
    (void)state;
    /* r3 is written on only one path to the add */
    struct bpf_insn bad[] = { MOV64_IMM(0, 0), JMP_IMM(OP_JEQ, 1, 0, 1), MOV64_IMM(3, 1),
                              ALU64_REG(OP_ADD, 0, 3), EXIT() };
    struct bpf_insn ok[] = { MOV64_IMM(0, 0), JMP_IMM(OP_JEQ, 1, 0, 2), MOV64_IMM(3, 1),
                             INSN(0x05, 0, 0, 1, 0), MOV64_IMM(3, 2), ALU64_REG(OP_ADD, 0, 3),
                             EXIT() };
    struct bpf_insn r0[] = { EXIT() };
    /* r1 and r2 (context, length) are set at entry; update needs r3 and r4 too */
    struct bpf_insn helper_args[] = { MOV64_IMM(3, 0), CALL(BPF_FUNC_map_update_elem), EXIT() };
    struct bpf_insn after_call[] = { CALL(BPF_FUNC_ktime_get_ns), MOV64_REG(0, 1), EXIT() };
    refused(bad, N(bad), 3, "not written");
    accepted(ok, N(ok));
    refused(r0, N(r0), 0, "(r0)");
    refused(helper_args, N(helper_args), 1, "(r4)");
    refused(after_call, N(after_call), 1, "(r1)"); /* r1-r5 are clobbered by calls */
}

/* Map 0 is read-only to programs (like .rodata), map 1 is not. */
static uint64_t ro_store[2], rw_store[2];
static struct bpf_map ro_map, rw_map;
static struct bpf_map *two_maps[2] = { &ro_map, &rw_map };
static const struct bpf_prog_opts map_opts = { .maps = two_maps, .nmaps = 2 };

static void
init_two_maps(void)
{
    struct bpf_map_def ro = { BPF_MAP_TYPE_ARRAY, 4, 8, 1, BPF_F_RDONLY_PROG };
    struct bpf_map_def rw = { BPF_MAP_TYPE_ARRAY, 4, 8, 1, 0 };
    assert_int_equal(bpf_map_init(&ro_map, &ro, ro_store, sizeof(ro_store), "ro"), 0);
    assert_int_equal(bpf_map_init(&rw_map, &rw, rw_store, sizeof(rw_store), "rw"), 0);
}

static void
refused_with_maps(const struct bpf_insn *p, uint32_t n, uint32_t pc, const char *msg_want)
{
    char msg[200];
    assert_int_equal(bpf_test_verify(p, n, &map_opts, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    print_message("%s\n", msg);
    assert_int_equal(err.pc, pc);
    assert_string_equal(msg, msg_want);
}

#define MAP_REF(d, idx) INSN(0x18, d, 1, 0, idx), LDDW_HI(0)
/* r2 = &key (0), r3 = &value, r4 = BPF_ANY: 7 instructions */
#define UPDATE_ARGS                                                                      \
    INSN(0x62, 10, 0, -4, 0), INSN(0x7a, 10, 0, -16, 7), MOV64_REG(2, 10),               \
        ALU64_IMM(OP_ADD, 2, -4), MOV64_REG(3, 10), ALU64_IMM(OP_ADD, 3, -16), MOV64_IMM(4, 0)

static void
test_map_writing_helper_on_read_only_map(void **state)
{
    (void)state;
    init_two_maps();
    struct bpf_insn update_ro[] = { MAP_REF(1, 0), UPDATE_ARGS, CALL(BPF_FUNC_map_update_elem),
                                    EXIT() };
    struct bpf_insn update_rw[] = { MAP_REF(1, 1), UPDATE_ARGS, CALL(BPF_FUNC_map_update_elem),
                                    EXIT() };
    /* through r7, and still r7 after a helper call (r6-r9 survive calls) */
    struct bpf_insn moved[] = { MAP_REF(7, 0), CALL(BPF_FUNC_ktime_get_ns), MOV64_REG(1, 7),
                                INSN(0x62, 10, 0, -4, 0), MOV64_REG(2, 10),
                                ALU64_IMM(OP_ADD, 2, -4), CALL(BPF_FUNC_map_delete_elem),
                                EXIT() };
    /* read-only on one path only: refused (the analysis joins paths) */
    struct bpf_insn one_path[] = { MAP_REF(1, 1), JMP_IMM(OP_JEQ, 2, 0, 2), MAP_REF(1, 0),
                                   UPDATE_ARGS, CALL(BPF_FUNC_map_update_elem), EXIT() };
    /* overwritten before the call: accepted; lookups of a read-only map are fine */
    struct bpf_insn replaced[] = { MAP_REF(1, 0), MAP_REF(1, 1), UPDATE_ARGS,
                                   CALL(BPF_FUNC_map_update_elem), EXIT() };
    struct bpf_insn lookup[] = { MAP_REF(1, 0), INSN(0x62, 10, 0, -4, 0), MOV64_REG(2, 10),
                                 ALU64_IMM(OP_ADD, 2, -4), CALL(BPF_FUNC_map_lookup_elem),
                                 EXIT() };
    refused_with_maps(update_ro, N(update_ro), 9,
                      "insn 9 (opcode 0x85 call): helper would change a map that is "
                      "read-only to programs (r1)");
    refused_with_maps(moved, N(moved), 7,
                      "insn 7 (opcode 0x85 call): helper would change a map that is "
                      "read-only to programs (r1)");
    refused_with_maps(one_path, N(one_path), 12,
                      "insn 12 (opcode 0x85 call): helper would change a map that is "
                      "read-only to programs (r1)");
    assert_int_equal(bpf_test_verify(update_rw, N(update_rw), &map_opts, &err), 0);
    assert_int_equal(bpf_test_verify(replaced, N(replaced), &map_opts, &err), 0);
    assert_int_equal(bpf_test_verify(lookup, N(lookup), &map_opts, &err), 0);
}

/* ---- map value accesses at offsets the verifier can place ---- */

/* Map 0: array "slots", one 32-byte value; map 1: hash "counts", 8-byte values;
 * map 2: ring buffer "events". */
static uint64_t slots_store[4], counts_store[64], events_store[8];
static struct bpf_map slots_map, counts_map, events_map;
static struct bpf_map *value_maps[3] = { &slots_map, &counts_map, &events_map };
static const struct bpf_prog_opts value_opts = { .maps = value_maps, .nmaps = 3 };

static void
init_value_maps(void)
{
    struct bpf_map_def slots = { BPF_MAP_TYPE_ARRAY, 4, 32, 1, 0 };
    struct bpf_map_def counts = { BPF_MAP_TYPE_HASH, 4, 8, 2, 0 };
    struct bpf_map_def events = { BPF_MAP_TYPE_RINGBUF, 0, 0, 64, 0 };
    assert_int_equal(bpf_map_init(&slots_map, &slots, slots_store, sizeof(slots_store),
                                  "slots"), 0);
    assert_int_equal(bpf_map_init(&counts_map, &counts, counts_store, sizeof(counts_store),
                                  "counts"), 0);
    assert_int_equal(bpf_map_init(&events_map, &events, events_store, sizeof(events_store),
                                  "events"), 0);
}

/* Refused at @pc with exactly @want. */
static void
value_refused(const struct bpf_insn *p, uint32_t n, uint32_t pc, const char *want)
{
    char msg[200];
    assert_int_equal(bpf_test_verify(p, n, &value_opts, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    print_message("%s\n", msg);
    assert_int_equal(err.pc, pc);
    assert_string_equal(msg, want);
}

static void
value_accepted(const struct bpf_insn *p, uint32_t n)
{
    int rc = bpf_test_verify(p, n, &value_opts, &err);
    if (rc != 0) {
        char msg[200];
        bpf_verr_format(&err, msg, sizeof(msg));
        print_message("refused: %s\n", msg);
    }
    assert_int_equal(rc, 0);
}

/* lddw src 2: r<d> = address of map @idx's value + @off */
#define MAP_VALUE(d, idx, off) INSN(0x18, d, 2, 0, idx), INSN(0x00, 0, 0, 0, off)
#define STXDW(d, s, off)       INSN(0x7b, d, s, off, 0)
#define STW_IMM(d, off, v)     INSN(0x62, d, 0, off, v)
#define LDXDW(d, s, off)       INSN(0x79, d, s, off, 0)
#define LDXB(d, s, off)        INSN(0x71, d, s, off, 0)
#define RET0                   MOV64_IMM(0, 0), EXIT()

/* The global-array case: `p = &slots[0]; p[64] = 1` as clang emits it. */
static void
test_map_value_store_past_the_value_is_refused(void **state)
{
    (void)state;
    init_value_maps();
    struct bpf_insn bad[] = { MAP_VALUE(1, 0, 0), MOV64_IMM(2, 1), STXDW(1, 2, 512), RET0 };
    struct bpf_insn last[] = { MAP_VALUE(1, 0, 0), MOV64_IMM(2, 1), STXDW(1, 2, 24), RET0 };
    value_refused(bad, N(bad), 3,
                  "insn 3 (opcode 0x7b stxdw): access at offset 512 of 8 bytes is outside "
                  "map 'slots' value (32 bytes)");
    assert_int_equal(err.off, 512);
    assert_int_equal(err.size, 8);
    assert_int_equal(err.limit, 32);
    assert_string_equal(err.name, "slots");
    assert_int_equal(err.reg, -1);
    value_accepted(last, N(last));
}

/* Each edge: the last byte in, the first byte out, on both sides, for every size and
 * for loads, stores of an immediate and atomics; the lddw's own offset counts. */
static void
test_map_value_bounds_are_exact(void **state)
{
    (void)state;
    init_value_maps();
    struct bpf_insn word_in[] = { MAP_VALUE(1, 0, 0), STW_IMM(1, 28, 5), RET0 };
    struct bpf_insn word_out[] = { MAP_VALUE(1, 0, 0), STW_IMM(1, 29, 5), RET0 };
    struct bpf_insn below[] = { MAP_VALUE(1, 0, 0), LDXB(0, 1, -1), EXIT() };
    struct bpf_insn byte_in[] = { MAP_VALUE(1, 0, 0), LDXB(0, 1, 31), EXIT() };
    struct bpf_insn at_16_in[] = { MAP_VALUE(1, 0, 16), LDXDW(0, 1, 8), EXIT() };
    struct bpf_insn at_16_out[] = { MAP_VALUE(1, 0, 16), LDXDW(0, 1, 9), EXIT() };
    struct bpf_insn back[] = { MAP_VALUE(1, 0, 16), LDXDW(0, 1, -16), EXIT() };
    struct bpf_insn atomic_out[] = { MAP_VALUE(1, 0, 0), MOV64_IMM(2, 1),
                                     INSN(0xdb, 1, 2, 32, 0x00), RET0 };
    struct bpf_insn atomic_in[] = { MAP_VALUE(1, 0, 0), MOV64_IMM(2, 1),
                                    INSN(0xc3, 1, 2, 28, 0x01), RET0 };
    value_accepted(word_in, N(word_in));
    value_refused(word_out, N(word_out), 2,
                  "insn 2 (opcode 0x62 stw): access at offset 29 of 4 bytes is outside "
                  "map 'slots' value (32 bytes)");
    value_refused(below, N(below), 2,
                  "insn 2 (opcode 0x71 ldxb): access at offset -1 of 1 bytes is outside "
                  "map 'slots' value (32 bytes)");
    value_accepted(byte_in, N(byte_in));
    value_accepted(at_16_in, N(at_16_in));
    value_refused(at_16_out, N(at_16_out), 2,
                  "insn 2 (opcode 0x79 ldxdw): access at offset 25 of 8 bytes is outside "
                  "map 'slots' value (32 bytes)");
    value_accepted(back, N(back));
    value_refused(atomic_out, N(atomic_out), 3,
                  "insn 3 (opcode 0xdb add): access at offset 32 of 8 bytes is outside "
                  "map 'slots' value (32 bytes)");
    value_accepted(atomic_in, N(atomic_in));
}

/* 64-bit moves and add/sub of an immediate carry the offset; a helper call keeps
 * r6-r9. */
static void
test_map_value_offset_follows_moves_and_adds(void **state)
{
    (void)state;
    init_value_maps();
    /* r3 = value + 16 - 4: offset 17 from there is 29, 16 is the last word */
    struct bpf_insn moved[] = { MAP_VALUE(1, 0, 0), MOV64_REG(3, 1), ALU64_IMM(OP_ADD, 3, 16),
                                ALU64_IMM(OP_SUB, 3, 4), STW_IMM(3, 17, 0), RET0 };
    struct bpf_insn moved_ok[] = { MAP_VALUE(1, 0, 0), MOV64_REG(3, 1),
                                   ALU64_IMM(OP_ADD, 3, 16), ALU64_IMM(OP_SUB, 3, 4),
                                   STW_IMM(3, 16, 0), RET0 };
    struct bpf_insn kept[] = { MAP_VALUE(6, 0, 0), CALL(BPF_FUNC_ktime_get_ns),
                               STW_IMM(6, 32, 0), RET0 };
    value_refused(moved, N(moved), 5,
                  "insn 5 (opcode 0x62 stw): access at offset 29 of 4 bytes is outside "
                  "map 'slots' value (32 bytes)");
    value_accepted(moved_ok, N(moved_ok));
    value_refused(kept, N(kept), 3,
                  "insn 3 (opcode 0x62 stw): access at offset 32 of 4 bytes is outside "
                  "map 'slots' value (32 bytes)");
}

/* r1 = map, r2 = &key (0) on the stack: 5 slots, then the call */
#define LOOKUP(idx)                                                                      \
    INSN(0x18, 1, 1, 0, idx), LDDW_HI(0), STW_IMM(10, -4, 0), MOV64_REG(2, 10),          \
        ALU64_IMM(OP_ADD, 2, -4), CALL(BPF_FUNC_map_lookup_elem)

/* A lookup's result points to one value (or is NULL): `if (v) *(v + 4096) = 1`. */
static void
test_lookup_result_access_past_the_value_is_refused(void **state)
{
    (void)state;
    init_value_maps();
    struct bpf_insn bad[] = { LOOKUP(1), JMP_IMM(OP_JEQ, 0, 0, 2), MOV64_IMM(1, 1),
                              STXDW(0, 1, 4096), RET0 };
    struct bpf_insn ok[] = { LOOKUP(1), JMP_IMM(OP_JEQ, 0, 0, 2), MOV64_IMM(1, 1),
                             STXDW(0, 1, 0), RET0 };
    /* without the NULL check: in bounds is the run time's business */
    struct bpf_insn unchecked[] = { LOOKUP(0), LDXDW(0, 0, 24), EXIT() };
    struct bpf_insn unchecked_out[] = { LOOKUP(0), LDXDW(0, 0, 32), EXIT() };
    value_refused(bad, N(bad), 8,
                  "insn 8 (opcode 0x7b stxdw): access at offset 4096 of 8 bytes is outside "
                  "map 'counts' value (8 bytes)");
    value_accepted(ok, N(ok));
    value_accepted(unchecked, N(unchecked));
    value_refused(unchecked_out, N(unchecked_out), 6,
                  "insn 6 (opcode 0x79 ldxdw): access at offset 32 of 8 bytes is outside "
                  "map 'slots' value (32 bytes)");
}

/* What the straight-line rule does not follow is left to the run-time checks: a
 * jump target or function entry starts with nothing known, as do any other write
 * (32-bit arithmetic, a load), r0 of other helpers or of a lookup whose map is not
 * known, and a ring buffer's lookup (it has no values). */
static void
test_map_value_unknown_places_are_left_to_run_time(void **state)
{
    (void)state;
    init_value_maps();
    struct bpf_insn joined[] = { MAP_VALUE(1, 0, 0), JMP_IMM(OP_JEQ, 2, 0, 0),
                                 STXDW(1, 2, 512), RET0 };
    struct bpf_insn callee[] = { MAP_VALUE(1, 0, 0), CALL_LOCAL(2), RET0, STXDW(1, 1, 512),
                                 RET0 };
    struct bpf_insn alu32[] = { MAP_VALUE(1, 0, 0), ALU32_IMM(OP_ADD, 1, 0), STXDW(1, 1, 512),
                                RET0 };
    struct bpf_insn loaded[] = { MAP_VALUE(1, 0, 0), STXDW(10, 1, -8), LDXDW(3, 10, -8),
                                 STXDW(3, 3, 512), RET0 };
    struct bpf_insn other_helper[] = { CALL(BPF_FUNC_get_prandom_u32), STXDW(0, 0, 512),
                                       RET0 };
    struct bpf_insn unknown_map[] = { MOV64_REG(1, 1), STW_IMM(10, -4, 0), MOV64_REG(2, 10),
                                      ALU64_IMM(OP_ADD, 2, -4), CALL(BPF_FUNC_map_lookup_elem),
                                      LDXDW(0, 0, 512), EXIT() };
    struct bpf_insn ring[] = { LOOKUP(2), LDXDW(0, 0, 0), EXIT() };
    struct bpf_insn ptr_add_reg[] = { MAP_VALUE(1, 0, 0), MOV64_IMM(3, 8),
                                      ALU64_REG(OP_ADD, 1, 3), STXDW(1, 1, 512), RET0 };
    value_accepted(joined, N(joined));
    value_accepted(callee, N(callee));
    value_accepted(alu32, N(alu32));
    value_accepted(loaded, N(loaded));
    value_accepted(other_helper, N(other_helper));
    value_accepted(unknown_map, N(unknown_map));
    value_accepted(ring, N(ring));
    value_accepted(ptr_add_reg, N(ptr_add_reg));
    /* ... and they still fault there */
    struct bpf_test_env env = { .opts = &value_opts };
    struct bpf_exec x;
    assert_int_equal(bpf_test_run(joined, N(joined), &env, NULL, &x), -EFAULT);
    assert_int_equal(x.fault_pc, 3);
    assert_int_equal(bpf_test_run(callee, N(callee), &env, NULL, &x), -EFAULT);
    assert_int_equal(x.fault_pc, 5);
}

static uint64_t
own_lookup(struct bpf_vm *vm, uint64_t r1, uint64_t r2, uint64_t r3, uint64_t r4, uint64_t r5)
{
    (void)vm, (void)r1, (void)r2, (void)r3, (void)r4, (void)r5;
    return 0;
}

/* An embedder's own helper under the lookup's id may return anything: not followed. */
static void
test_map_value_only_the_standard_lookup_is_followed(void **state)
{
    (void)state;
    init_value_maps();
    struct bpf_helper own[8];
    for (unsigned k = 0; k < bpf_helpers_std_count && k < 8; k++) {
        own[k] = bpf_helpers_std[k];
        if (own[k].id == BPF_FUNC_map_lookup_elem) {
            own[k].fn = own_lookup;
        }
    }
    struct bpf_prog_opts opts = value_opts;
    opts.helpers = own;
    opts.nhelpers = bpf_helpers_std_count < 8 ? bpf_helpers_std_count : 8;
    struct bpf_insn p[] = { LOOKUP(1), LDXDW(0, 0, 4096), EXIT() };
    assert_int_equal(bpf_test_verify(p, N(p), &opts, &err), 0);
    assert_int_equal(bpf_test_verify(p, N(p), &value_opts, &err), -EINVAL);
}

/* Code no path reaches is not refused for what it would access. */
static void
test_map_value_unreached_code_is_not_refused(void **state)
{
    (void)state;
    init_value_maps();
    struct bpf_insn p[] = { RET0, MAP_VALUE(1, 0, 0), STXDW(1, 1, 512), INSN(0x05, 0, 0, -5, 0) };
    value_accepted(p, N(p));
}

static void
test_message_names_index_opcode_and_reason(void **state)
{
    (void)state;
    struct bpf_insn bad[] = { MOV64_IMM(0, 0), INSN(0x4f, 0, 7, 0, 0), EXIT() };
    char msg[200];
    assert_int_equal(bpf_test_verify(bad, N(bad), NULL, &err), -EINVAL);
    bpf_verr_format(&err, msg, sizeof(msg));
    assert_string_equal(msg, "insn 1 (opcode 0x4f or): reads a register not written on "
                             "every path to here (r7)");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_opcode),
        cmocka_unit_test(test_nonzero_reserved_fields),
        cmocka_unit_test(test_register_out_of_range),
        cmocka_unit_test(test_write_to_r10),
        cmocka_unit_test(test_jump_out_of_program),
        cmocka_unit_test(test_jump_into_lddw),
        cmocka_unit_test(test_fall_off_the_end),
        cmocka_unit_test(test_unknown_helper),
        cmocka_unit_test(test_unknown_helper_message_gives_the_id),
        cmocka_unit_test(test_helper_not_allowed_is_named),
        cmocka_unit_test(test_helper_fields_cleared_by_next_refusal),
        cmocka_unit_test(test_local_call_to_nowhere),
        cmocka_unit_test(test_stack_offset_outside_frame),
        cmocka_unit_test(test_too_long),
        cmocka_unit_test(test_uninitialised_register_per_path),
        cmocka_unit_test(test_map_writing_helper_on_read_only_map),
        cmocka_unit_test(test_map_value_store_past_the_value_is_refused),
        cmocka_unit_test(test_map_value_bounds_are_exact),
        cmocka_unit_test(test_map_value_offset_follows_moves_and_adds),
        cmocka_unit_test(test_lookup_result_access_past_the_value_is_refused),
        cmocka_unit_test(test_map_value_unknown_places_are_left_to_run_time),
        cmocka_unit_test(test_map_value_only_the_standard_lookup_is_followed),
        cmocka_unit_test(test_map_value_unreached_code_is_not_refused),
        cmocka_unit_test(test_message_names_index_opcode_and_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
