# User processes (docs/user-space.md, "Building user programs"):
#   pica_add_process(name [HEAP bytes] [STACK bytes] [THREADS n] [PRIO p]
#                    [QUOTA bytes] [FAULT_THREAD] [NO_START] SOURCES...)
#       a process: its sources compiled as user code and linked with the
#       user SDK (user/) and its own copy of picolibc
#   pica_image_add_processes(image process...)
#       an image (pica_add_app) gains processes, which the kernel starts at
#       boot; once per image
#   pica_add_user_app(name [same options] SOURCES...)
#       an image of the kernel and one process of those sources, named
#       after the image; main() is the SDK's default (user/kernel_main.c)
#
# A process is linked in three steps: a partial link (ld -r, user/process.ld)
# of its objects, the SDK and the C library members they use into three
# sections; tools/pica-user-layout renames them after the process and makes
# every symbol local, so two processes and the kernel can each have their
# own printf and malloc; then, per image, it lays the blocks out for the
# MPU/PMP and writes the linker-script fragments cmake/sections.ld INCLUDEs
# (found through -L before the empty defaults in cmake/) and the kernel's
# table of struct pica_proc_image.
include_guard(GLOBAL)

# Defaults, each a multiple or size the kernel's checks accept. A board
# with little RAM (sifive_e's 16 KB) gets smaller ones, so that an image
# with two processes fits beside the kernel.
if(DEFINED PICA_BOARD_RAM AND PICA_BOARD_RAM LESS_EQUAL 16384)
    set(PICA_USER_DEFAULT_STACK 768)
    set(PICA_USER_DEFAULT_THREADS 3)
    set(PICA_USER_DEFAULT_HEAP 512)
else()
    set(PICA_USER_DEFAULT_STACK 1024)
    set(PICA_USER_DEFAULT_THREADS 4)
    set(PICA_USER_DEFAULT_HEAP 2048)
endif()
set(PICA_USER_DEFAULT_PRIO 20)
set(PICA_USER_DEFAULT_QUOTA 1024)

# Compile options of user code: the CPU's, no kernel or board headers, and
# on RISC-V no relaxation (the kernel owns gp).
function(pica_user_target_flags target)
    target_compile_options(${target} PRIVATE ${PICA_WARNINGS}
        $<$<COMPILE_LANGUAGE:C>:-std=gnu11>
        ${PICA_CPU_FLAGS} ${PICA_OPT} -g -ffunction-sections -fdata-sections -fno-common)
    if(PICA_ARCH STREQUAL "riscv32")
        target_compile_options(${target} PRIVATE -mno-relax)
    endif()
    target_include_directories(${target} PRIVATE ${PICA_ROOT}/include)
endfunction()

function(pica_user_sdk)
    if(TARGET pica_user_sdk)
        return()
    endif()
    set(src start.c thread.c tls.c stdio.c heap.c lock.c)
    if(PICA_ARCH STREQUAL "cortex-m")
        list(APPEND src tp_arm.S)
    endif()
    list(TRANSFORM src PREPEND ${PICA_ROOT}/user/)
    add_library(pica_user_sdk OBJECT ${src})
    pica_user_target_flags(pica_user_sdk)
    # <pica/user/syscalls.h>, generated from kernel/proc/syscalls.def
    target_link_libraries(pica_user_sdk PRIVATE pica_syscalls_user)
    # POSIX files (open, read, ...): an archive, taken by the processes
    # that call them (fopen does).
    add_library(pica_user_fs STATIC ${PICA_ROOT}/user/fs.c)
    pica_user_target_flags(pica_user_fs)
    target_link_libraries(pica_user_fs PRIVATE pica_syscalls_user)
    # The name service (sys_ns_register, sys_ns_lookup, sys_ns_serve):
    # likewise.
    add_library(pica_user_ns STATIC ${PICA_ROOT}/user/ns.c)
    pica_user_target_flags(pica_user_ns)
    target_link_libraries(pica_user_ns PRIVATE pica_syscalls_user)
    # eBPF programs (sys_bpf_load, ...): likewise.
    add_library(pica_user_bpf STATIC ${PICA_ROOT}/user/bpf.c)
    pica_user_target_flags(pica_user_bpf)
    target_link_libraries(pica_user_bpf PRIVATE pica_syscalls_user)
endfunction()

