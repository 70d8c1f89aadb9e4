# Board selection, included before project(): reads PICA_BOARD (default
# mps2-an386; "host" for host tools and unit tests), loads
# boards/<board>/board.cmake and picks the cross toolchain.
include_guard(GLOBAL)

get_filename_component(PICA_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
set(PICA_BOARD "mps2-an386" CACHE STRING "Board to build for (a folder in boards/, or host)")

if(PICA_BOARD STREQUAL "host")
    set(PICA_HOST ON)
else()
    set(PICA_HOST OFF)
    if(NOT EXISTS "${PICA_ROOT}/boards/${PICA_BOARD}/board.cmake")
        message(FATAL_ERROR "Unknown board '${PICA_BOARD}': no boards/${PICA_BOARD}/board.cmake")
    endif()
    include("${PICA_ROOT}/boards/${PICA_BOARD}/board.cmake")
    set(PICA_BOARD_DIR "${PICA_ROOT}/boards/${PICA_BOARD}")
    if(NOT CMAKE_TOOLCHAIN_FILE)
        set(CMAKE_TOOLCHAIN_FILE "${PICA_ROOT}/cmake/toolchain-${PICA_TOOLCHAIN}.cmake")
    endif()
endif()
