/* SPDX-License-Identifier: MIT */
/* picactl frames (bpf/ctl_frame.c): the CRC against zlib's, the encoder's
 * escapes for every byte value and in place, the receiver's handling of
 * text, restarts, over-long frames, a frame waiting while others arrive,
 * resets, and the body checks. ctest unit.bpf.ctl_frame */
#include <pica/bpf_ctl.h>

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <string.h>

#include <cmocka.h>

/* Feed @n bytes; returns how many the receiver claimed. */
static size_t
feed(struct bpf_ctl_rx *rx, const uint8_t *p, size_t n)
{
    size_t claimed = 0;
    for (size_t i = 0; i < n; i++) {
        claimed += bpf_ctl_rx_byte(rx, p[i]);
    }
    return claimed;
}

static size_t
encode(uint8_t *out, uint8_t type, uint8_t seq, const void *payload, size_t len)
{
    size_t n = bpf_ctl_frame_encode(out, BPF_CTL_MAX_FRAME, type, seq, payload, len);
    assert_true(n > 0);
    return n;
}

static void
test_crc32_matches_zlib(void **state)
{
    (void)state;
    assert_int_equal(bpf_ctl_crc32(0, "123456789", 9), 0xCBF43926u);
    assert_int_equal(bpf_ctl_crc32(0, "", 0), 0);
    uint32_t part = bpf_ctl_crc32(0, "1234", 4);
    assert_int_equal(bpf_ctl_crc32(part, "56789", 5), 0xCBF43926u);
}

static void
test_every_byte_value_survives_encoding(void **state)
{
    (void)state;
    uint8_t payload[256], frame[BPF_CTL_MAX_FRAME];
    for (unsigned i = 0; i < 256; i++) {
        payload[i] = (uint8_t)(255 - i);
    }
    size_t n = encode(frame, 0x03, 0xFE, payload, sizeof payload);
    assert_int_equal(frame[0], BPF_CTL_START);
    assert_int_equal(frame[n - 1], BPF_CTL_END);
    for (size_t i = 1; i < n - 1; i++) {
        assert_true(frame[i] != BPF_CTL_START && frame[i] != BPF_CTL_END);
        assert_true(frame[i] != '\n' && frame[i] != '\r'); /* a console may expand them */
        if (frame[i] == BPF_CTL_ESC) {
            uint8_t x = frame[i + 1] ^ BPF_CTL_ESC_XOR;
            assert_true(x >= 0xFD || x == '\n' || x == '\r');
            i++;
        }
    }
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    assert_int_equal(feed(&rx, frame, n), n);
    size_t len;
    const uint8_t *body = bpf_ctl_rx_frame(&rx, &len);
    assert_non_null(body);
    struct bpf_ctl_frame f;
    assert_int_equal(bpf_ctl_frame_parse(body, len, &f), 0);
    assert_int_equal(f.type, 0x03);
    assert_int_equal(f.seq, 0xFE); /* the seq byte itself escaped */
    assert_int_equal(f.len, 256);
    assert_memory_equal(f.payload, payload, 256);
}

static void
test_encoding_in_place_equals_encoding_apart(void **state)
{
    (void)state;
    uint8_t payload[256], apart[BPF_CTL_MAX_FRAME], inplace[BPF_CTL_MAX_FRAME];
    for (unsigned fill = 0; fill < 3; fill++) { /* all escaped, none, mixed */
        for (unsigned i = 0; i < 256; i++) {
            payload[i] = fill == 0 ? 0xFF : fill == 1 ? 0x41 : (uint8_t)(i * 7);
        }
        size_t n = encode(apart, 0xFF, 0xFD, payload, sizeof payload);
        uint8_t *at = inplace + BPF_CTL_MAX_FRAME - BPF_CTL_MAX_PAYLOAD;
        memcpy(at, payload, sizeof payload);
        assert_int_equal(encode(inplace, 0xFF, 0xFD, at, sizeof payload), n);
        assert_memory_equal(inplace, apart, n);
    }
}

static void
test_encoder_refuses_oversize(void **state)
{
    (void)state;
    static uint8_t payload[BPF_CTL_MAX_PAYLOAD + 1], frame[2 * BPF_CTL_MAX_FRAME];
    assert_int_equal(bpf_ctl_frame_encode(frame, sizeof frame, 1, 0, payload, sizeof payload), 0);
    assert_int_equal(bpf_ctl_frame_encode(frame, 2 + 2 * 9 - 1, 1, 0, payload, 1), 0);
    assert_true(bpf_ctl_frame_encode(frame, 2 + 2 * 9, 1, 0, payload, 1) >= 11);
}

