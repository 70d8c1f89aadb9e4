# cmake -P script: configure and build the application folder APP for BOARD
# with the PICA_CFG_ definitions DEFINES (comma-separated) in BINARY, then
# run its image under QEMU with virtual time. Fails on the first step that
# fails, with that step's output.
foreach(var BOARD SOURCE BINARY APP DEFINES PYTHON TIMEOUT)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "build_and_run.cmake: -D${var}=... missing")
    endif()
endforeach()
string(REPLACE "," ";" DEFINES "${DEFINES}")

execute_process(COMMAND ${CMAKE_COMMAND} -S ${SOURCE} -B ${BINARY} -G Ninja
        -DPICA_BOARD=${BOARD} -DPICA_APP_DIR=${APP} "-DPICA_CFG_DEFINES=${DEFINES}"
        "-DPICA_OPT=${OPT}"
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "configure failed:\n${out}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BINARY} --target external-app --parallel 2
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE out)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "build failed:\n${out}")
endif()
file(STRINGS ${BINARY}/external-app.txt image LIMIT_COUNT 1)
message(STATUS "${image} built with ${DEFINES}")
execute_process(COMMAND ${PYTHON} ${SOURCE}/tools/pica-run --board ${BOARD}
        --timeout ${TIMEOUT} --icount ${image}
    RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${image} failed (status ${rc})")
endif()
