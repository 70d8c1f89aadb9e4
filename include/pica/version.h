/* SPDX-License-Identifier: MIT */
/* Pica's version. */
#pragma once

#define PICA_VERSION_MAJOR 0
#define PICA_VERSION_MINOR 1
#define PICA_VERSION_PATCH 0
#define PICA_VERSION_STRING "0.1.0"
