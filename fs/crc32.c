/* SPDX-License-Identifier: MIT */
/* CRC-32 (IEEE 802.3, reflected, polynomial 0xEDB88320) for picafs blocks
 * and commit records. Four bits at a time from a 16-entry table: 64 bytes
 * of flash instead of 1 KiB, fast enough for block-sized buffers. */
#include "fs_priv.h"

static const uint32_t nibble_table[16] = {
    0x00000000u, 0x1DB71064u, 0x3B6E20C8u, 0x26D930ACu, 0x76DC4190u, 0x6B6B51F4u,
    0x4DB26158u, 0x5005713Cu, 0xEDB88320u, 0xF00F9344u, 0xD6D6A3E8u, 0xCB61B38Cu,
    0x9B64C2B0u, 0x86D3D2D4u, 0xA00AE278u, 0xBDBDF21Cu,
};

/* Continue @crc (0 to start) over @n bytes. */
uint32_t
picafs_crc32(uint32_t crc, const void *buf, size_t n)
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
