/* SPDX-License-Identifier: MIT */
/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320: zlib's crc32()),
 * for picafs blocks and commit records and picactl's frames. Four bits at a
 * time from a 16-entry table: 64 bytes of flash instead of 1 KiB, fast
 * enough for block- and frame-sized buffers. */
#include "crc32.h"

static const uint32_t nibble_table[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

uint32_t
pica_crc32(uint32_t crc, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    crc = ~crc;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        crc = (crc >> 4) ^ nibble_table[crc & 0xF];
        crc = (crc >> 4) ^ nibble_table[crc & 0xF];
    }
    return ~crc;
}
