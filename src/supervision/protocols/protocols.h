// Decoders for the protocols trackers and e-locks speak, and the replies they expect.
//
// Pure functions and per-connection state machines: no sockets, no clocks, no storage. The TCP
// and HTTP/MQTT servers own the I/O; they hand bytes in and write Decoded::reply back out.
//
// TCP protocols (Teltonika, GT06, JT/T 808, JT600/JT701, eSeal): create one StreamDecoder per
// connection and feed() it every chunk read from the socket, however the device split or merged
// its messages. Each complete frame yields one FrameResult, in order:
//   - a Decoded message, whose reply (possibly empty) must be written back to the device
//     before the next frame's reply, or the device may resend or drop the connection;
//   - or a FrameError naming the rule broken ("crc_mismatch", "unknown_message_type", ...).
//     The decoder has already skipped the bad bytes and resynchronised on the next frame start
//     where the protocol allows; the connection may continue. A frame with a bad checksum gets
//     no reply, so the device sends it again.
//
// HTTP/MQTT protocols (OsmAnd, Cordon JSON) are one request = one message: use decode_osmand
// and decode_cordon_json. Their reply is the HTTP status the server sends (200 on success).
//
// Nothing here throws on bad input or reads outside the bytes given; every decoder has a fuzz
// target in fuzz/supervision/.
//
// Thread-safety: the free functions are pure and safe to call concurrently. A StreamDecoder is
// not thread-safe; a connection's reads are serialised anyway.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "supervision/protocols/device_message.h"

namespace cordon::supervision::protocols {

using Bytes = std::vector<std::uint8_t>;
using ByteView = std::span<const std::uint8_t>;

// Why a frame or request was refused. `rule` is stable and machine-readable; `message` quotes
// what was wrong for a person ("CRC 0x8081 in the frame, 0x7377 computed").
struct FrameError {
  std::string rule;
  std::string message;
  Bytes frame;  // the bytes refused (at most the first 4 KiB), for logs and bug reports
};

struct Decoded {
  DeviceMessage message;
  Bytes reply;  // bytes to send back to the device, empty when it expects none
};

using FrameResult = std::expected<Decoded, FrameError>;

// One TCP connection's decoder. REQUIRES: the device on the other end speaks `protocol()`
// (Cordon listens on one port per protocol, as deployed trackers are configured that way).
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;

  // Appends a chunk read from the connection and decodes every frame it completes.
  // Bytes of an incomplete frame stay buffered for the next call. A frame longer than the
  // protocol allows, or garbage without a frame start, is reported and dropped.
  virtual std::vector<FrameResult> feed(ByteView chunk) = 0;

  // The device's identifier once it has sent one (login, or any frame that carries it);
  // empty before. Teltonika AVL frames carry no identifier: they take the login's IMEI.
  virtual const std::string& device_id() const = 0;

  // Bytes held waiting for the rest of a frame.
  virtual std::size_t buffered() const = 0;

  virtual Protocol protocol() const = 0;
};

// REQUIRES: protocol is a TCP protocol (is_stream_protocol); otherwise returns nullptr.
std::unique_ptr<StreamDecoder> make_stream_decoder(Protocol protocol);
bool is_stream_protocol(Protocol protocol);

// Decodes every frame in `bytes` with a fresh connection state, as if they arrived on one new
// connection. For tools and tests; a server keeps a StreamDecoder per connection instead.
std::vector<FrameResult> decode_stream(Protocol protocol, ByteView bytes);

// OsmAnd: `request` is an HTTP request target ("/?id=...&lat=..."), a bare query string
// ("id=...&lat=..."), or a whole request line ("GET /?id=... HTTP/1.1"); `body` is an
// application/x-www-form-urlencoded body whose parameters are merged (POST from the apps).
// Requires id (or deviceid), lat and lon; timestamp may be seconds (below 2^31), milliseconds,
// ISO 8601 or "yyyy-MM-dd HH:mm:ss" (UTC). speed is in knots, as the apps send it.
std::expected<Decoded, FrameError> decode_osmand(std::string_view request, std::string_view body = {});

// Cordon's JSON payload, for HTTP POST and MQTT (see docs/protocols.md for the schema).
// A JSON object is one message; an array is refused (post one message per request).
std::expected<Decoded, FrameError> decode_cordon_json(std::string_view body);

// Decodes what an integrator pastes: for binary protocols, hex with or without spaces (a leading
// "0x" is allowed); for text protocols, the text. Dispatches to decode_stream or the HTTP
// decoders. Used by `cordon decode`.
std::vector<FrameResult> decode_input(Protocol protocol, std::string_view input);

}  // namespace cordon::supervision::protocols
