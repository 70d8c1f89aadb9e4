# SPDX-License-Identifier: MIT
# libFuzzer targets (host builds only; cmake/host.cmake includes this). The host
# compiler may be gcc, so fuzzers are built by calling clang directly with
# -fsanitize=fuzzer,address,undefined, and only if a probe shows this clang can
# link one; otherwise pica_add_fuzzer() adds nothing.
#
#   pica_add_fuzzer(<name> SOURCES <file>... [INCLUDES <dir>...] [DEPENDS <file>...]
#                   [TARGETS <target>...] [CORPUS <dir>...] [DICT <file>])
#     builds <build>/fuzz/fuzz_<name> from tests/fuzz/<name>/fuzz_<name>.c and the
#     SOURCES (include/ is always on the path), after the TARGETS; CORPUS dirs are
#     extra seeds, read but never written. It adds:
#       ctest fuzz.<name>   a 4-second run (label fuzz)
#       target fuzz-<name>  a PICA_FUZZ_SECONDS run (default 60); the corpus grows
#                           in <build>/fuzz/corpus_<name>
#   target fuzz-build  every fuzzer (part of all)
#   target fuzz        every fuzz-<name>, one after another (`make fuzz`)
include_guard(GLOBAL)

find_program(PICA_FUZZ_CLANG NAMES clang clang-14 clang-15 clang-16)
set(PICA_FUZZ_FLAGS -g -O1 -std=gnu11 -fsanitize=fuzzer,address,undefined
    -fno-sanitize-recover=undefined)
if(NOT DEFINED PICA_FUZZ_SECONDS)
    set(PICA_FUZZ_SECONDS 60)
endif()

set(PICA_FUZZ_ENABLED FALSE)
if(PICA_FUZZ_CLANG)
    set(probe_dir ${CMAKE_BINARY_DIR}/fuzz-probe)
    file(WRITE ${probe_dir}/probe.c
         "#include <stdint.h>\n#include <stddef.h>\n"
         "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n")
    execute_process(COMMAND ${PICA_FUZZ_CLANG} ${PICA_FUZZ_FLAGS} ${probe_dir}/probe.c
                            -o ${probe_dir}/probe
                    RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_QUIET)
    if(probe_rc EQUAL 0)
        set(PICA_FUZZ_ENABLED TRUE)
    else()
        message(STATUS "fuzz: ${PICA_FUZZ_CLANG} cannot build libFuzzer targets; fuzzers skipped")
    endif()
else()
    message(STATUS "fuzz: no clang; fuzzers skipped")
endif()

if(PICA_FUZZ_ENABLED)
    add_custom_target(fuzz-build ALL)
    add_custom_target(fuzz)
endif()

function(pica_add_fuzzer name)
    cmake_parse_arguments(F "" "DICT" "SOURCES;INCLUDES;DEPENDS;TARGETS;CORPUS" ${ARGN})
    if(NOT PICA_FUZZ_ENABLED)
        return()
    endif()
    set(dir ${CMAKE_BINARY_DIR}/fuzz)
    set(bin ${dir}/fuzz_${name})
    set(corpus ${dir}/corpus_${name})
    set(src ${PICA_ROOT}/tests/fuzz/${name}/fuzz_${name}.c)
    set(includes -I${PICA_ROOT}/include)
    foreach(inc ${F_INCLUDES})
        list(APPEND includes -I${inc})
    endforeach()
    set(run_args -rss_limit_mb=2048)
    if(F_DICT)
        list(APPEND run_args -dict=${F_DICT})
    endif()
    add_custom_command(OUTPUT ${bin}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${corpus}
        COMMAND ${PICA_FUZZ_CLANG} ${PICA_FUZZ_FLAGS} -Wall -Wextra -Werror ${includes} ${src}
                ${F_SOURCES} -o ${bin}
        DEPENDS ${src} ${F_SOURCES} ${F_DEPENDS} ${F_DICT}
        COMMENT "libFuzzer target fuzz_${name}" VERBATIM)
    add_custom_target(fuzz-${name}-build DEPENDS ${bin})
    if(F_TARGETS)
        add_dependencies(fuzz-${name}-build ${F_TARGETS})
    endif()
    add_dependencies(fuzz-build fuzz-${name}-build)

    add_test(NAME fuzz.${name}
             COMMAND ${bin} -max_total_time=4 -seed=1 ${run_args} ${corpus} ${F_CORPUS})
    set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 120)
    add_custom_target(fuzz-${name}
        COMMAND ${bin} -max_total_time=${PICA_FUZZ_SECONDS} ${run_args} ${corpus} ${F_CORPUS}
        USES_TERMINAL COMMENT "fuzzing ${name} for ${PICA_FUZZ_SECONDS} s")
    add_dependencies(fuzz-${name} fuzz-${name}-build)
    add_dependencies(fuzz fuzz-${name})
endfunction()
