// Internal: the contract between StreamDecoder and each TCP protocol. Not for use outside
// src/supervision/protocols/.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "supervision/protocols/protocols.h"

namespace cordon::supervision::protocols::detail {

// What a protocol finds at the start of the buffered bytes.
struct Scan {
  enum class Status {
    kNeedMore,  // a frame may start here but is not complete yet
    kFrame,     // the first `length` bytes are one frame
    kSkip,      // the first `length` bytes cannot start a frame: drop them and report `reason`
    kIgnore,    // the first `length` bytes are filler between frames (line ends): drop silently
  };
  Status status = Status::kNeedMore;
  std::size_t length = 0;
  std::string rule;     // for kSkip
  std::string message;  // for kSkip
};

// A protocol's per-connection state and decoding. Implementations must never read outside the
// span given and must not throw.
class ProtocolSession {
 public:
  virtual ~ProtocolSession() = default;
  virtual Protocol protocol() const = 0;
  // Frames longer than this are refused (and resynchronised past).
  virtual std::size_t max_frame() const = 0;
  virtual Scan scan(ByteView buffer) = 0;
  // REQUIRES: `frame` is a whole frame as delimited by scan().
  virtual FrameResult decode(ByteView frame) = 0;

  std::string device_id;
};

std::unique_ptr<ProtocolSession> make_teltonika_session();
std::unique_ptr<ProtocolSession> make_gt06_session();
std::unique_ptr<ProtocolSession> make_jt808_session();
std::unique_ptr<ProtocolSession> make_jt600_session();
std::unique_ptr<ProtocolSession> make_eseal_session();

// Helpers shared by the decoders.
FrameError frame_error(std::string rule, std::string message, ByteView frame);
// Adds an event to a record unless it is already there.
void add_event(Record& record, Event event);
// A Scan that skips to the next occurrence of any byte in `starts` after position 0 (or drops
// everything when there is none).
Scan skip_to_next(ByteView buffer, std::string_view starts, std::string rule, std::string message);

}  // namespace cordon::supervision::protocols::detail
