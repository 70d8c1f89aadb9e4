/* SPDX-License-Identifier: MIT */
/* The input side of the line editor (shell/keys.h): ECMA-48 byte classes
 * drive a six-state parser, so a sequence split over any number of feeds
 * decodes the same and junk costs O(1) per byte with nothing stored but a
 * clamped number and two counters. */
#include "keys.h"

#include <stdbool.h>

enum {
    KEYS_PLAIN,  /* not in a sequence */
    KEYS_ESC,    /* after ESC */
    KEYS_CSI,    /* after ESC [: parameters, intermediates, then a final byte */
    KEYS_SS3,    /* after ESC O: one more byte */
    KEYS_NF,     /* after ESC and an intermediate byte: up to a byte 0x30-0x7E */
    KEYS_STRING, /* a control string (ESC P, ESC ], ESC X, ESC ^, ESC _) */
};

/* k->flags */
#define KEYS_DROP 0x01 /* nothing we map: read on to the final byte, then drop */
#define KEYS_NEXT 0x02 /* past the first parameter */

/* Parameter and intermediate bytes a CSI may carry before we stop
 * recording it. The keys we know need at most "1;5"; a longer sequence is
 * still read to its final byte so its tail never shows up as text. */
#define CSI_MAX 16

/* C0 control characters; those not listed mean nothing. ESC never gets
 * here. */
static const uint8_t ctrl_key[0x20] = {
    [0x01] = SHELL_KEY_HOME,      /* Ctrl-A */
    [0x02] = SHELL_KEY_LEFT,      /* Ctrl-B */
    [0x03] = SHELL_KEY_INTERRUPT, /* Ctrl-C */
    [0x04] = SHELL_KEY_DELETE,    /* Ctrl-D */
    [0x05] = SHELL_KEY_END,       /* Ctrl-E */
    [0x06] = SHELL_KEY_RIGHT,     /* Ctrl-F */
    [0x08] = SHELL_KEY_BACKSPACE, /* BS, Ctrl-H */
    [0x09] = SHELL_KEY_TAB,
    [0x0a] = SHELL_KEY_LF,
    [0x0b] = SHELL_KEY_KILL_END, /* Ctrl-K */
    [0x0c] = SHELL_KEY_CLEAR,    /* Ctrl-L */
    [0x0d] = SHELL_KEY_CR,
    [0x0e] = SHELL_KEY_DOWN,       /* Ctrl-N */
    [0x10] = SHELL_KEY_UP,         /* Ctrl-P */
    [0x15] = SHELL_KEY_KILL_START, /* Ctrl-U */
    [0x17] = SHELL_KEY_KILL_WORD,  /* Ctrl-W */
};

/* The final byte of a cursor key, after CSI or SS3. */
static enum shell_key
cursor_key(uint8_t c)
{
    switch (c) {
    case 'A': return SHELL_KEY_UP;
    case 'B': return SHELL_KEY_DOWN;
    case 'C': return SHELL_KEY_RIGHT;
    case 'D': return SHELL_KEY_LEFT;
    case 'H': return SHELL_KEY_HOME;
    case 'F': return SHELL_KEY_END;
    default: return SHELL_KEY_NONE;
    }
}

/* The final byte of a CSI. Cursor keys may carry a first parameter of 1
 * and a modifier (xterm sends ESC[1;5C for Ctrl-Right); the modifier is
 * disregarded. Editing keys are ESC[n~ (VT220), with or without one. */
static enum shell_key
csi_final(const struct shell_keys *k, uint8_t c)
{
    if (k->flags & KEYS_DROP) {
        return SHELL_KEY_NONE;
    }
    if (c == '~') {
        switch (k->arg) {
        case 1: case 7: return SHELL_KEY_HOME;
        case 3: return SHELL_KEY_DELETE;
        case 4: case 8: return SHELL_KEY_END;
        default: return SHELL_KEY_NONE;
        }
    }
    return k->arg <= 1 ? cursor_key(c) : SHELL_KEY_NONE;
}

/* A parameter (0x30-0x3F) or intermediate (0x20-0x2F) byte of a CSI.
 * Only digits and ';' occur in the keys we know; private markers
 * (0x3C-0x3F), sub-parameters (':') and intermediates mark a sequence
 * meant for something else. */
static void
csi_byte(struct shell_keys *k, uint8_t c)
{
    if (k->count < CSI_MAX) {
        k->count++;
    } else {
        k->flags |= KEYS_DROP;
    }
    if (c <= 0x2f || c == ':' || c > ';') {
        k->flags |= KEYS_DROP;
    } else if (c == ';') {
        k->flags |= KEYS_NEXT;
    } else if (!(k->flags & KEYS_NEXT) && k->arg < 1000) {
        k->arg = (uint16_t)(k->arg * 10 + (c - '0'));
    }
}

/* The state after ESC and @c (0x20-0x7E). A control string's text runs to
 * its terminator, ST (ESC \) or BEL, both control bytes, so it ends there
 * by the rule in shell_keys_feed(). ESC and any other final byte (what
 * terminals send for Alt+key) is a complete sequence, and means nothing
 * here. */
static uint8_t
after_esc(uint8_t c)
{
    switch (c) {
    case '[': return KEYS_CSI;
    case 'O': return KEYS_SS3;
    case 'P': case ']': case 'X': case '^': case '_': return KEYS_STRING;
    default: return c <= 0x2f ? KEYS_NF : KEYS_PLAIN;
    }
}

/* A byte 0x20-0x7E inside a sequence. */
static enum shell_key
sequence_byte(struct shell_keys *k, uint8_t c)
{
    switch (k->state) {
    case KEYS_ESC:
        k->state = after_esc(c);
        k->arg = 0;
        k->count = 0;
        k->flags = 0;
        return SHELL_KEY_NONE;
    case KEYS_SS3:
        k->state = KEYS_PLAIN;
        return cursor_key(c);
    case KEYS_NF:
        if (c >= 0x30) {
            k->state = KEYS_PLAIN;
        }
        return SHELL_KEY_NONE;
    case KEYS_STRING:
        return SHELL_KEY_NONE;
    default:
        if (c >= 0x40) {
            k->state = KEYS_PLAIN;
            return csi_final(k, c);
        }
        csi_byte(k, c);
        return SHELL_KEY_NONE;
    }
}

/* Inside a sequence, any byte outside 0x20-0x7E ends it and then counts as
 * itself, so a stray ESC never eats the Enter or Ctrl-C after it; an ESC
 * starts a new sequence. Bytes 0x80 and up mean nothing: the shell speaks
 * ASCII (no UTF-8, no 8-bit C1 controls). */
enum shell_key
shell_keys_feed(struct shell_keys *k, uint8_t c)
{
    bool printable = c >= 0x20 && c <= 0x7e;
    if (k->state != KEYS_PLAIN) {
        if (printable) {
            return sequence_byte(k, c);
        }
        k->state = KEYS_PLAIN;
    }
    if (printable) {
        return SHELL_KEY_CHAR;
    }
    if (c == 0x1b) {
        k->state = KEYS_ESC;
        return SHELL_KEY_NONE;
    }
    if (c == 0x7f) {
        return SHELL_KEY_BACKSPACE;
    }
    return c < 0x20 ? (enum shell_key)ctrl_key[c] : SHELL_KEY_NONE;
}
