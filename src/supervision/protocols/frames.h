// Internal: frame builders shared by the decoders (replies) and commands.cc (commands).
#pragma once

#include <cstdint>
#include <string_view>

#include "supervision/protocols/protocols.h"

namespace cordon::supervision::protocols::detail {

// A complete GT06 frame (0x7878, or 0x7979 when the content needs a two-byte length).
Bytes gt06_frame(std::uint8_t type, ByteView content, std::uint16_t serial);

// A complete, escaped JT/T 808-2013 frame for `phone` (up to 12 digits).
// REQUIRES: body.size() < 1024 (the 10-bit length field).
Bytes jt808_frame(std::uint16_t message_id, std::string_view phone, std::uint16_t serial, ByteView body);

}  // namespace cordon::supervision::protocols::detail