static void
test_text_is_left_to_the_shell(void **state)
{
    (void)state;
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    const uint8_t text[] = "ls -l\r\n\xc3\xa9";
    assert_int_equal(feed(&rx, text, sizeof text - 1), 0);
    /* the tail of a frame whose start was lost is text too */
    const uint8_t stray[] = { BPF_CTL_END, BPF_CTL_ESC, 0x20 };
    assert_int_equal(feed(&rx, stray, sizeof stray), 0);
    assert_false(bpf_ctl_rx_busy(&rx));
}

static void
test_start_byte_restarts_a_frame(void **state)
{
    (void)state;
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    uint8_t frame[BPF_CTL_MAX_FRAME];
    size_t n = encode(frame, 0x01, 9, "hi", 2);
    const uint8_t junk[] = { BPF_CTL_START, 0x01, 0x02, 0x03 };
    assert_int_equal(feed(&rx, junk, sizeof junk), sizeof junk);
    assert_true(bpf_ctl_rx_busy(&rx));
    feed(&rx, frame, n);
    size_t len;
    const uint8_t *body = bpf_ctl_rx_frame(&rx, &len);
    struct bpf_ctl_frame f;
    assert_int_equal(bpf_ctl_frame_parse(body, len, &f), 0);
    assert_int_equal(f.seq, 9);
}

static void
test_overlong_frame_keeps_its_head_and_drops_the_rest(void **state)
{
    (void)state;
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    assert_true(bpf_ctl_rx_byte(&rx, BPF_CTL_START));
    for (unsigned i = 0; i < BPF_CTL_MAX_BODY; i++) {
        assert_true(bpf_ctl_rx_byte(&rx, (uint8_t)(i % 0xF0)));
    }
    assert_true(bpf_ctl_rx_byte(&rx, 0x41)); /* the one too many */
    assert_int_equal(rx.overlong, 1);
    assert_true(bpf_ctl_rx_byte(&rx, '\r')); /* the rest never reaches the shell */
    assert_true(bpf_ctl_rx_busy(&rx));
    assert_true(bpf_ctl_rx_byte(&rx, BPF_CTL_END));
    assert_false(bpf_ctl_rx_busy(&rx));
    assert_false(bpf_ctl_rx_byte(&rx, 'x'));
    size_t len;
    const uint8_t *body = bpf_ctl_rx_frame(&rx, &len);
    assert_non_null(body); /* for the session to NAK: the seq is known */
    assert_true(rx.truncated);
    assert_int_equal(len, BPF_CTL_MAX_BODY);
    assert_int_equal(body[1], 1);
    bpf_ctl_rx_release(&rx);
    assert_false(rx.truncated);
    /* without its end, a reset gives the line back to the shell */
    bpf_ctl_rx_byte(&rx, BPF_CTL_START);
    for (unsigned i = 0; i <= BPF_CTL_MAX_BODY; i++) {
        bpf_ctl_rx_byte(&rx, 0x41);
    }
    bpf_ctl_rx_reset(&rx);
    assert_false(bpf_ctl_rx_byte(&rx, 'x'));
    assert_null(bpf_ctl_rx_frame(&rx, &len));
    /* and a new frame may start inside a skipped one */
    uint8_t frame[BPF_CTL_MAX_FRAME];
    bpf_ctl_rx_byte(&rx, BPF_CTL_START);
    for (unsigned i = 0; i <= BPF_CTL_MAX_BODY; i++) {
        bpf_ctl_rx_byte(&rx, 0x41);
    }
    feed(&rx, frame, encode(frame, 0x06, 4, NULL, 0));
    body = bpf_ctl_rx_frame(&rx, &len);
    assert_non_null(body);
    assert_false(rx.truncated);
    assert_int_equal(len, 8);
}

