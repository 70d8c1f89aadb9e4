# SPDX-License-Identifier: MIT
# The eBPF benchmark (a figure, not a test): target bench-bpf builds bench_bpf with
# -O2 and no sanitizers (compiled directly, so global host sanitizer flags do not
# distort the count) and runs bench/bpf/callgrind.py over tests/bpf-progs/bench.c.
# Included from bpf/CMakeLists.txt (needs PICA_BPF_SOURCES, PICA_BPF_PROGS_DIR).

find_program(PICA_VALGRIND valgrind)
if(NOT PICA_BPF_CLANG OR NOT PICA_VALGRIND OR NOT Python3_Interpreter_FOUND)
    message(STATUS "bpf: clang, valgrind or python3 missing; bench-bpf is not available")
    return()
endif()

set(bench_bin ${CMAKE_BINARY_DIR}/bench/bench_bpf)
add_custom_command(OUTPUT ${bench_bin}
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/bench
    COMMAND ${CMAKE_C_COMPILER} -std=c11 -O2 -g -I${PICA_BPF_INCLUDE}
            ${PICA_BPF_ROOT}/bench/bpf/bench_bpf.c ${PICA_BPF_SOURCES} -o ${bench_bin}
    DEPENDS ${PICA_BPF_ROOT}/bench/bpf/bench_bpf.c ${PICA_BPF_SOURCES}
            ${CMAKE_CURRENT_SOURCE_DIR}/opcodes.def
    COMMENT "bench_bpf (-O2, no sanitizers)" VERBATIM)
add_custom_target(bench-bpf
    COMMAND ${Python3_EXECUTABLE} ${PICA_BPF_ROOT}/bench/bpf/callgrind.py ${bench_bin}
            ${PICA_BPF_PROGS_DIR}/bench.o 100
    DEPENDS ${bench_bin} bpf-progs USES_TERMINAL
    COMMENT "eBPF interpreter: host instructions per eBPF instruction (callgrind)")
if(NOT TARGET bench)
    add_custom_target(bench)
endif()
add_dependencies(bench bench-bpf)
