# Build functions for Pica images (after project()):
#   pica_import()                       build the Pica libraries for PICA_BOARD
#   pica_add_app(name [RAM_NEED bytes] SOURCES...)
#                                       an image linked with Pica
#   pica_add_test_app(name [RAM_NEED bytes] SOURCES...)
#                                       the same plus the in-kernel test framework
#   pica_add_qemu_test(feature APP target [VIRTUAL_TIMEOUT s] [TIMEOUT s] [REALTIME]
#                      [UNSUPPORTED reason] [RUN_ARGS ...] [LABELS ...])
#                                       ctest test qemu.<feature>.<board>; with a
#                                       non-empty UNSUPPORTED it is listed as skipped
#                                       there with the reason (what the board lacks)
#
# RAM_NEED declares the RAM an image needs (stacks, buffers, heap it uses), in
# bytes or with a K suffix. On a board whose PICA_BOARD_RAM is smaller the
# image is left out of the build and its tests are listed by ctest as skipped,
# with the reason: nothing is dropped silently.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/pica-limits.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/pica-user.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/pica-bpf.cmake)

set(PICA_OPT "-O2" CACHE STRING "Optimisation flags for Pica images")
set(PICA_CFG_DEFINES "" CACHE STRING "Extra PICA_CFG_x=y definitions")
set(PICA_TEST_SUFFIX "" CACHE STRING "Added to the board in test names: a variant tree of a board")
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(PICA_WARNINGS -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter)

# The disk image of boards with a semihosting disk (board.cmake sets
# PICA_BOARD_HAS_SEMIHOST_BLK): the host file semihost_blk_open_default()
# opens, and creates at PICA_FS_IMAGE_SIZE bytes if it is missing. By
# default in the build tree (build/<board>/pica-fs.img for make run), so
# it persists from one run to the next and make clean removes it.
set(PICA_FS_IMAGE "${CMAKE_BINARY_DIR}/pica-fs.img" CACHE FILEPATH
    "Host file used as the disk of boards with a semihosting disk")
set(PICA_FS_IMAGE_SIZE 4194304 CACHE STRING
    "Size in bytes of a PICA_FS_IMAGE the board creates (a multiple of 512, below 2 GiB)")

# A board's configuration defaults (PICA_BOARD_CFG in its board.cmake, e.g.
# smaller stacks on a part with little RAM) apply where PICA_CFG_DEFINES
# does not set the same option.
function(pica_effective_cfg out)
    set(cfg ${PICA_CFG_DEFINES})
    foreach(d ${PICA_BOARD_CFG})
        string(REGEX REPLACE "=.*" "" key "${d}")
        set(overridden FALSE)
        foreach(u ${PICA_CFG_DEFINES})
            if(u MATCHES "^${key}(=|$)")
                set(overridden TRUE)
            endif()
        endforeach()
        if(NOT overridden)
            list(APPEND cfg ${d})
        endif()
    endforeach()
    set(${out} ${cfg} PARENT_SCOPE)
endfunction()

function(pica_target_flags target)
    target_compile_options(${target} PRIVATE ${PICA_WARNINGS}
        $<$<COMPILE_LANGUAGE:C>:-std=gnu11>
        ${PICA_CPU_FLAGS} ${PICA_OPT} -g -ffunction-sections -fdata-sections -fno-common)
    pica_effective_cfg(cfg)
    target_compile_definitions(${target} PRIVATE ${PICA_BOARD_DEFINES} ${cfg})
    target_include_directories(${target} PRIVATE
        ${PICA_ROOT}/include ${PICA_ROOT}/arch ${PICA_ROOT}/arch/${PICA_ARCH} ${PICA_ROOT}/lib
        ${PICA_BOARD_INCLUDES})
endfunction()

function(pica_object_library name)
    add_library(${name} OBJECT ${ARGN})
    pica_target_flags(${name})
endfunction()

