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
        cmocka_unit_test(test_message_names_index_opcode_and_reason),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
