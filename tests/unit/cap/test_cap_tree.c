/* SPDX-License-Identifier: MIT */
/* Capability derivation (kernel/proc/cap.c) on the fake port: copies and mints
 * that never widen rights, badges given once, moves that keep the tree,
 * deletions that hand children up, revokes across processes, transfers and
 * the slot a revoke works from. The processes: cap_procs.h. */
#include <errno.h>
#include <string.h>

#include <pica/proc.h>
#include <pica/sem.h>

#include "cap.h"
#include "cap_procs.h"
#include "core_test.h"
#include "fake_heap.h"

/* ---- copy and mint ------------------------------------------------------- */

static void
test_copy_gives_equal_or_fewer_rights(void **state)
{
    (void)state;
    core_boot();
    procs_setup(0);
    int root = given(A, PICA_CAP_SEM, &given_sem, R | W);
    assert_int_equal(root, 0);
    assert_int_equal(cap_copy(A, 0, ANY, R | W), 1);
    assert_int_equal(cap_info(A, 1), PICA_CAP_SEM | (R | W) << 8);
    assert_int_equal(cap_copy(A, 0, ANY, R), 2);
    assert_int_equal(cap_info(A, 2), PICA_CAP_SEM | R << 8);
    assert_int_equal(cap_copy(A, 0, 9, 0), 9);
    assert_int_equal(cap_info(A, 9), PICA_CAP_SEM);
    void *obj = NULL;
    assert_int_equal(cap_lookup(A, 2, PICA_CAP_SEM, R, &obj), 0);
    assert_ptr_equal(obj, &given_sem);
    assert_int_equal(cap_lookup(A, 2, PICA_CAP_SEM, W, &obj), -EPERM);
    /* Refused: wider rights, rights that do not exist, taken or bad slots. */
    assert_int_equal(cap_copy(A, 0, ANY, R | G), -EPERM);
    assert_int_equal(cap_copy(A, 0, ANY, ALL), -EPERM);
    assert_int_equal(cap_copy(A, 2, ANY, W), -EPERM);
    assert_int_equal(cap_copy(A, 2, ANY, R | W), -EPERM);
    assert_int_equal(cap_copy(A, 0, ANY, 0x8), -EINVAL);
    assert_int_equal(cap_copy(A, 0, 1, R), -EEXIST);
    assert_int_equal(cap_copy(A, 0, 0, R), -EEXIST);
    assert_int_equal(cap_copy(A, 0, SLOTS, R), -EBADF);
    assert_int_equal(cap_copy(A, 0, 0x80000000u, R), -EBADF);
    assert_int_equal(cap_copy(A, SLOTS, 5, R), -EBADF);
    assert_int_equal(cap_copy(A, ANY, 5, R), -EBADF);
    assert_int_equal(cap_copy(A, 5, 6, R), -EBADF); /* empty */
    assert_int_equal(occupied(A), 4);
    assert_int_equal(cap_children(A, 0), 3);
    assert_int_equal(cap_children(A, 1), 0);
    /* PICA_SLOT_ANY: the lowest free slot. */
    assert_int_equal(cap_copy(A, 1, ANY, R), 3);
    assert_int_equal(cap_children(A, 1), 1);
    assert_int_equal(cap_delete(A, 1), 0);
    assert_int_equal(cap_copy(A, 0, ANY, R), 1);
    /* A reply is never copied. */
    int reply = given(A, PICA_CAP_REPLY, reply_obj, ALL);
    assert_int_equal(cap_copy(A, (uint32_t)reply, ANY, R), -EPERM);
    /* A full table. */
    while (occupied(A) < SLOTS) {
        assert_true(cap_copy(A, 0, ANY, 0) >= 0);
    }
    assert_int_equal(cap_copy(A, 0, ANY, 0), -ENOSPC);
    assert_int_equal(cap_copy(A, 0, 4, 0), -EEXIST);
    cap_release_all(A);
    assert_int_equal(occupied(A), 0);
}

