/* SPDX-License-Identifier: MIT */
/* The shell's line editor (shell/line.h). shell/keys.c turns each byte
 * into a key; each key changes buf and then writes what it takes for the
 * terminal row to show prompt + buf again with the cursor at the insertion
 * point. History recall and Tab completion are here too. Keys and limits:
 * docs/shell.md. */
#include "line.h"

#include <stdbool.h>
#include <string.h>

/* l->flags */
#define LINE_ACTIVE 0x01   /* prompt and line are on screen, keys edit them */
#define LINE_HIDDEN 0x02   /* erased by shell_line_hide(): write nothing */
#define LINE_AFTER_CR 0x04 /* the last byte was a CR taken as Enter */
#define LINE_TAB_LIST 0x08 /* the last key was a Tab that found several candidates */

/* Candidates asked for per Tab, so a callback that never returns NULL
 * cannot hang the shell. */
#define COMPLETE_MAX 256

static void
out(struct shell_line *l, const char *s, size_t n)
{
    if (n > 0 && !(l->flags & LINE_HIDDEN)) {
        l->io->write(l->io->ctx, s, n);
    }
}

static void
out_str(struct shell_line *l, const char *s)
{
    out(l, s, strlen(s));
}

static void
bell(struct shell_line *l)
{
    out(l, "\a", 1);
}

/* ESC [ n final */
static void
out_csi(struct shell_line *l, size_t n, char final)
{
    char s[16];
    size_t i = sizeof(s);
    s[--i] = final;
    do {
        s[--i] = (char)('0' + n % 10);
        n /= 10;
    } while (n > 0);
    s[--i] = '[';
    s[--i] = '\x1b';
    out(l, s + i, sizeof(s) - i);
}

/* Short moves cost fewer bytes as backspaces (left) or as the characters
 * already there written again (right) than as ESC[nD / ESC[nC, and work on
 * terminals that know no escapes. */
static void
move_left(struct shell_line *l, size_t n)
{
    if (n <= 4) {
        out(l, "\b\b\b\b", n);
    } else {
        out_csi(l, n, 'D');
    }
}

/* Right by @n from buffer position @from (from + n <= len). */
static void
move_right(struct shell_line *l, size_t from, size_t n)
{
    if (n <= 4) {
        out(l, l->buf + from, n);
    } else {
        out_csi(l, n, 'C');
    }
}

static void
move_to(struct shell_line *l, size_t pos)
{
    if (pos < l->cursor) {
        move_left(l, l->cursor - pos);
    } else {
        move_right(l, l->cursor, pos - l->cursor);
    }
    l->cursor = (uint16_t)pos;
}

/* With the terminal's cursor at buffer position @pos, redraw from there to
 * the end, blank the @erase columns the line has just lost, and bring the
 * cursor back to l->cursor. */
static void
draw_tail(struct shell_line *l, size_t pos, size_t erase)
{
    size_t past = 0;
    out(l, l->buf + pos, l->len - pos);
    if (erase == 1) {
        out(l, " ", 1); /* two bytes with the way back, ESC[K is three */
        past = 1;
    } else if (erase > 1) {
        out_str(l, "\x1b[K");
    }
    move_left(l, l->len + past - l->cursor);
}

/* Prompt and line from column 0, whatever the row held before. */
static void
redraw(struct shell_line *l)
{
    out(l, "\r", 1);
    out_str(l, l->prompt);
    out(l, l->buf, l->len);
    out_str(l, "\x1b[K");
    move_left(l, l->len - l->cursor);
}

/* Insert the printable bytes of @s[0..n) at the cursor with one redraw.
 * Returns false if the line filled up first (the caller rings). */
static bool
insert(struct shell_line *l, const char *s, size_t n)
{
    size_t at = l->cursor;
    bool fits = true;
    for (size_t i = 0; i < n; i++) {
        if (s[i] < 0x20 || s[i] > 0x7e) {
            continue;
        }
        if (l->len >= SHELL_LINE_MAX) {
            fits = false;
            break;
        }
        memmove(l->buf + l->cursor + 1, l->buf + l->cursor, l->len - l->cursor + 1u);
        l->buf[l->cursor++] = s[i];
        l->len++;
    }
    if (l->cursor != at) {
        draw_tail(l, at, 0);
    }
    return fits;
}

/* Remove [from, to), which holds the cursor. */
static void
cut(struct shell_line *l, size_t from, size_t to)
{
    if (from == to) {
        return;
    }
    move_left(l, l->cursor - from);
    memmove(l->buf + from, l->buf + to, l->len - to + 1u);
    l->len = (uint16_t)(l->len - (to - from));
    l->cursor = (uint16_t)from;
    draw_tail(l, from, to - from);
}

/* Ctrl-W, as bash: the spaces before the cursor, then the word before them. */
static size_t
word_before(const struct shell_line *l)
{
    size_t p = l->cursor;
    while (p > 0 && l->buf[p - 1] == ' ') {
        p--;
    }
    while (p > 0 && l->buf[p - 1] != ' ') {
        p--;
    }
    return p;
}

