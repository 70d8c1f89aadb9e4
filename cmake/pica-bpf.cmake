# SPDX-License-Identifier: MIT
# eBPF programs built with clang -target bpf (with <pica/bpf_prog.h> and
# libbpf's <bpf/bpf_helpers.h>):
#   pica_bpf_compile(OUT_VAR DIR SOURCES...)  objects DIR/<stem>.o, listed in OUT_VAR
#   pica_bpf_embed(target SOURCES...)         compiled and linked into an image as
#       const uint8_t bpf_obj_<stem>[], bpf_obj_<stem>_end[] (8-byte aligned)
# PICA_BPF_CLANG is empty where clang is missing; callers skip then.
find_program(PICA_BPF_CLANG NAMES clang clang-14 clang-15 clang-16)
# Objects keep .BTF (the .maps definitions need it) and lose the DWARF and
# .BTF.ext line info that -g adds: a board takes objects of at most
# PICA_CFG_BPF_MAX_OBJECT bytes, and the 1000-instruction benchmark program
# drops from 49 KB to 17.
find_program(PICA_BPF_OBJCOPY NAMES llvm-objcopy llvm-objcopy-14 llvm-objcopy-15 llvm-objcopy-16)

function(pica_bpf_compile out_var dir)
    set(objs)
    foreach(src ${ARGN})
        get_filename_component(stem ${src} NAME_WE)
        get_filename_component(src_dir ${src} DIRECTORY)
        set(obj ${dir}/${stem}.o)
        set(strip)
        if(PICA_BPF_OBJCOPY)
            set(strip COMMAND ${PICA_BPF_OBJCOPY} --strip-debug --remove-section=.BTF.ext
                      --remove-section=.rel.BTF.ext ${obj})
        endif()
        add_custom_command(OUTPUT ${obj}
            COMMAND ${CMAKE_COMMAND} -E make_directory ${dir}
            COMMAND ${PICA_BPF_CLANG} -O2 -g -target bpf -mcpu=v3 -Wall -Werror
                    -I${PICA_ROOT}/include -I${src_dir} -c ${src} -o ${obj}
            ${strip}
            DEPENDS ${src} ${PICA_ROOT}/include/pica/bpf_prog.h
                    ${PICA_ROOT}/include/pica/bpf_ctx.h
            COMMENT "clang -target bpf ${stem}.c" VERBATIM)
        list(APPEND objs ${obj})
    endforeach()
    set(${out_var} ${objs} PARENT_SCOPE)
endfunction()

function(pica_bpf_embed target)
    set(dir ${CMAKE_CURRENT_BINARY_DIR}/${target}-bpf)
    pica_bpf_compile(objs ${dir} ${ARGN})
    foreach(obj ${objs})
        get_filename_component(stem ${obj} NAME_WE)
        set(stub ${dir}/embed_${stem}.S)
        file(WRITE ${stub} "    .section .rodata.bpf_${stem}, \"a\"\n    .balign 8\n"
            "    .global bpf_obj_${stem}\nbpf_obj_${stem}:\n    .incbin \"${obj}\"\n"
            "    .global bpf_obj_${stem}_end\nbpf_obj_${stem}_end:\n")
        set_source_files_properties(${stub} PROPERTIES OBJECT_DEPENDS ${obj})
        target_sources(${target} PRIVATE ${stub})
    endforeach()
endfunction()
