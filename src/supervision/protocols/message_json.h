// DeviceMessage as JSON: the shape `cordon decode` prints and Cordon's own JSON protocol reads.
//
// Thread-safety: pure functions.
#pragma once

#include <string_view>

#include <nlohmann/json.hpp>

#include "supervision/protocols/protocols.h"

namespace cordon::supervision::protocols {

// {"protocol", "device_id", "kind", "type", "sequence"?, "records": [...], "command_response"?,
//  "warnings"?}; a record is {"time"? (ISO 8601 UTC), "position"?, "cell"?, "sensors"?, "seal"?,
//  "events"?, "io"?} with absent values left out.
nlohmann::json to_json(const DeviceMessage& message);
nlohmann::json to_json(const Record& record);

// What `cordon decode PROTOCOL MESSAGE` prints: {"protocol", "frames": [...]}, one entry per
// frame in `input`, either {"message": ..., "reply_hex": "...", "reply_text"?: "..."} (text when
// the reply is printable) or {"error": {"rule", "message", "frame_hex"}}.
nlohmann::json decode_report(Protocol protocol, std::string_view input);

}  // namespace cordon::supervision::protocols
