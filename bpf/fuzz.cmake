# SPDX-License-Identifier: MIT
# libFuzzer targets for bpf/ (host builds only). The host compiler may be gcc, so the
# fuzzers are built by calling clang directly with -fsanitize=fuzzer,address,undefined,
# and only if a probe shows this clang can link a fuzzer.
#   target fuzz-bpf-build   builds tests/fuzz/bpf_vm and tests/fuzz/bpf_elf (part of all)
#   target fuzz             runs each for PICA_FUZZ_SECONDS (default 60), corpus kept
#   ctest fuzz.bpf_vm, fuzz.bpf_elf (label fuzz): a few seconds each
# Included from bpf/CMakeLists.txt, which sets PICA_BPF_SOURCES and PICA_BPF_CLANG.

if(NOT PICA_BPF_CLANG)
    message(STATUS "bpf: no clang; fuzz targets are skipped")
    return()
endif()

set(fuzz_dir ${CMAKE_BINARY_DIR}/fuzz)
set(probe_src ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe.c)
file(WRITE ${probe_src}
     "#include <stdint.h>\n#include <stddef.h>\n"
     "int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }\n")
execute_process(COMMAND ${PICA_BPF_CLANG} -fsanitize=fuzzer,address,undefined ${probe_src}
                        -o ${CMAKE_CURRENT_BINARY_DIR}/fuzz_probe
                RESULT_VARIABLE probe_rc OUTPUT_QUIET ERROR_QUIET)
if(NOT probe_rc EQUAL 0)
    message(STATUS "bpf: ${PICA_BPF_CLANG} cannot build libFuzzer targets; fuzz targets skipped")
    return()
endif()

if(NOT DEFINED PICA_FUZZ_SECONDS)
    set(PICA_FUZZ_SECONDS 60)
endif()

set(fuzz_bins)
set(fuzz_runs)
foreach(name bpf_vm bpf_elf)
    set(bin ${fuzz_dir}/fuzz_${name})
    set(src ${PICA_BPF_ROOT}/tests/fuzz/${name}/fuzz_${name}.c)
    add_custom_command(OUTPUT ${bin}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${fuzz_dir}/corpus_${name}
        COMMAND ${PICA_BPF_CLANG} -g -O1 -std=c11 -fsanitize=fuzzer,address,undefined
                -fno-sanitize-recover=undefined -I${PICA_BPF_INCLUDE} ${src}
                ${PICA_BPF_SOURCES} -o ${bin}
        DEPENDS ${src} ${PICA_BPF_SOURCES} ${CMAKE_CURRENT_SOURCE_DIR}/opcodes.def
        COMMENT "libFuzzer target fuzz_${name}" VERBATIM)
    list(APPEND fuzz_bins ${bin})
    set(seeds ${fuzz_dir}/corpus_${name})
    add_test(NAME fuzz.${name}
             COMMAND ${bin} -max_total_time=4 -seed=1 -rss_limit_mb=2048 ${seeds}
                     ${PICA_BPF_PROGS_DIR})
    set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT 120)
    list(APPEND fuzz_runs
         COMMAND ${bin} -max_total_time=${PICA_FUZZ_SECONDS} -rss_limit_mb=2048 ${seeds}
                 ${PICA_BPF_PROGS_DIR})
endforeach()

add_custom_target(fuzz-bpf-build ALL DEPENDS ${fuzz_bins})
if(TARGET bpf-progs)
    add_dependencies(fuzz-bpf-build bpf-progs)
endif()
if(NOT TARGET fuzz)
    add_custom_target(fuzz)
endif()
add_custom_target(fuzz-bpf ${fuzz_runs} DEPENDS ${fuzz_bins} USES_TERMINAL
                  COMMENT "fuzzing bpf for ${PICA_FUZZ_SECONDS} s per target")
add_dependencies(fuzz fuzz-bpf)
