# Build functions for Pica images (after project()):
#   pica_import()                       build the Pica libraries for PICA_BOARD
#   pica_add_app(name SOURCES...)       an image linked with Pica
#   pica_add_test_app(name SOURCES...)  the same plus the in-kernel test framework
#   pica_add_qemu_test(feature APP target [TIMEOUT s] [RUN_ARGS ...])
#                                       ctest test qemu.<feature>.<board>
include_guard(GLOBAL)

set(PICA_OPT "-O2" CACHE STRING "Optimisation flags for Pica images")
set(PICA_CFG_DEFINES "" CACHE STRING "Extra PICA_CFG_x=y definitions")
set(PICA_TEST_SUFFIX "" CACHE STRING "Added to the board in test names: a variant tree of a board")
find_package(Python3 REQUIRED COMPONENTS Interpreter)

set(PICA_WARNINGS -Wall -Wextra -Werror -Wshadow -Wno-unused-parameter)

function(pica_target_flags target)
    target_compile_options(${target} PRIVATE ${PICA_WARNINGS}
        $<$<COMPILE_LANGUAGE:C>:-std=gnu11>
        ${PICA_CPU_FLAGS} ${PICA_OPT} -g -ffunction-sections -fdata-sections -fno-common)
    target_compile_definitions(${target} PRIVATE ${PICA_BOARD_DEFINES} ${PICA_CFG_DEFINES})
    target_include_directories(${target} PRIVATE
        ${PICA_ROOT}/include ${PICA_ROOT}/arch ${PICA_ROOT}/arch/${PICA_ARCH} ${PICA_BOARD_INCLUDES})
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
    pica_object_library(pica_kernel ${kernel_src})
    target_include_directories(pica_kernel PRIVATE ${PICA_ROOT}/kernel)
    pica_object_library(pica_arch ${arch_src})
    pica_object_library(pica_drivers ${PICA_BOARD_SOURCES})
    target_include_directories(pica_drivers PRIVATE ${PICA_ROOT}/arch/${PICA_ARCH})
    pica_object_library(pica_test ${PICA_ROOT}/tests/framework/test.c ${PICA_BOARD_TEST_SOURCES})
endfunction()

function(pica_add_app name)
    pica_import()
    add_executable(${name} ${ARGN})
    set_target_properties(${name} PROPERTIES SUFFIX ".elf")
    pica_target_flags(${name})
    target_link_libraries(${name} PRIVATE pica_kernel pica_arch pica_drivers)
    target_link_options(${name} PRIVATE ${PICA_CPU_FLAGS}
        -T ${PICA_BOARD_LD} -L ${PICA_ROOT}/cmake
        -Wl,--gc-sections -Wl,-Map=$<TARGET_FILE_DIR:${name}>/${name}.map
        -DPICOLIBC_INTEGER_PRINTF_SCANF)
    set_property(TARGET ${name} APPEND PROPERTY LINK_DEPENDS
        ${PICA_BOARD_LD} ${PICA_ROOT}/cmake/sections.ld)
    set_property(GLOBAL APPEND PROPERTY PICA_IMAGES ${name})
endfunction()

function(pica_add_test_app name)
    pica_add_app(${name} ${ARGN})
    target_link_libraries(${name} PRIVATE pica_test)
endfunction()

function(pica_add_qemu_test feature)
    cmake_parse_arguments(T "REALTIME" "APP;TIMEOUT" "RUN_ARGS;LABELS" ${ARGN})
    # Deterministic virtual time unless the test needs real time.
    if(NOT T_REALTIME)
        list(PREPEND T_RUN_ARGS --icount)
    endif()
    if(NOT T_TIMEOUT)
        set(T_TIMEOUT 30)
    endif()
    set(test_name qemu.${feature}.${PICA_BOARD}${PICA_TEST_SUFFIX})
    add_test(NAME ${test_name}
        COMMAND ${Python3_EXECUTABLE} ${PICA_ROOT}/tools/pica-run
            --board ${PICA_BOARD} --timeout ${T_TIMEOUT} ${T_RUN_ARGS} $<TARGET_FILE:${T_APP}>)
    # ctest's own limit is a backstop; pica-run enforces T_TIMEOUT and says so.
    math(EXPR ctest_timeout "${T_TIMEOUT} + 30")
    set_tests_properties(${test_name} PROPERTIES
        TIMEOUT ${ctest_timeout} LABELS "qemu;${PICA_BOARD};${T_LABELS}")
endfunction()