function(pica_import)
    if(TARGET pica_kernel)
        return()
    endif()
    file(GLOB kernel_src CONFIGURE_DEPENDS ${PICA_ROOT}/kernel/*.c ${PICA_ROOT}/lib/*.c)
    file(GLOB arch_src CONFIGURE_DEPENDS
        ${PICA_ROOT}/arch/${PICA_ARCH}/*.c ${PICA_ROOT}/arch/${PICA_ARCH}/*.S)
    # Services with a thread of their own are an archive: the linker takes
    # one only when the application calls it, and boot starts it through a
    # weak reference (kernel/kernel.h), so an image that never logs or
    # starts a software timer carries neither thread nor code; cron alike.
    set(services_src ${PICA_ROOT}/kernel/log.c ${PICA_ROOT}/kernel/timer.c
        ${PICA_ROOT}/kernel/cron.c)
    list(REMOVE_ITEM kernel_src ${services_src})
    # User space likewise, kernel and port halves: an image takes them only
    # when it has processes (pica_link_user_space), so images without any
    # carry none of it.
    file(GLOB userk_src CONFIGURE_DEPENDS ${PICA_ROOT}/kernel/proc/*.c)
    file(GLOB arch_user_src CONFIGURE_DEPENDS
        ${PICA_ROOT}/arch/${PICA_ARCH}/user*.c ${PICA_ROOT}/arch/${PICA_ARCH}/user*.S)
    if(userk_src)
        list(REMOVE_ITEM kernel_src ${userk_src})
    endif()
    if(arch_user_src)
        list(REMOVE_ITEM arch_src ${arch_user_src})
    endif()
    add_library(pica_user_kernel STATIC EXCLUDE_FROM_ALL ${userk_src} ${arch_user_src})
    pica_target_flags(pica_user_kernel)
    target_include_directories(pica_user_kernel PRIVATE ${PICA_ROOT}/kernel ${PICA_ROOT}/kernel/proc
        ${PICA_ROOT}/arch/${PICA_ARCH})
    pica_object_library(pica_kernel ${kernel_src})
    target_include_directories(pica_kernel PRIVATE ${PICA_ROOT}/kernel ${PICA_ROOT}/kernel/proc)
    include(${PICA_ROOT}/cmake/pica-syscalls.cmake) # the system-call table's generated dispatch
    add_library(pica_services STATIC ${services_src})
    pica_target_flags(pica_services)
    target_include_directories(pica_services PRIVATE ${PICA_ROOT}/kernel ${PICA_ROOT}/kernel/proc)
    pica_object_library(pica_arch ${arch_src})
    # GPIO is on every board (include/pica/gpio.h): the portable half, and
    # the board's pin table with its controller driver, or the empty table
    # that refuses every pin where the board names none.
    if(NOT PICA_BOARD_GPIO_SOURCES)
        set(PICA_BOARD_GPIO_SOURCES ${PICA_ROOT}/drivers/gpio/gpio_none.c)
    endif()
    pica_object_library(pica_drivers ${PICA_BOARD_SOURCES}
        ${PICA_ROOT}/drivers/gpio/gpio.c ${PICA_BOARD_GPIO_SOURCES})
    target_include_directories(pica_drivers PRIVATE ${PICA_ROOT}/arch/${PICA_ARCH}
        ${PICA_ROOT}/drivers/gpio)
    if(PICA_BOARD_HAS_SEMIHOST_BLK)
        if(NOT PICA_FS_IMAGE_SIZE MATCHES "^[0-9]+$")
            message(FATAL_ERROR "PICA_FS_IMAGE_SIZE '${PICA_FS_IMAGE_SIZE}': a number of bytes")
        endif()
        target_compile_definitions(pica_drivers PRIVATE
            PICA_FS_IMAGE="${PICA_FS_IMAGE}" PICA_FS_IMAGE_SIZE=${PICA_FS_IMAGE_SIZE}u)
    endif()
    pica_object_library(pica_test ${PICA_ROOT}/tests/framework/test.c ${PICA_BOARD_TEST_SOURCES})
    # The shell: objects, not an archive, so that every command file is
    # linked and its PICA_SHELL_CMD entry kept (pica_link_shell).
    file(GLOB shell_src CONFIGURE_DEPENDS ${PICA_ROOT}/shell/*.c)
    pica_object_library(pica_shell ${shell_src})
    target_include_directories(pica_shell PRIVATE ${PICA_ROOT}/shell ${PICA_ROOT}/arch/${PICA_ARCH})
    # The file system (picafs, the tree of mounts, its lock and its shell
    # commands): an archive, taken by images that call it; pica_link_fs()
    # also keeps the shell commands.
    include(${PICA_ROOT}/fs/sources.cmake)
    # Its system calls for processes (fs_syscalls.c, fs_service.c) are taken
    # only by an image that gives a process the tree (pica_fs_tree).
    add_library(pica_fs STATIC EXCLUDE_FROM_ALL ${PICAFS_SOURCES} ${PICA_ROOT}/fs/vfs.c
        ${PICA_ROOT}/fs/vfs_lock.c ${PICA_ROOT}/fs/cmd_fs.c ${PICA_ROOT}/fs/crontab.c
        ${PICA_ROOT}/fs/fs_syscalls.c ${PICA_ROOT}/fs/fs_service.c)
    pica_target_flags(pica_fs)
    target_include_directories(pica_fs PRIVATE ${PICA_ROOT}/kernel ${PICA_ROOT}/kernel/proc
        ${PICA_SYSCALLS_DIR}/kernel)
    add_dependencies(pica_fs pica_syscalls_gen)
endfunction()

# Sets <out> to the reason an image needing <need> cannot run on this board,
# or to "" when it fits.
function(pica_ram_shortfall need out)
    set(${out} "" PARENT_SCOPE)
    if(NOT need OR NOT DEFINED PICA_BOARD_RAM)
        return()
    endif()
    if(need MATCHES "^([0-9]+)K$")
        math(EXPR need "${CMAKE_MATCH_1} * 1024")
    elseif(NOT need MATCHES "^[0-9]+$")
        message(FATAL_ERROR "RAM_NEED '${need}': bytes, or kilobytes with a K suffix")
    endif()
    if(need GREATER PICA_BOARD_RAM)
        math(EXPR have_k "${PICA_BOARD_RAM} / 1024")
        math(EXPR need_k "(${need} + 1023) / 1024")
        set(${out} "needs ${need_k} KB of RAM, ${PICA_BOARD} has ${have_k} KB" PARENT_SCOPE)
    endif()
endfunction()

function(pica_add_app name)
    pica_import()
    cmake_parse_arguments(A "" "RAM_NEED" "" ${ARGN})
    pica_ram_shortfall("${A_RAM_NEED}" shortfall)
    add_executable(${name} ${A_UNPARSED_ARGUMENTS})
    set_target_properties(${name} PROPERTIES SUFFIX ".elf")
    if(shortfall)
        # Still a target, so the caller's settings on it stay valid, but
        # never built: it would not link.
        set_target_properties(${name} PROPERTIES EXCLUDE_FROM_ALL TRUE PICA_SKIP_REASON "${shortfall}")
        message(STATUS "${name}: left out on ${PICA_BOARD} (${shortfall})")
    endif()
    pica_target_flags(${name})
    target_link_libraries(${name} PRIVATE pica_kernel pica_arch pica_drivers pica_services)
    target_link_options(${name} PRIVATE ${PICA_CPU_FLAGS}
        -T ${PICA_BOARD_LD} -L ${PICA_ROOT}/cmake
        -Wl,--gc-sections -Wl,-Map=$<TARGET_FILE_DIR:${name}>/${name}.map
        -DPICOLIBC_INTEGER_PRINTF_SCANF)
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS
        ${PICA_BOARD_LD} ${PICA_ROOT}/cmake/sections.ld)
    if(NOT shortfall)
        set_property(GLOBAL APPEND PROPERTY PICA_IMAGES ${name})
    endif()
endfunction()

# Link user space into image <target>: the kernel's process and system-call
# code and the port's user mode, which sit in an archive the linker takes
# only when asked (the ports' svc entry replaces a weak default; RISC-V's
# trap.S reaches the system-call, fault and PMP code through weak references,
# which do not take members out of an archive by themselves).
function(pica_link_user_space target)
    target_link_libraries(${target} PRIVATE pica_user_kernel)
    target_link_options(${target} PRIVATE -Wl,--undefined=proc_start_all
        $<$<STREQUAL:${PICA_ARCH},cortex-m>:-Wl,--undefined=arch_svc_isr>
        $<$<STREQUAL:${PICA_ARCH},riscv32>:-Wl,--undefined=syscall_dispatch>
        $<$<STREQUAL:${PICA_ARCH},riscv32>:-Wl,--undefined=arch_user_fault>
        $<$<STREQUAL:${PICA_ARCH},riscv32>:-Wl,--undefined=pmp_thread_load>)
endfunction()

# Link the shell and its commands into image <target> (pica_shell_start()
# starts it).
function(pica_link_shell target)
    target_link_libraries(${target} PRIVATE pica_shell)
endfunction()

# Link the file system into image <target>: include/pica/fs.h, picafs and,
# with the shell, its file commands.
function(pica_link_fs target)
    target_link_libraries(${target} PRIVATE pica_fs)
    target_link_options(${target} PRIVATE -Wl,--undefined=pica_fs_shell_commands)
endfunction()

# Link eBPF in the running kernel into image <target> (include/pica/bpf_kern.h:
# hooks, picactl service, and with the shell the `bpf` command). An image
# with processes (pica_image_add_processes, before or after) also gets their
# bpf_* system calls (bpf/kern/sys_bpf.c, include/pica/bpf_proc.h).
function(pica_link_bpf target)
    target_link_libraries(${target} PRIVATE pica_bpf_kern)
    target_link_options(${target} PRIVATE -Wl,--undefined=pica_bpf_shell_commands
        $<$<BOOL:$<TARGET_PROPERTY:PICA_PROCESSES>>:-Wl,--undefined=sys_bpf_load>)
endfunction()

function(pica_add_test_app name)
    pica_add_app(${name} ${ARGN})
    target_link_libraries(${name} PRIVATE pica_test)
    set_target_properties(${name} PROPERTIES PICA_TEST_APP TRUE)
endfunction()

# Under icount (the default) the run is bounded in guest time, VIRTUAL_TIMEOUT
# seconds (decimals allowed), by the test framework in the image and by
# tools/pica-run, whose wall-clock backstop follows from it (pica-limits.cmake).
# Without it the default is TIMEOUT/20 guest seconds, four times or more what
# each test used, on every board, when TIMEOUT was its wall-clock limit;
# TIMEOUT (default 30) remains the wall-clock limit itself only for a
# REALTIME test, which runs without icount.
# ctest test qemu.<feature>.<board>, listed as skipped with <reason>: what
# the board lacks for it, or why its image was left out. Further arguments
# are labels.
function(pica_add_skipped_test feature reason)
    set(test_name qemu.${feature}.${PICA_BOARD}${PICA_TEST_SUFFIX})
    string(REPLACE "'" "" reason "${reason}")
    add_test(NAME ${test_name} COMMAND ${Python3_EXECUTABLE} -c
        "import sys; print('skipped: ${reason}'); sys.exit(77)")
    set_tests_properties(${test_name} PROPERTIES SKIP_RETURN_CODE 77
        LABELS "qemu;${PICA_BOARD};skipped;${ARGN}")
endfunction()

function(pica_add_qemu_test feature)
    cmake_parse_arguments(T "REALTIME" "APP;TIMEOUT;VIRTUAL_TIMEOUT;UNSUPPORTED" "RUN_ARGS;LABELS"
        ${ARGN})
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 30)
    endif()
    set(test_name qemu.${feature}.${PICA_BOARD}${PICA_TEST_SUFFIX})
    get_target_property(skip_reason ${T_APP} PICA_SKIP_REASON)
    if(skip_reason)
        set(skip_reason "${T_APP} ${skip_reason}")
    elseif(T_UNSUPPORTED)
        set(skip_reason "${PICA_BOARD}: ${T_UNSUPPORTED}")
    endif()
    if(skip_reason)
        pica_add_skipped_test(${feature} "${skip_reason}" ${T_LABELS})
        return()
    endif()
    if(T_REALTIME)
        set(limits --timeout ${T_TIMEOUT})
        set(runner_s ${T_TIMEOUT})
    else()
        if(DEFINED T_VIRTUAL_TIMEOUT)
            pica_milliseconds("${T_VIRTUAL_TIMEOUT}" "${test_name} VIRTUAL_TIMEOUT" virtual_ms)
        else()
            math(EXPR virtual_ms "${T_TIMEOUT} * 1000 / 20")
        endif()
        if(virtual_ms EQUAL 0)
            message(FATAL_ERROR "${test_name}: the limit of guest time must be at least 1 ms")
        endif()
        pica_image_time_limit(${T_APP} ${virtual_ms})
        math(EXPR whole "${virtual_ms} / 1000")
        math(EXPR thousandths "1000 + ${virtual_ms} % 1000")
        string(SUBSTRING ${thousandths} 1 3 thousandths)
        set(limits --icount --virtual-timeout ${whole}.${thousandths})
        math(EXPR runner_s "(${virtual_ms} * ${PICA_WALL_PER_VIRTUAL_S} + 999) / 1000")
    endif()
    add_test(NAME ${test_name}
        COMMAND ${Python3_EXECUTABLE} ${PICA_ROOT}/tools/pica-run
            --board ${PICA_BOARD} ${limits} ${T_RUN_ARGS} $<TARGET_FILE:${T_APP}>)
    # pica-run enforces the limits and says which one ended a run, and it
    # reads PICA_TEST_TIMEOUT_SCALE when it runs. ctest's TIMEOUT is fixed
    # when the tree is configured (make test configures every time), so it
    # is only a last resort for a runner that hangs itself: three times
    # pica-run's backstop, room for a scale raised threefold for one ctest
    # run without configuring again.
    math(EXPR ctest_s "${runner_s} * 3")
    pica_test_timeout(${ctest_s} ctest_s)
    set_tests_properties(${test_name} PROPERTIES
        TIMEOUT ${ctest_s} LABELS "qemu;${PICA_BOARD};${T_LABELS}")
endfunction()
