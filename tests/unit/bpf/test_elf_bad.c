/* SPDX-License-Identifier: MIT */
/* The ELF loader on malformed input: a minimal valid object is built here, then
 * truncated at every length and corrupted byte by byte; each load must end with an
 * error or a verified program, never a crash (the sanitizers watch every read). */
#include "bpf_test_util.h"

#include <pica/bpf_elf.h>

#include <string.h>

static uint8_t image[512];
static size_t image_len;
static struct bpf_elf_obj obj;
static uint8_t arena[1 << 16] __attribute__((aligned(8)));
static struct bpf_op ops[64];

static void
put(size_t off, const void *p, size_t n)
{
    memcpy(image + off, p, n);
}

static void
put_u16(size_t off, uint16_t v) { put(off, &v, 2); }
static void
put_u32(size_t off, uint32_t v) { put(off, &v, 4); }
static void
put_u64(size_t off, uint64_t v) { put(off, &v, 8); }

static void
section(unsigned idx, uint32_t name, uint32_t type, uint64_t flags, uint64_t off, uint64_t size,
        uint32_t link, uint32_t info, uint64_t entsize)
{
    size_t h = 256 + idx * 64;
    put_u32(h, name);
    put_u32(h + 4, type);
    put_u64(h + 8, flags);
    put_u64(h + 24, off);
    put_u64(h + 32, size);
    put_u32(h + 40, link);
    put_u32(h + 44, info);
    put_u64(h + 56, entsize);
}

/* .text = { mov r0, 1; exit }, one strtab for all names, symbol "main". */
static void
build_image(void)
{
    static const char strtab[] = "\0.text\0.strtab\0.symtab\0main";
    struct bpf_insn text[2] = { MOV64_IMM(0, 1), EXIT() };
    memset(image, 0, sizeof(image));
    put(0, "\177ELF\2\1\1", 7);
    put_u16(16, 1);   /* ET_REL */
    put_u16(18, 247); /* EM_BPF */
    put_u32(20, 1);
    put_u64(40, 256); /* e_shoff */
    put_u16(52, 64);
    put_u16(58, 64);
    put_u16(60, 4);   /* shnum */
    put_u16(62, 2);   /* shstrndx */
    put(64, text, sizeof(text));
    put(80, strtab, sizeof(strtab));
    uint8_t sym[24] = { 0 };
    put_u32(128 + 24, 23);     /* "main" */
    image[128 + 24 + 4] = 0x12; /* GLOBAL FUNC */
    put_u16(128 + 24 + 6, 1);
    (void)sym;
    section(1, 1, 1, 6, 64, 16, 0, 0, 8);
    section(2, 7, 3, 0, 80, sizeof(strtab), 0, 0, 1);
    section(3, 15, 2, 0, 128, 48, 2, 1, 24);
    image_len = 256 + 4 * 64;
}

static int
load(size_t len, struct bpf_prog *p, struct bpf_verr *err)
{
    obj.arena = arena;
    obj.arena_size = sizeof(arena);
    return bpf_elf_load(&obj, image, len, "main", ops, 64, p, err);
}

static void
test_minimal_object_loads_and_runs(void **state)
{
    (void)state;
    struct bpf_prog p;
    struct bpf_verr err;
    static uint64_t stack[64];
    build_image();
    assert_int_equal(load(image_len, &p, &err), 0);
    struct bpf_exec x = { .stack = stack, .stack_size = sizeof(stack) };
    assert_int_equal(bpf_run(&p, &x), 0);
    assert_int_equal(x.r0, 1);
    assert_int_equal(bpf_elf_load(&obj, image, image_len, "nothere", ops, 64, &p, &err),
                     -ENOENT);
}

static void
test_every_truncation_fails_cleanly(void **state)
{
    (void)state;
    struct bpf_prog p;
    struct bpf_verr err;
    build_image();
    for (size_t len = 0; len < image_len; len++) {
        int rc = load(len, &p, &err);
        assert_true(rc < 0);
        assert_non_null(err.reason);
    }
}

static void
test_every_byte_corruption_is_survived(void **state)
{
    (void)state;
    static const uint8_t values[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0x40 };
    struct bpf_prog p;
    struct bpf_verr err;
    for (size_t at = 0; at < 512; at++) {
        for (size_t v = 0; v < sizeof(values); v++) {
            build_image();
            image[at] = values[v];
            int rc = load(image_len, &p, &err);
            assert_true(rc == 0 || err.reason != NULL);
        }
    }
}

static void
test_wrong_machine_is_named(void **state)
{
    (void)state;
    struct bpf_prog p;
    struct bpf_verr err;
    build_image();
    put_u16(18, 62); /* x86-64 */
    assert_int_equal(load(image_len, &p, &err), -EINVAL);
    assert_int_equal(err.pc, BPF_ELF_NO_PC);
    assert_non_null(strstr(err.reason, "e_machine"));
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_minimal_object_loads_and_runs),
        cmocka_unit_test(test_every_truncation_fails_cleanly),
        cmocka_unit_test(test_every_byte_corruption_is_survived),
        cmocka_unit_test(test_wrong_machine_is_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
