/* SPDX-License-Identifier: MIT */
/* What the user-space attack test (main.c) asks its attacker process
 * (attacker.c) to try, one attempt per start of the process. */
#pragma once

#include <stdint.h>

enum attack {
    ATTACK_READ,           /* load from addr */
    ATTACK_WRITE,          /* store to addr */
    ATTACK_EXEC,           /* call addr */
    ATTACK_EXEC_DATA,      /* run code copied into its own data */
    ATTACK_EXEC_STACK,     /* run code copied onto its own stack */
    ATTACK_PRIV_CONTROL,   /* Cortex-M: msr control (clear nPRIV), then load from addr;
                            * RISC-V: csrw mstatus */
    ATTACK_PRIV_IRQ_OFF,   /* Cortex-M: cpsid i, exit with PRIMASK; RISC-V: csrci mstatus */
    ATTACK_PRIV_MASK,      /* Cortex-M: msr basepri, exit with BASEPRI; RISC-V: mret */
    ATTACK_SYS_IN,         /* write(1, addr, len): an in-buffer */
    ATTACK_SYS_OUT,        /* uptime_us(addr, len): an out-buffer */
    ATTACK_SYS_NUMBER,     /* system call number addr */
    ATTACK_SLOT_TAKE,      /* sem_take(slot addr) */
    ATTACK_SLOT_SEND,      /* queue_send(slot addr) */
    ATTACK_QUOTA,          /* create semaphores until refused: exit with the count */
    ATTACK_STACK_OVERFLOW, /* unbounded recursion */
    ATTACK_UNDEFINED,      /* an undefined instruction */
    ATTACK_UNALIGNED,      /* a doubleword load from an odd address */
    ATTACK_DIV_ZERO,       /* an integer division by zero */
    ATTACK_THREAD_ENTRY,   /* thread_create(entry addr) */
    ATTACK_THREAD_PRIO,    /* thread_create(prio addr) */
    ATTACK_TIME_SET,       /* time_set(slot addr) to 2000-01-01 */
    ATTACK_SPIN,           /* spin forever, making no system call */
    ATTACK_IPC_SLOT,       /* ep_call on slot addr */
    ATTACK_IPC_BADGE,      /* mint a badge over the badge of its own minted endpoint */
    ATTACK_IPC_GRANT,      /* pass a capability without the grant right to a receiver */
    ATTACK_IPC_REPLY_TWICE, /* answer a call, then answer it again */
    ATTACK_IPC_RECV_TAKEN, /* receive a capability into slot addr (taken) */
    ATTACK_IPC_REPLY_COPY, /* copy a saved reply */
    /* Not attacks: blocking calls and endings the test checks */
    MISSION_BLOCK_TIMEOUT, /* sem_take with a timeout of len us: exit with its result */
    MISSION_BLOCK_FOREVER, /* sem_take forever (the test kills it meanwhile) */
    MISSION_EXIT_BLOCKED,  /* two threads block forever, then exit(len) */
    MISSION_LOCK_FAULT,    /* lock the mutex in slot addr, then fault */
};

struct attack_mission {
    uint32_t attack;
    uint32_t addr;
    uint32_t len;
    uint32_t pad;
};

/* What the victim process reports about itself at start. */
struct victim_report {
    uint32_t secret_addr;  /* a word of its data holding VICTIM_SECRET */
    uint32_t stack_addr;   /* a word of its stack holding VICTIM_SECRET */
    uint32_t counter_addr; /* a word it increments as it runs */
    uint32_t spin_addr;    /* a word the test sets to make it spin, never sleeping */
};

#define VICTIM_SECRET 0x5ec2e7a5u