static void
test_mint_gives_a_badge_once(void **state)
{
    (void)state;
    core_boot();
    procs_setup(1024);
    int ep = given(A, PICA_CAP_EP, ep_obj, ALL);
    int m = cap_mint(A, (uint32_t)ep, ANY, R | W, 42);
    assert_true(m >= 0);
    assert_int_equal(cap_badge(A, (uint32_t)m), 42);
    assert_int_equal(cap_badge(A, (uint32_t)ep), 0);
    assert_int_equal(cap_info(A, (uint32_t)m), PICA_CAP_EP | (R | W) << 8);
    /* No badge over a badge, not even the same one, not through a copy. */
    assert_int_equal(cap_mint(A, (uint32_t)m, ANY, R, 43), -EPERM);
    assert_int_equal(cap_mint(A, (uint32_t)m, ANY, R, 42), -EPERM);
    int c = cap_copy(A, (uint32_t)m, ANY, R);
    assert_true(c >= 0);
    assert_int_equal(cap_badge(A, (uint32_t)c), 42);
    assert_int_equal(cap_mint(A, (uint32_t)c, ANY, R, 7), -EPERM);
    /* Badges are 1..PICA_BADGE_MAX. */
    assert_int_equal(cap_mint(A, (uint32_t)ep, ANY, R, 0), -EINVAL);
    assert_int_equal(cap_mint(A, (uint32_t)ep, ANY, R, PICA_BADGE_MAX + 1u), -EINVAL);
    assert_int_equal(cap_mint(A, (uint32_t)ep, ANY, R, UINT32_MAX), -EINVAL);
    int max = cap_mint(A, (uint32_t)ep, ANY, R, PICA_BADGE_MAX);
    assert_true(max >= 0);
    assert_int_equal(cap_badge(A, (uint32_t)max), (int)PICA_BADGE_MAX);
    /* Rights and slots are checked as for a copy. */
    assert_int_equal(cap_mint(A, (uint32_t)m, ANY, ALL, 5), -EPERM);
    assert_int_equal(cap_mint(A, (uint32_t)ep, ANY, 0x8, 5), -EINVAL);
    assert_int_equal(cap_mint(A, (uint32_t)ep, (uint32_t)ep, R, 5), -EEXIST);
    assert_int_equal(cap_mint(A, (uint32_t)ep, SLOTS, R, 5), -EBADF);
    assert_int_equal(cap_mint(A, 20, ANY, R, 5), -EBADF);
    /* Notifications take badges; semaphores, threads and replies do not. */
    int n = given(A, PICA_CAP_NTFN, ntfn_obj, ALL);
    int nb = cap_mint(A, (uint32_t)n, ANY, W, 0x10);
    assert_true(nb >= 0);
    assert_int_equal(cap_badge(A, (uint32_t)nb), 0x10);
    int sem = given(A, PICA_CAP_SEM, &given_sem, ALL);
    assert_int_equal(cap_mint(A, (uint32_t)sem, ANY, R, 5), -EINVAL);
    int owned = owned_sem(A, ALL);
    assert_int_equal(cap_mint(A, (uint32_t)owned, ANY, R, 5), -EINVAL);
    int th = given(A, PICA_CAP_THREAD, thread_obj, ALL);
    assert_int_equal(cap_mint(A, (uint32_t)th, ANY, R, 5), -EINVAL);
    int reply = given(A, PICA_CAP_REPLY, reply_obj, ALL);
    assert_int_equal(cap_mint(A, (uint32_t)reply, ANY, R, 5), -EPERM);
    assert_int_equal(cap_children(A, (uint32_t)ep), 2);
    assert_int_equal(cap_children(A, (uint32_t)m), 1);
    cap_release_all(A);
    assert_int_equal(fake_heap_live(), 0);
}

/* Every derivation path, every pair of rights: a right dropped anywhere
 * along a chain never comes back. */
static void
check_chain_end(struct pica_proc *p, int end, unsigned have, bool badged)
{
    assert_int_equal(rights_of(p, end), have);
    for (unsigned want = 0; want <= ALL; want++) {
        bool ok = (want & ~have) == 0;
        int c = cap_copy(p, (uint32_t)end, ANY, want);
        if (ok) {
            assert_true(c >= 0);
            assert_int_equal(rights_of(p, c), want);
            assert_int_equal(cap_delete(p, (uint32_t)c), 0);
        } else {
            assert_int_equal(c, -EPERM);
        }
        int m = cap_mint(p, (uint32_t)end, ANY, want, 77);
        if (ok && !badged) {
            assert_true(m >= 0);
            assert_int_equal(rights_of(p, m), want);
            assert_int_equal(cap_delete(p, (uint32_t)m), 0);
        } else {
            assert_int_equal(m, -EPERM);
        }
    }
}

