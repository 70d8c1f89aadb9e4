/* SPDX-License-Identifier: MIT */
/* CRC-32 (IEEE 802.3, reflected: zlib's crc32()), shared by picafs and the
 * picactl frames. Code: lib/crc32.c. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Continue @crc (0 to start) over @n bytes. Context: any. */
uint32_t pica_crc32(uint32_t crc, const void *buf, size_t n);
