/* SPDX-License-Identifier: MIT */
/* Reset code: .data copied from its load image, .bss and TLS zeroed,
 * constructors run, the boot stack and heap where the linker put them. */
#include <errno.h>
#include <pica/pica.h>
#include <pica/test.h>
#include <pica/thread.h>
#include <stdint.h>
#include <string.h>

extern char __data_start[], __data_end[], __bss_start[], __bss_end[];
extern char __ram_start[], __ram_end[], __boot_stack_bottom[], __boot_stack_top[];

static volatile uint32_t initialised_word = 0xC0FFEE11u;
static volatile char initialised_text[] = "pica data";
static volatile uint32_t zeroed_words[256];
static volatile uint8_t zeroed_byte;
static int constructor_ran;

__attribute__((constructor)) static void
boot_constructor(void)
{
    constructor_ran = initialised_word == 0xC0FFEE11u ? 1 : -1;
}

PICA_TEST(data_has_initial_values)
{
    pica_assert_eq(initialised_word, 0xC0FFEE11u);
    pica_assert(strcmp((const char *)initialised_text, "pica data") == 0);
}

PICA_TEST(data_is_writable_ram)
{
    pica_assert((char *)&initialised_word >= __data_start);
    pica_assert((char *)&initialised_word < __data_end);
    pica_assert((uintptr_t)__data_start >= (uintptr_t)__ram_start);
    pica_assert((uintptr_t)__data_end <= (uintptr_t)__ram_end);
    initialised_word = 7;
    pica_assert_eq(initialised_word, 7);
}

PICA_TEST(bss_is_zero)
{
    for (unsigned i = 0; i < 256; i++) {
        pica_assert_eq(zeroed_words[i], 0);
    }
    pica_assert_eq(zeroed_byte, 0);
    pica_assert((char *)zeroed_words >= __bss_start && (char *)zeroed_words < __bss_end);
}

PICA_TEST(tls_errno_is_usable)
{
    errno = 0;
    pica_assert_eq(errno, 0);
    errno = ERANGE;
    pica_assert_eq(errno, ERANGE);
}

PICA_TEST(constructors_ran_after_data_init)
{
    pica_assert_eq(constructor_ran, 1);
}

PICA_TEST(main_runs_in_its_own_thread_off_the_boot_stack)
{
    char here;
    struct pica_thread_info info;
    pica_assert_eq(pica_thread_info(pica_thread_self(), &info), 0);
    pica_assert(strcmp(info.name, "main") == 0);
    pica_assert_eq(info.prio, PICA_PRIO_MAIN);
    pica_assert(info.running);
    /* The boot stack now serves interrupts only. */
    pica_assert(&here < __boot_stack_bottom || &here >= __boot_stack_top);
}

int
main(void)
{
    pica_test_run();
}