static void
test_rights_never_widen_through_any_chain(void **state)
{
    (void)state;
    core_boot();
    for (unsigned have = 0; have <= ALL; have++) {
        procs_setup(0);
        int root = given(A, PICA_CAP_EP, ep_obj, ALL);
        /* copy, then move */
        int c = cap_copy(A, (uint32_t)root, ANY, have);
        assert_int_equal(cap_move(A, (uint32_t)c, 20), 20);
        check_chain_end(A, 20, have, false);
        /* mint, then copy of the badged one, then move */
        int m = cap_mint(A, (uint32_t)root, ANY, have, 9);
        int mc = cap_copy(A, (uint32_t)m, ANY, have);
        assert_int_equal(cap_move(A, (uint32_t)mc, 25), 25);
        check_chain_end(A, 25, have, true);
        /* passed to another process and back */
        int t = transfer(A, 20, B, ANY);
        if (have & G) {
            assert_true(t >= 0);
            check_chain_end(B, t, have, false);
            int back = transfer(B, t, A, ANY);
            assert_true(back >= 0);
            check_chain_end(A, back, have, false);
        } else {
            assert_int_equal(t, -EPERM);
        }
        /* copies narrowed twice */
        for (unsigned less = 0; less <= ALL; less++) {
            int n = cap_copy(A, 20, ANY, have & less);
            assert_true(n >= 0);
            check_chain_end(A, n, have & less, false);
            assert_int_equal(cap_delete(A, (uint32_t)n), 0);
        }
        cap_release_all(A);
        cap_release_all(B);
    }
}

/* ---- move, delete, revoke ------------------------------------------------ */

