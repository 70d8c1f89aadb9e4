# Host build: unit tests and host tools, under AddressSanitizer and
# UndefinedBehaviorSanitizer.
set(PICA_SANITIZE -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all)
add_compile_options(-std=gnu11 ${PICA_WARNINGS} -g -O1 ${PICA_SANITIZE})
add_link_options(${PICA_SANITIZE})
include_directories(${PICA_ROOT}/include)

find_path(CMOCKA_INCLUDE_DIR cmocka.h REQUIRED)
find_library(CMOCKA_LIBRARY cmocka REQUIRED)

# pica_add_unit_test(module SOURCES...): ctest unit.<module>
function(pica_add_unit_test module)
    add_executable(test_${module} ${ARGN})
    target_include_directories(test_${module} PRIVATE ${CMOCKA_INCLUDE_DIR})
    target_link_libraries(test_${module} PRIVATE ${CMOCKA_LIBRARY})
    add_test(NAME unit.${module} COMMAND test_${module})
    set_tests_properties(unit.${module} PROPERTIES LABELS unit TIMEOUT 120)
endfunction()

# libFuzzer targets: pica_add_fuzzer(), the fuzz-build and fuzz targets.
include(${PICA_ROOT}/cmake/pica-fuzz.cmake)
