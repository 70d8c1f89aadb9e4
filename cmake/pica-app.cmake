# For applications kept outside the Pica tree. In the application's
# CMakeLists.txt, before project():
#     include(/path/to/pica/cmake/pica-app.cmake)
#     project(myapp C ASM)
#     pica_add_app(myapp main.c)          # or pica_add_test_app()
# Configure with -DPICA_BOARD=<board>. When the application is built through
# Pica itself (make run APP=dir), Pica has already done all of this.
include_guard(GLOBAL)
include(${CMAKE_CURRENT_LIST_DIR}/pica-board.cmake)
include(${CMAKE_CURRENT_LIST_DIR}/pica.cmake)
