/* SPDX-License-Identifier: MIT */
/* Intrusive circular doubly linked list. A list head is a node whose next
 * and prev point to itself when empty; a node that is on no list also points
 * to itself, so removing it twice is harmless. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

struct pica_list {
    struct pica_list *next, *prev;
};

#define PICA_LIST_INIT(name) {&(name), &(name)}
#define pica_container_of(ptr, type, member) ((type *)((char *)(ptr)-offsetof(type, member)))

static inline void
pica_list_init(struct pica_list *l)
{
    l->next = l;
    l->prev = l;
}

static inline bool
pica_list_empty(const struct pica_list *l)
{
    return l->next == l;
}

/* Insert @n just before @pos (at the tail when @pos is the head). */
static inline void
pica_list_insert_before(struct pica_list *pos, struct pica_list *n)
{
    n->next = pos;
    n->prev = pos->prev;
    pos->prev->next = n;
    pos->prev = n;
}

static inline void
pica_list_append(struct pica_list *head, struct pica_list *n)
{
    pica_list_insert_before(head, n);
}

static inline void
pica_list_remove(struct pica_list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    n->next = n;
    n->prev = n;
}

/* Move the linked node @n to just before @pos (the tail when @pos is a
 * head), without passing through the unlinked state. */
static inline void
pica_list_move_before(struct pica_list *pos, struct pica_list *n)
{
    n->prev->next = n->next;
    n->next->prev = n->prev;
    pica_list_insert_before(pos, n);
}

static inline bool
pica_list_is_linked(const struct pica_list *n)
{
    return n->next != n;
}