/* Show @text in place of the line, cursor at its end. */
static void
replace(struct shell_line *l, const char *text)
{
    size_t old = l->len;
    move_left(l, l->cursor);
    l->len = (uint16_t)strlen(text);
    memcpy(l->buf, text, l->len + 1u);
    l->cursor = l->len;
    draw_tail(l, 0, old > l->len ? old - l->len : 0);
}

static bool
is_blank(const char *s)
{
    while (*s == ' ') {
        s++;
    }
    return *s == '\0';
}

static void
history_add(struct shell_line *l)
{
    const char *newest = shell_line_history(l, 0);
    if (is_blank(l->buf) || (newest != NULL && strcmp(newest, l->buf) == 0)) {
        return;
    }
    memcpy(l->hist[l->hist_next], l->buf, l->len + 1u);
    l->hist_next = (uint8_t)((l->hist_next + 1) % SHELL_HISTORY);
    if (l->hist_count < SHELL_HISTORY) {
        l->hist_count++;
    }
}

/* Up (+1) or down (-1). The line being typed is set aside on the way up
 * and comes back when down passes the newest entry; edits to a recalled
 * entry last until the next step. */
static void
history_step(struct shell_line *l, int dir)
{
    if (dir > 0 && l->hist_pos < l->hist_count) {
        if (l->hist_pos == 0) {
            memcpy(l->saved, l->buf, l->len + 1u);
        }
        l->hist_pos++;
    } else if (dir < 0 && l->hist_pos > 0) {
        l->hist_pos--;
    } else {
        return;
    }
    replace(l, l->hist_pos == 0 ? l->saved : shell_line_history(l, l->hist_pos - 1u));
}

/* The longest common prefix of @a (of length @n at most) and @b. */
static size_t
common_len(const char *a, const char *b, size_t n)
{
    size_t i = 0;
    while (i < n && a[i] == b[i]) {
        i++;
    }
    return i;
}

/* The @idx-th candidate that really starts with the prefix (the callback's
 * word is trusted no further than that), or NULL. */
static const char *
candidate(struct shell_line *l, int argi, size_t word, unsigned *idx)
{
    const struct shell_line_io *io = l->io;
    size_t n = l->cursor - word;
    while (*idx < COMPLETE_MAX) {
        const char *c = io->complete(io->ctx, argi, l->buf + word, n, (*idx)++);
        if (c == NULL) {
            return NULL;
        }
        if (strncmp(c, l->buf + word, n) == 0) {
            return c;
        }
    }
    return NULL;
}

/* The candidates on a row of their own, then the prompt and line again. */
static void
list_candidates(struct shell_line *l, int argi, size_t word)
{
    unsigned idx = 0;
    const char *sep = "\r\n";
    for (const char *c; (c = candidate(l, argi, word, &idx)) != NULL; sep = "  ") {
        out_str(l, sep);
        for (; *c != '\0'; c++) {
            if (*c >= 0x20 && *c <= 0x7e) {
                out(l, c, 1);
            }
        }
    }
    out_str(l, "\r\n");
    redraw(l);
}

/* The word Tab completes runs from the last space before the cursor to the
 * cursor; its argument number counts the words before it. Quotes are not
 * interpreted: a word here is what spaces separate. */
static size_t
word_at_cursor(const struct shell_line *l, int *argi)
{
    size_t word = l->cursor;
    while (word > 0 && l->buf[word - 1] != ' ') {
        word--;
    }
    *argi = 0;
    for (size_t i = 0; i < word; i++) {
        *argi += l->buf[i] != ' ' && (i == 0 || l->buf[i - 1] == ' ');
    }
    return word;
}

/* One candidate: its rest and a space. Several: their common prefix, and
 * on the next Tab in a row, the list. */
static void
complete(struct shell_line *l)
{
    int argi;
    size_t word = word_at_cursor(l, &argi);
    unsigned idx = 0, count = 0;
    const char *first = NULL;
    size_t common = 0;
    for (const char *c; (c = candidate(l, argi, word, &idx)) != NULL; count++) {
        if (first == NULL) {
            first = c;
            common = strlen(c);
        } else {
            common = common_len(first, c, common);
        }
    }
    size_t have = l->cursor - word;
    bool listed = l->flags & LINE_TAB_LIST;
    l->flags &= (uint8_t)~LINE_TAB_LIST;
    if (count == 0) {
        bell(l);
    } else if (count == 1) {
        /* A directory's name ends in '/': the next Tab goes on into it. */
        bool dir = common > 0 && first[common - 1] == '/';
        if (!insert(l, first + have, common - have) || (!dir && !insert(l, " ", 1))) {
            bell(l);
        }
    } else {
        l->flags |= LINE_TAB_LIST;
        if (listed) {
            list_candidates(l, argi, word);
        } else if (common == have || !insert(l, first + have, common - have)) {
            bell(l);
        }
    }
}

/* Enter or Ctrl-C: the line leaves the screen, so hide and show have
 * nothing to act on until the next start. */
