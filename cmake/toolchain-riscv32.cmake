# Cross toolchain for RV32 boards: Debian's riscv64-unknown-elf-gcc driven in
# rv32imac/ilp32 mode, with picolibc. -misa-spec=2.2 keeps CSR instructions in
# the base ISA so the rv32imac multilib is picked (see docs/porting.md).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR riscv32)
set(CMAKE_C_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_ASM_COMPILER riscv64-unknown-elf-gcc)
set(CMAKE_OBJCOPY riscv64-unknown-elf-objcopy CACHE FILEPATH "")
set(CMAKE_SIZE riscv64-unknown-elf-size CACHE FILEPATH "")
set(CMAKE_NM riscv64-unknown-elf-nm CACHE FILEPATH "")
set(CMAKE_OBJDUMP riscv64-unknown-elf-objdump CACHE FILEPATH "")
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(PICA_RV_FLAGS "-march=rv32imac -misa-spec=2.2 -mabi=ilp32 -mcmodel=medany")
set(CMAKE_C_FLAGS_INIT "--specs=picolibc.specs ${PICA_RV_FLAGS}")
set(CMAKE_ASM_FLAGS_INIT "--specs=picolibc.specs ${PICA_RV_FLAGS}")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles")
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
