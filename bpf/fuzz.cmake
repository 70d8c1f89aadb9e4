# SPDX-License-Identifier: MIT
# libFuzzer targets for bpf/ (host builds only), through pica_add_fuzzer()
# (cmake/pica-fuzz.cmake, included by cmake/host.cmake, says what each adds):
#   fuzz_bpf_vm    tests/fuzz/bpf_vm: the verifier, then the VM on what it accepts
#   fuzz_bpf_elf   tests/fuzz/bpf_elf: the ELF loader; the clang-built test
#                  programs are extra seeds
# Included from bpf/CMakeLists.txt, which sets PICA_BPF_SOURCES and PICA_BPF_PROGS_DIR.
set(progs)
if(TARGET bpf-progs)
    set(progs bpf-progs)
endif()
foreach(name bpf_vm bpf_elf)
    pica_add_fuzzer(${name} SOURCES ${PICA_BPF_SOURCES} INCLUDES ${PICA_BPF_INCLUDE}
        DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/opcodes.def TARGETS ${progs}
        CORPUS ${PICA_BPF_PROGS_DIR})
endforeach()