static void
test_frames_arriving_while_one_waits_are_dropped(void **state)
{
    (void)state;
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    uint8_t a[BPF_CTL_MAX_FRAME], b[BPF_CTL_MAX_FRAME];
    size_t na = encode(a, 0x06, 1, NULL, 0), nb = encode(b, 0x06, 2, NULL, 0);
    assert_false(bpf_ctl_rx_ready(&rx));
    feed(&rx, a, na);
    assert_true(bpf_ctl_rx_ready(&rx));
    assert_int_equal(feed(&rx, b, nb), nb); /* claimed: never shell input */
    assert_int_equal(rx.dropped, 1);
    size_t len;
    const uint8_t *body = bpf_ctl_rx_frame(&rx, &len);
    assert_int_equal(body[1], 1);
    bpf_ctl_rx_release(&rx);
    assert_false(bpf_ctl_rx_ready(&rx));
    assert_null(bpf_ctl_rx_frame(&rx, &len));
    feed(&rx, b, nb);
    body = bpf_ctl_rx_frame(&rx, &len);
    assert_non_null(body);
    assert_int_equal(body[1], 2);
}

static void
test_reset_forgets_only_the_unfinished_frame(void **state)
{
    (void)state;
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    const uint8_t part[] = { BPF_CTL_START, 0x01, 0x02 };
    feed(&rx, part, sizeof part);
    bpf_ctl_rx_reset(&rx);
    assert_false(bpf_ctl_rx_busy(&rx));
    assert_false(bpf_ctl_rx_byte(&rx, 'a'));
    /* a complete frame survives a reset of the one after it */
    uint8_t a[BPF_CTL_MAX_FRAME];
    size_t na = encode(a, 0x06, 3, NULL, 0);
    feed(&rx, a, na);
    feed(&rx, part, sizeof part);
    bpf_ctl_rx_reset(&rx);
    size_t len;
    const uint8_t *body = bpf_ctl_rx_frame(&rx, &len);
    assert_non_null(body);
    assert_int_equal(body[1], 3);
    assert_int_equal(len, 8);
}

static void
test_empty_frame_is_ignored(void **state)
{
    (void)state;
    struct bpf_ctl_rx rx;
    bpf_ctl_rx_init(&rx);
    const uint8_t empty[] = { BPF_CTL_START, BPF_CTL_END };
    assert_int_equal(feed(&rx, empty, 2), 2);
    size_t len;
    assert_null(bpf_ctl_rx_frame(&rx, &len));
}

static void
test_parse_refuses_damaged_bodies(void **state)
{
    (void)state;
    uint8_t body[16] = { 0x08, 42, 4, 0, 1, 2, 3, 4 };
    uint32_t crc = bpf_ctl_crc32(0, body, 8);
    memcpy(body + 8, &crc, 4); /* the host is little-endian */
    struct bpf_ctl_frame f;
    assert_int_equal(bpf_ctl_frame_parse(body, 12, &f), 0);
    assert_int_equal(f.crc, crc);
    for (unsigned i = 0; i < 12; i++) { /* any one bit flipped */
        body[i] ^= 0x10;
        assert_int_equal(bpf_ctl_frame_parse(body, 12, &f), -EBADMSG);
        body[i] ^= 0x10;
    }
    assert_int_equal(bpf_ctl_frame_parse(body, 11, &f), -EBADMSG); /* length disagrees */
    assert_int_equal(bpf_ctl_frame_parse(body, 13, &f), -EBADMSG);
    assert_int_equal(bpf_ctl_frame_parse(body, 7, &f), -EBADMSG);  /* short */
    assert_int_equal(f.seq, 42);
    body[3] = 2; /* payload of 516 bytes */
    assert_int_equal(bpf_ctl_frame_parse(body, 12, &f), -EBADMSG);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_crc32_matches_zlib),
        cmocka_unit_test(test_every_byte_value_survives_encoding),
        cmocka_unit_test(test_encoding_in_place_equals_encoding_apart),
        cmocka_unit_test(test_encoder_refuses_oversize),
        cmocka_unit_test(test_text_is_left_to_the_shell),
        cmocka_unit_test(test_start_byte_restarts_a_frame),
        cmocka_unit_test(test_overlong_frame_keeps_its_head_and_drops_the_rest),
        cmocka_unit_test(test_frames_arriving_while_one_waits_are_dropped),
        cmocka_unit_test(test_reset_forgets_only_the_unfinished_frame),
        cmocka_unit_test(test_empty_frame_is_ignored),
        cmocka_unit_test(test_parse_refuses_damaged_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
