/* SPDX-License-Identifier: MIT */
/* Terminal input to editing keys: a byte-at-a-time ECMA-48 parser that
 * turns control characters, CSI (ESC [) and SS3 (ESC O) sequences into
 * the keys the line editor (shell/line.c) acts on. Unknown sequences are
 * read to their end and dropped. The bindings are listed in docs/shell.md. */
#pragma once

#include <stdint.h>

enum shell_key {
    SHELL_KEY_NONE,       /* nothing yet, or a byte or sequence that means nothing */
    SHELL_KEY_CHAR,       /* a printable ASCII character: the byte itself */
    SHELL_KEY_LEFT,       /* ESC[D, ESC O D, Ctrl-B */
    SHELL_KEY_RIGHT,      /* ESC[C, ESC O C, Ctrl-F */
    SHELL_KEY_HOME,       /* ESC[H, ESC O H, ESC[1~, ESC[7~, Ctrl-A */
    SHELL_KEY_END,        /* ESC[F, ESC O F, ESC[4~, ESC[8~, Ctrl-E */
    SHELL_KEY_UP,         /* ESC[A, ESC O A, Ctrl-P */
    SHELL_KEY_DOWN,       /* ESC[B, ESC O B, Ctrl-N */
    SHELL_KEY_BACKSPACE,  /* DEL, BS */
    SHELL_KEY_DELETE,     /* ESC[3~, Ctrl-D */
    SHELL_KEY_KILL_END,   /* Ctrl-K */
    SHELL_KEY_KILL_START, /* Ctrl-U */
    SHELL_KEY_KILL_WORD,  /* Ctrl-W */
    SHELL_KEY_CLEAR,      /* Ctrl-L */
    SHELL_KEY_TAB,
    SHELL_KEY_CR,
    SHELL_KEY_LF,
    SHELL_KEY_INTERRUPT, /* Ctrl-C */
};

/* Parser state; all zero is the initial state. */
struct shell_keys {
    uint16_t arg;  /* first numeric parameter of the CSI being read */
    uint8_t state; /* KEYS_* in keys.c */
    uint8_t count; /* CSI parameter and intermediate bytes so far, saturating */
    uint8_t flags; /* what makes the CSI one to drop */
};

/* Feed one byte; returns the key it completes, if any.
 * Context: the thread that owns @k. */
enum shell_key shell_keys_feed(struct shell_keys *k, uint8_t c);