function(pica_add_process name)
    cmake_parse_arguments(P "FAULT_THREAD;NO_START;ROOT" "HEAP;STACK;THREADS;PRIO;QUOTA" "" ${ARGN})
    foreach(opt HEAP STACK THREADS PRIO QUOTA)
        if(NOT DEFINED P_${opt})
            set(P_${opt} ${PICA_USER_DEFAULT_${opt}})
        endif()
    endforeach()
    set(flags 0)
    if(P_FAULT_THREAD)
        math(EXPR flags "${flags} | 1")  # PICA_PROC_FAULT_THREAD
    endif()
    if(P_NO_START)
        math(EXPR flags "${flags} | 4")  # PICA_PROC_NO_START
    endif()
    if(P_ROOT)
        math(EXPR flags "${flags} | 8")  # PICA_PROC_ROOT
    endif()
    pica_import()
    pica_user_sdk()
    add_library(${name}_user OBJECT ${P_UNPARSED_ARGUMENTS})
    pica_user_target_flags(${name}_user)
    target_link_libraries(${name}_user PRIVATE pica_syscalls_user)
    set(rel ${CMAKE_CURRENT_BINARY_DIR}/${name}.r.o)
    set(out ${CMAKE_CURRENT_BINARY_DIR}/${name}.proc.o)
    # The integer-only printf, as the kernel's (picolibc.specs' rule).
    add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_C_COMPILER} ${PICA_CPU_FLAGS} --specs=picolibc.specs -nostartfiles
            -nostdlib -r -T ${PICA_ROOT}/user/process.ld -Wl,-e,__pica_user_start
            -Wl,--defsym=vfprintf=__i_vfprintf -Wl,--defsym=__pica_user_prio=${P_PRIO} -Wl,-Map=${CMAKE_CURRENT_BINARY_DIR}/${name}.r.map
            $<TARGET_OBJECTS:${name}_user> $<TARGET_OBJECTS:pica_user_sdk>
            -Wl,--start-group $<TARGET_FILE:pica_user_fs> $<TARGET_FILE:pica_user_bpf>
            $<TARGET_FILE:pica_user_ns> -lc -lgcc
            -Wl,--end-group -o ${rel}
        COMMAND ${Python3_EXECUTABLE} ${PICA_ROOT}/tools/pica-user-layout process --name ${name}
            --arch ${PICA_ARCH} --objcopy ${CMAKE_OBJCOPY} ${rel} ${out}
        DEPENDS ${name}_user pica_user_sdk pica_user_fs pica_user_bpf $<TARGET_OBJECTS:${name}_user>
            $<TARGET_OBJECTS:pica_user_sdk> ${PICA_ROOT}/user/process.ld
            ${PICA_ROOT}/tools/pica-user-layout
        COMMENT "Linking process ${name}"
        COMMAND_EXPAND_LISTS VERBATIM)
    add_custom_target(pica_proc_${name} DEPENDS ${out})
    set_target_properties(pica_proc_${name} PROPERTIES PICA_PROC_OBJECT ${out}
        PICA_PROC_SPEC "${name}=${out},${P_HEAP},${P_STACK},${P_THREADS},${P_PRIO},${P_QUOTA},${flags}")
endfunction()

function(pica_image_add_processes image)
    get_target_property(done ${image} PICA_PROCESSES)
    if(done)
        message(FATAL_ERROR "${image}: pica_image_add_processes() once per image, with every process")
    endif()
    set_target_properties(${image} PROPERTIES PICA_PROCESSES "${ARGN}")
    set(dir ${CMAKE_CURRENT_BINARY_DIR}/${image}.procs)
    set(specs)
    set(objects)
    foreach(p ${ARGN})
        if(NOT TARGET pica_proc_${p})
            message(FATAL_ERROR "${image}: no process ${p} (pica_add_process)")
        endif()
        get_target_property(spec pica_proc_${p} PICA_PROC_SPEC)
        get_target_property(obj pica_proc_${p} PICA_PROC_OBJECT)
        list(APPEND specs ${spec})
        list(APPEND objects ${obj})
        add_dependencies(${image} pica_proc_${p})
    endforeach()
    # The kernel's process and system-call code, which only images with
    # processes carry.
    pica_link_user_space(${image})
    set(fragments ${dir}/pica-procs-flash.ld ${dir}/pica-procs-ram.ld)
    add_custom_command(OUTPUT ${dir}/procs.c ${dir}/procs.txt ${fragments}
        COMMAND ${Python3_EXECUTABLE} ${PICA_ROOT}/tools/pica-user-layout image --arch ${PICA_ARCH}
            --out ${dir} --image ${image} ${specs}
        DEPENDS ${objects} ${PICA_ROOT}/tools/pica-user-layout
        COMMENT "Laying out the processes of ${image}"
        VERBATIM)
    set_source_files_properties(${objects} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
    target_sources(${image} PRIVATE ${dir}/procs.c ${objects})
    target_link_options(${image} BEFORE PRIVATE -L${dir})
    set_property(TARGET ${image} APPEND PROPERTY LINK_DEPENDS ${fragments})
    # tools/pica-size prints the report beside the image's figures.
    add_custom_command(TARGET ${image} POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E copy_if_different ${dir}/procs.txt
            $<TARGET_FILE_DIR:${image}>/${image}.procs.txt
        VERBATIM)
endfunction()

function(pica_add_user_app name)
    cmake_parse_arguments(U "" "RAM_NEED" "" ${ARGN})
    string(MAKE_C_IDENTIFIER "${name}" proc)
    pica_add_process(${proc} ${U_UNPARSED_ARGUMENTS})
    if(U_RAM_NEED)
        pica_add_app(${name} RAM_NEED ${U_RAM_NEED} ${PICA_ROOT}/user/kernel_main.c)
    else()
        pica_add_app(${name} ${PICA_ROOT}/user/kernel_main.c)
    endif()
    pica_image_add_processes(${name} ${proc})
endfunction()
