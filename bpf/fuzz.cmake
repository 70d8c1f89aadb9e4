# SPDX-License-Identifier: MIT
# libFuzzer targets for bpf/ (host builds only), through pica_add_fuzzer()
# (cmake/pica-fuzz.cmake, included by cmake/host.cmake, says what each adds):
#   fuzz_bpf_vm    tests/fuzz/bpf_vm: the verifier, then the VM on what it accepts
#   fuzz_bpf_elf   tests/fuzz/bpf_elf: the ELF loader; the clang-built test
#                  programs are extra seeds
#   fuzz_bpf_hook  tests/fuzz/bpf_hook: programs loaded through the registry and run
#                  by bpf_hook_run() with read-only and writable contexts, maps read
#                  and changed through the registry between runs; same seeds, and
#                  a dictionary of instructions for its raw-instruction inputs
#   fuzz_bpf_ctl   tests/fuzz/bpf_ctl: picactl's board side (receiver and requests)
#                  over the fake board of ctl_fake.c; no seeds (its input is a
#                  script of line events that builds its own loads)
# Included from bpf/CMakeLists.txt after the pica_bpf target (the fuzzers compile its
# sources and include directories, so they follow the library) and PICA_BPF_PROGS_DIR.
get_target_property(lib_sources pica_bpf SOURCES)
get_target_property(lib_includes pica_bpf INCLUDE_DIRECTORIES)
set(progs)
if(TARGET bpf-progs)
    set(progs bpf-progs)
endif()
foreach(name bpf_vm bpf_elf)
    pica_add_fuzzer(${name} SOURCES ${lib_sources} INCLUDES ${lib_includes}
        DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/opcodes.def TARGETS ${progs}
        CORPUS ${PICA_BPF_PROGS_DIR})
endforeach()
pica_add_fuzzer(bpf_hook SOURCES ${lib_sources} INCLUDES ${lib_includes}
    DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/opcodes.def TARGETS ${progs}
    CORPUS ${PICA_BPF_PROGS_DIR} DICT ${PICA_BPF_ROOT}/tests/fuzz/bpf_hook/bpf_hook.dict)
pica_add_fuzzer(bpf_ctl SOURCES ${lib_sources} ${PICA_BPF_ROOT}/tests/fuzz/bpf_ctl/ctl_fake.c
    INCLUDES ${lib_includes} DEPENDS ${PICA_BPF_ROOT}/tests/fuzz/bpf_ctl/ctl_fake.h)
