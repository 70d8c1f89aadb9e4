# The system calls: tools/pica-syscalls generates, at build time, from the
# table kernel/proc/syscalls.def:
#   <dir>/kernel/syscall_table.c, syscall_handlers.h  the kernel's dispatch
#   <dir>/include/pica/user/syscalls.h               the user stubs
# pica_syscalls_generate(<target> DEF <file> DIR <dir>) adds the commands
# and a target that runs them. Included from pica_import() once the kernel's
# libraries exist, this file also compiles the dispatch into the user-space
# archive pica_user_kernel (only images with processes link it) and adds
# pica_syscalls_user, the interface target user code links for
# <pica/user/syscalls.h>.
include_guard(GLOBAL)

function(pica_syscalls_generate target)
    cmake_parse_arguments(G "" "DEF;DIR" "" ${ARGN})
    set(outputs ${G_DIR}/kernel/syscall_table.c ${G_DIR}/kernel/syscall_handlers.h
        ${G_DIR}/include/pica/user/syscalls.h)
    add_custom_command(OUTPUT ${outputs}
        COMMAND ${Python3_EXECUTABLE} ${PICA_ROOT}/tools/pica-syscalls ${G_DEF}
            --kernel ${G_DIR}/kernel --user ${G_DIR}/include --root ${PICA_ROOT}
        DEPENDS ${G_DEF} ${PICA_ROOT}/tools/pica-syscalls ${PICA_ROOT}/include/pica/proc.h
            ${PICA_ROOT}/include/pica/event.h ${PICA_ROOT}/include/pica/picafs.h
            ${PICA_ROOT}/kernel/proc/syscall.h
        COMMENT "Generating the system calls from ${G_DEF}")
    add_custom_target(${target} DEPENDS ${outputs})
endfunction()

# The image's generated files and pica_syscalls_user, once per build tree.
function(pica_syscalls_user_target)
    if(TARGET pica_syscalls_gen)
        return()
    endif()
    set(dir ${CMAKE_BINARY_DIR}/syscalls)
    pica_syscalls_generate(pica_syscalls_gen DEF ${PICA_ROOT}/kernel/proc/syscalls.def DIR ${dir})
    add_library(pica_syscalls_user INTERFACE)
    target_include_directories(pica_syscalls_user INTERFACE ${dir}/include)
    add_dependencies(pica_syscalls_user pica_syscalls_gen)
endfunction()

if(TARGET pica_user_kernel AND NOT TARGET pica_syscalls_gen)
    pica_syscalls_user_target()
    set(PICA_SYSCALLS_DIR ${CMAKE_BINARY_DIR}/syscalls)
    target_sources(pica_user_kernel PRIVATE ${PICA_SYSCALLS_DIR}/kernel/syscall_table.c
        ${PICA_SYSCALLS_DIR}/kernel/syscall_handlers.h)
    target_include_directories(pica_user_kernel PRIVATE ${PICA_SYSCALLS_DIR}/kernel ${PICA_ROOT}/lib)
endif()