static enum shell_line_event
finish(struct shell_line *l, enum shell_line_event ev)
{
    if (ev == SHELL_LINE_LINE) {
        out_str(l, "\r\n");
        history_add(l);
    } else {
        move_to(l, l->len); /* keep what was typed readable above */
        out_str(l, "^C\r\n");
        l->len = 0;
        l->cursor = 0;
        l->buf[0] = '\0';
    }
    l->flags &= (uint8_t)~(LINE_ACTIVE | LINE_HIDDEN | LINE_TAB_LIST);
    l->hist_pos = 0;
    return ev;
}

/* Moves past either end, and deletes with nothing to delete, write
 * nothing. */
static enum shell_line_event
key_run(struct shell_line *l, enum shell_key key, uint8_t c)
{
    char ch = (char)c;
    switch (key) {
    case SHELL_KEY_CHAR:
        if (!insert(l, &ch, 1)) {
            bell(l);
        }
        break;
    case SHELL_KEY_LEFT: move_to(l, l->cursor > 0 ? l->cursor - 1u : 0); break;
    case SHELL_KEY_RIGHT: move_to(l, l->cursor < l->len ? l->cursor + 1u : l->len); break;
    case SHELL_KEY_HOME: move_to(l, 0); break;
    case SHELL_KEY_END: move_to(l, l->len); break;
    case SHELL_KEY_UP: history_step(l, 1); break;
    case SHELL_KEY_DOWN: history_step(l, -1); break;
    case SHELL_KEY_BACKSPACE: cut(l, l->cursor > 0 ? l->cursor - 1u : 0, l->cursor); break;
    case SHELL_KEY_DELETE: cut(l, l->cursor, l->cursor < l->len ? l->cursor + 1u : l->len); break;
    case SHELL_KEY_KILL_END: cut(l, l->cursor, l->len); break;
    case SHELL_KEY_KILL_START: cut(l, 0, l->cursor); break;
    case SHELL_KEY_KILL_WORD: cut(l, word_before(l), l->cursor); break;
    case SHELL_KEY_CLEAR:
        out_str(l, "\x1b[H\x1b[2J");
        redraw(l);
        break;
    case SHELL_KEY_TAB:
        if (l->io->complete != NULL) {
            complete(l);
        }
        break;
    case SHELL_KEY_CR:
        l->flags |= LINE_AFTER_CR;
        return finish(l, SHELL_LINE_LINE);
    case SHELL_KEY_LF: return finish(l, SHELL_LINE_LINE);
    case SHELL_KEY_INTERRUPT: return finish(l, SHELL_LINE_INTERRUPT);
    case SHELL_KEY_NONE: break;
    }
    return SHELL_LINE_NONE;
}

void
shell_line_init(struct shell_line *l, const struct shell_line_io *io, const char *prompt)
{
    memset(l, 0, sizeof(*l));
    l->io = io;
    l->prompt = prompt != NULL ? prompt : "";
}

/* LINE_AFTER_CR survives: the LF of a CR LF may arrive after the command
 * has run and the next prompt is out. */
void
shell_line_start(struct shell_line *l)
{
    l->flags = (uint8_t)((l->flags & LINE_AFTER_CR) | LINE_ACTIVE);
    l->len = 0;
    l->cursor = 0;
    l->buf[0] = '\0';
    l->hist_pos = 0;
    l->keys = (struct shell_keys){ 0 };
    out_str(l, l->prompt);
}

enum shell_line_event
shell_line_feed(struct shell_line *l, uint8_t c)
{
    bool after_cr = l->flags & LINE_AFTER_CR;
    l->flags &= (uint8_t)~LINE_AFTER_CR;
    if (c == '\n' && after_cr) {
        return SHELL_LINE_NONE;
    }
    if (!(l->flags & LINE_ACTIVE)) {
        shell_line_start(l);
    }
    enum shell_key key = shell_keys_feed(&l->keys, c);
    if (key != SHELL_KEY_TAB) {
        l->flags &= (uint8_t)~LINE_TAB_LIST;
    }
    return key_run(l, key, c);
}

void
shell_line_hide(struct shell_line *l)
{
    if ((l->flags & (LINE_ACTIVE | LINE_HIDDEN)) == LINE_ACTIVE) {
        out_str(l, "\r\x1b[K");
        l->flags |= LINE_HIDDEN;
    }
}

void
shell_line_show(struct shell_line *l)
{
    if (l->flags & LINE_ACTIVE) {
        l->flags &= (uint8_t)~LINE_HIDDEN;
        redraw(l);
    }
}

const char *
shell_line_text(const struct shell_line *l)
{
    return l->buf;
}

size_t
shell_line_len(const struct shell_line *l)
{
    return l->len;
}

size_t
shell_line_cursor(const struct shell_line *l)
{
    return l->cursor;
}

unsigned
shell_line_history_count(const struct shell_line *l)
{
    return l->hist_count;
}

const char *
shell_line_history(const struct shell_line *l, unsigned i)
{
    if (i >= l->hist_count) {
        return NULL;
    }
    return l->hist[(l->hist_next + SHELL_HISTORY - 1u - i) % SHELL_HISTORY];
}
