# SPDX-License-Identifier: MIT
# The sources of picafs, for whoever builds it (host tests, fuzzers, the
# kernel image): include() this and use PICAFS_SOURCES and PICAFS_DIR.
# The CRC is lib/crc32.c, shared with picactl's frames.
set(PICAFS_DIR ${CMAKE_CURRENT_LIST_DIR})
set(PICAFS_SOURCES
    ${PICAFS_DIR}/alloc.c ${PICAFS_DIR}/cache.c ${PICAFS_DIR}/commit.c ${PICAFS_DIR}/../lib/crc32.c
    ${PICAFS_DIR}/dir.c ${PICAFS_DIR}/dump.c ${PICAFS_DIR}/file.c ${PICAFS_DIR}/fsck.c
    ${PICAFS_DIR}/inode.c ${PICAFS_DIR}/io.c ${PICAFS_DIR}/map.c ${PICAFS_DIR}/mount.c
    ${PICAFS_DIR}/namei.c ${PICAFS_DIR}/report.c)