static void
move_keeps_derivation_body(void)
{
    procs_setup(0);
    int root = given(A, PICA_CAP_SEM, &given_sem, ALL); /* 0 */
    int child = cap_copy(A, (uint32_t)root, ANY, ALL); /* 1 */
    int grandchild = cap_copy(A, (uint32_t)child, ANY, R); /* 2 */
    int remote = transfer(A, root, B, ANY);
    assert_true(child == 1 && grandchild == 2 && remote == 0);
    /* The parent moves: its children follow it. */
    assert_int_equal(cap_move(A, 0, 10), 10);
    assert_null(A->caps[0].obj);
    assert_int_equal(cap_children(A, 10), 2); /* child, and remote in B */
    /* The child moves: its own child stays its child, and it stays the
     * parent's. */
    assert_int_equal(cap_move(A, 1, 20), 20);
    assert_int_equal(cap_children(A, 20), 1);
    int kids[4];
    assert_int_equal(children_of(A, 20, kids, 4), 1);
    assert_int_equal(kids[0], 2);
    /* Refusals change nothing. */
    assert_int_equal(cap_move(A, 20, 10), -EEXIST);
    assert_int_equal(cap_move(A, 20, ANY), -EBADF);
    assert_int_equal(cap_move(A, 20, SLOTS), -EBADF);
    assert_int_equal(cap_move(A, SLOTS, 3), -EBADF);
    assert_int_equal(cap_move(A, 5, 6), -EBADF);
    assert_int_equal(cap_move(A, 20, 20), 20);
    assert_int_equal(occupied(A), 3);
    /* The moved parent's revoke finds all three, in both processes. */
    uint32_t n = 0;
    assert_int_equal(cap_revoke(A, 10, &n), 0);
    assert_int_equal(n, 3);
    assert_int_equal(occupied(A), 1);
    assert_int_equal(occupied(B), 0);
    assert_int_equal(cap_info(A, 10), PICA_CAP_SEM | ALL << 8);
    /* Moved slots are revoked by their ancestor. */
    int c2 = cap_copy(A, 10, ANY, R);
    int g2 = cap_copy(A, (uint32_t)c2, ANY, R);
    assert_int_equal(cap_move(A, (uint32_t)c2, 30), 30);
    assert_int_equal(cap_move(A, (uint32_t)g2, 31), 31);
    assert_int_equal(cap_revoke(A, 10, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(occupied(A), 1);
}

static void
test_move_keeps_derivation(void **state)
{
    (void)state;
    run_in_thread(move_keeps_derivation_body);
}

static void
delete_of_a_middle_node_hands_its_children_up_body(void)
{
    procs_setup(0);
    int root = given(A, PICA_CAP_SEM, &given_sem, ALL);
    int middle = cap_copy(A, (uint32_t)root, ANY, ALL);
    int sibling = cap_copy(A, (uint32_t)root, ANY, ALL);
    int x = cap_copy(A, (uint32_t)middle, ANY, ALL);
    int y = cap_copy(A, (uint32_t)middle, ANY, ALL);
    int z = cap_copy(A, (uint32_t)x, ANY, ALL);
    int far = transfer(A, middle, B, ANY);
    assert_true(far >= 0);
    assert_int_equal(cap_delete(A, (uint32_t)middle), 0);
    /* Its children took its place among its siblings, in their order. */
    int kids[8];
    assert_int_equal(children_of(A, root, kids, 8), 3);
    assert_int_equal(cap_children(A, (uint32_t)root), 4); /* and far, in B */
    assert_int_equal(kids[0], x);
    assert_int_equal(kids[1], y);
    assert_int_equal(kids[2], sibling);
    assert_int_equal(children_of(A, x, kids, 8), 1);
    assert_int_equal(kids[0], z);
    /* They survived; the grandparent's revoke takes them all. */
    assert_int_equal(occupied(A), 5);
    uint32_t n = 0;
    assert_int_equal(cap_revoke(A, (uint32_t)root, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(occupied(A), 1);
    assert_int_equal(occupied(B), 0);
    /* A root deleted: its children stay, roots now, and can be revoked. */
    int c = cap_copy(A, (uint32_t)root, ANY, ALL);
    int d = cap_copy(A, (uint32_t)c, ANY, ALL);
    int e = cap_copy(A, (uint32_t)c, ANY, ALL);
    int f = cap_copy(A, (uint32_t)d, ANY, ALL);
    assert_int_equal(cap_delete(A, (uint32_t)root), 0);
    assert_int_equal(cap_delete(A, (uint32_t)c), 0);
    assert_int_equal(occupied(A), 3);
    assert_int_equal(cap_revoke(A, (uint32_t)d, &n), 0);
    assert_int_equal(n, 1);
    assert_null(A->caps[f].obj);
    assert_non_null(A->caps[e].obj);
    assert_int_equal(cap_delete(A, (uint32_t)d), 0);
    assert_int_equal(cap_delete(A, (uint32_t)e), 0);
    assert_int_equal(occupied(A), 0);
}

static void
test_delete_of_a_middle_node_hands_its_children_up(void **state)
{
    (void)state;
    run_in_thread(delete_of_a_middle_node_hands_its_children_up_body);
}

static void
revoke_deletes_descendants_in_every_process_body(void)
{
    uint32_t charge = cap_obj_charge(sizeof(struct pica_sem));
    procs_setup(4 * charge);
    int root = owned_sem(A, ALL);
    struct pica_sem *sem = A->caps[root].obj;
    int a1 = cap_copy(A, (uint32_t)root, ANY, ALL);
    int b1 = transfer(A, root, B, ANY);
    int b2 = cap_copy(B, (uint32_t)b1, ANY, ALL);
    int a2 = transfer(B, b2, A, ANY);
    int b3 = transfer(A, a1, B, ANY);
    assert_true(a1 >= 0 && b1 >= 0 && b2 >= 0 && a2 >= 0 && b3 >= 0);
    assert_int_equal(occupied(A), 3);
    assert_int_equal(occupied(B), 3);
    uint32_t n = 99;
    assert_int_equal(cap_revoke(A, (uint32_t)root, &n), 0);
    assert_int_equal(n, 5);
    assert_int_equal(occupied(A), 1);
    assert_int_equal(occupied(B), 0);
    assert_ptr_equal(A->caps[root].obj, sem);
    assert_int_equal(cap_children(A, (uint32_t)root), 0);
    /* The object stays: the revoked slot still names it. */
    assert_int_equal(sem->max, 5);
    assert_int_equal(A->quota_used, charge);
    assert_int_equal(fake_heap_live(), 1);
    assert_false(A->caps[root].flags & PICA_CAP_REVOKING);
    /* Nothing left to revoke; an empty slot is refused. */
    assert_int_equal(cap_revoke(A, (uint32_t)root, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(cap_revoke(A, (uint32_t)root, NULL), 0);
    n = 99;
    assert_int_equal(cap_revoke(A, 7, &n), -EBADF);
    assert_int_equal(n, 0);
    assert_int_equal(cap_revoke(A, SLOTS, NULL), -EBADF);
    assert_int_equal(cap_revoke(A, ANY, NULL), -EBADF);
    assert_int_equal(cap_delete(A, (uint32_t)root), 0);
    assert_int_equal(A->quota_used, 0);
    assert_int_equal(fake_heap_live(), 0);
}

static void
test_revoke_deletes_descendants_in_every_process(void **state)
{
    (void)state;
    run_in_thread(revoke_deletes_descendants_in_every_process_body);
}

/* A tree of @count descendants of A's slot 0, spread over the four
 * processes at every depth; the revoke deletes exactly those. */
static void
revoke_tree_of(unsigned count)
{
    procs_setup(0);
    struct {
        struct pica_proc *p;
        int slot;
    } nodes[NPROCS * SLOTS];
    nodes[0].p = A;
    nodes[0].slot = given(A, PICA_CAP_SEM, &given_sem, ALL);
    unsigned made = 1;
    for (unsigned k = 0; k < count; k++) {
        unsigned parent = (k * 7u + 3u) % made;
        struct pica_proc *to = &test_procs[(k * 5u + 1u) % NPROCS];
        while (occupied(to) == SLOTS) {
            to = &test_procs[(unsigned)(to - test_procs + 1) % NPROCS];
        }
        int slot = to == nodes[parent].p ? cap_copy(to, (uint32_t)nodes[parent].slot, ANY, ALL)
                                         : transfer(nodes[parent].p, nodes[parent].slot, to, ANY);
        assert_true(slot >= 0);
        nodes[made].p = to;
        nodes[made].slot = slot;
        made++;
    }
    unsigned before = 0;
    for (unsigned i = 0; i < NPROCS; i++) {
        before += occupied(&test_procs[i]);
    }
    assert_int_equal(before, count + 1);
    uint32_t n = 0;
    assert_int_equal(cap_revoke(A, (uint32_t)nodes[0].slot, &n), 0);
    assert_int_equal(n, count);
    assert_int_equal(occupied(A), 1);
    for (unsigned i = 1; i < NPROCS; i++) {
        assert_int_equal(occupied(&test_procs[i]), 0);
    }
    cap_release_all(A);
}

static void
revoke_counts_exactly_the_descendants_body(void)
{
    revoke_tree_of(1);
    revoke_tree_of(10);
    revoke_tree_of(100);
    revoke_tree_of(NPROCS * SLOTS - 1);
}

static void
test_revoke_counts_exactly_the_descendants(void **state)
{
    (void)state;
    run_in_thread(revoke_counts_exactly_the_descendants_body);
}

/* ---- transfer and the revoking mark -------------------------------------- */

static void
transfer_needs_grant_and_keeps_badge_and_rights_body(void)
{
    procs_setup(0);
    int ep = given(A, PICA_CAP_EP, ep_obj, ALL);
    int m = cap_mint(A, (uint32_t)ep, ANY, R | G, 42);
    int t = transfer(A, m, B, ANY);
    assert_int_equal(t, 0);
    assert_int_equal(cap_info(B, 0), PICA_CAP_EP | (R | G) << 8);
    assert_int_equal(cap_badge(B, 0), 42);
    assert_int_equal(cap_children(A, (uint32_t)m), 1);
    assert_int_equal(transfer(A, m, B, 5), 5);
    assert_int_equal(transfer(A, m, B, 5), -EEXIST);
    assert_int_equal(transfer(A, m, B, SLOTS), -EBADF);
    /* Passed on again from B: a grandchild, same badge and rights. */
    assert_int_equal(transfer(B, 0, A, 30), 30);
    assert_int_equal(cap_badge(A, 30), 42);
    assert_int_equal(rights_of(A, 30), R | G);
    /* Without the grant right; from an empty or bad slot. */
    int nog = cap_copy(A, (uint32_t)ep, ANY, R | W);
    assert_int_equal(transfer(A, nog, B, ANY), -EPERM);
    assert_int_equal(transfer(A, 20, B, ANY), -EBADF);
    assert_int_equal(transfer(A, SLOTS, B, ANY), -EBADF);
    /* Threads and replies never leave their process; a reply is never
     * copied, not even within it. */
    int th = given(A, PICA_CAP_THREAD, thread_obj, ALL);
    int rp = given(A, PICA_CAP_REPLY, reply_obj, ALL);
    assert_int_equal(transfer(A, th, B, ANY), -EPERM);
    assert_int_equal(transfer(A, rp, B, ANY), -EPERM);
    assert_int_equal(occupied(B), 2);
    assert_int_equal(transfer(A, rp, A, ANY), -EPERM);
    int home = transfer(A, th, A, ANY);
    assert_true(home >= 0);
    assert_int_equal(cap_info(A, (uint32_t)home), PICA_CAP_THREAD | ALL << 8);
    /* Only to a running process. */
    B->state = PICA_PROC_EXITED;
    assert_int_equal(transfer(A, m, B, ANY), -ESRCH);
    B->state = PICA_PROC_RUNNING;
    /* A full table. */
    while (occupied(B) < SLOTS) {
        assert_true(transfer(A, m, B, ANY) >= 0);
    }
    assert_int_equal(transfer(A, m, B, ANY), -ENOSPC);
    /* All of B's are children of m (or of them): m's revoke takes them. */
    uint32_t n = 0;
    assert_int_equal(cap_revoke(A, (uint32_t)m, &n), 0);
    assert_int_equal(n, SLOTS + 1); /* B's, and A's 30 */
    assert_int_equal(occupied(B), 0);
    assert_null(A->caps[30].obj);
}

static void
test_transfer_needs_grant_and_keeps_badge_and_rights(void **state)
{
    (void)state;
    run_in_thread(transfer_needs_grant_and_keeps_badge_and_rights_body);
}

static void
test_revoking_slot_refuses_delete_and_move(void **state)
{
    (void)state;
    core_boot();
    procs_setup(0);
    int root = given(A, PICA_CAP_SEM, &given_sem, ALL);
    int child = cap_copy(A, (uint32_t)root, ANY, ALL);
    A->caps[root].flags |= PICA_CAP_REVOKING;
    assert_int_equal(cap_delete(A, (uint32_t)root), -EBUSY);
    assert_int_equal(cap_move(A, (uint32_t)root, 9), -EBUSY);
    assert_int_equal(cap_move(A, (uint32_t)root, (uint32_t)root), -EBUSY);
    assert_ptr_equal(A->caps[root].obj, &given_sem);
    assert_null(A->caps[9].obj);
    assert_int_equal(cap_children(A, (uint32_t)root), 1);
    /* Its children are not marked. */
    assert_int_equal(cap_move(A, (uint32_t)child, 9), 9);
    assert_int_equal(cap_delete(A, 9), 0);
    A->caps[root].flags &= (uint8_t)~PICA_CAP_REVOKING;
    assert_int_equal(cap_move(A, (uint32_t)root, 9), 9);
    assert_int_equal(cap_delete(A, 9), 0);
    assert_int_equal(occupied(A), 0);
}

static const struct core_test tests[] = {
    CORE_TEST(test_copy_gives_equal_or_fewer_rights),
    CORE_TEST(test_mint_gives_a_badge_once),
    CORE_TEST(test_rights_never_widen_through_any_chain),
    CORE_TEST(test_move_keeps_derivation),
    CORE_TEST(test_delete_of_a_middle_node_hands_its_children_up),
    CORE_TEST(test_revoke_deletes_descendants_in_every_process),
    CORE_TEST(test_revoke_counts_exactly_the_descendants),
    CORE_TEST(test_transfer_needs_grant_and_keeps_badge_and_rights),
    CORE_TEST(test_revoking_slot_refuses_delete_and_move),
};

CORE_TEST_MAIN(tests)
